from django.apps import AppConfig


class LinkHealthConfig(AppConfig):
    name = "fieldguide.linkhealth"
    label = "linkhealth"
    verbose_name = "Link health"
