"""System checks for settings that would break the site's promises in production."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Backends that write whole emails (reset links, readers' messages) to the log or disk.
LEAKING_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


@register(Tags.security)
def check_email_backend(app_configs=None, **kwargs) -> list[CheckMessage]:
    if getattr(settings, "HTTPS", False) and settings.EMAIL_BACKEND in LEAKING_EMAIL_BACKENDS:
        return [
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND} while HTTPS=true: it writes every "
                "email, password-reset links and readers' contact messages included, to the "
                "server's log or disk.",
                hint="Set EMAIL_HOST (with EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, "
                "EMAIL_USE_TLS) to send mail, or unset EMAIL_BACKEND to send none.",
                id="fieldguide.E001",
            )
        ]
    return []
