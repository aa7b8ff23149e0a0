from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class CoreConfig(AppConfig):
    name = "fieldguide.core"
    label = "core"
    verbose_name = "Fieldguide core"

    def ready(self) -> None:
        from . import front_cache, page_cache  # noqa: F401
        from .checks import check_email_backend  # noqa: F401  (registers the check)
        from .inline_css import inline_css_hashes
        from .ratelimit import check_settings

        checks.register(check_settings, checks.Tags.security)

        directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        directives["style-src"] = [
            *[s for s in directives["style-src"] if not s.startswith("'sha256-")],
            *inline_css_hashes(),
        ]
