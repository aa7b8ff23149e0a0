from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Print, PDF, EPUB and static editions of a guide."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "fieldguide.exports"
    label = "exports"
    verbose_name = "Editions"
