from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "fieldguide.search"
    label = "sitesearch"
    verbose_name = "Site search"
