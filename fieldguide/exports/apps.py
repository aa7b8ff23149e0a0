from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Print, PDF, EPUB and static editions of a guide."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "fieldguide.exports"
    label = "exports"
    verbose_name = "Editions"

    def ready(self) -> None:
        from fieldguide.core import page_cache

        from .tasks import build_after_publish

        page_cache.GENERATION_MOVED.append(build_after_publish)
