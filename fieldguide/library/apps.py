from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "fieldguide.library"
    label = "library"
    verbose_name = "Library"
