from django.apps import AppConfig


class AtlasConfig(AppConfig):
    """Act where you live: policy atlas, directory, place lookup, federal bills."""

    name = "fieldguide.atlas"
    label = "atlas"
    verbose_name = "Act where you live"
    default_auto_field = "django.db.models.BigAutoField"
