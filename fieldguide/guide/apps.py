from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "fieldguide.guide"
    label = "guide"
    verbose_name = "Guide"

    def ready(self) -> None:
        from . import signals  # noqa: F401
