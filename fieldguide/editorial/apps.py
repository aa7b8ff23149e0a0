from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "fieldguide.editorial"
    label = "editorial"
    verbose_name = "Editorial"
