"""Security headers that Django's SecurityMiddleware does not set on its own."""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy and keeps caches from storing admin pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.ADMIN_URL_PREFIXES))


def is_preview(request: HttpRequest) -> bool:
    """Wagtail renders a preview as a request for the page's own (reader) path, flagged."""
    return getattr(request, "is_preview", False)


class FieldguideCSPMiddleware(CSPMiddleware):
    """The strict reader policy everywhere, and the admin's own policy under its URLs.

    The Wagtail admin needs inline scripts and frames its own previews; readers' pages
    never do, so the looser policy is confined to the admin prefix. A preview keeps the
    reader policy, except that the admin's own origin may frame it (the side panel).
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_path(request.path_info):
            parts.config = settings.ADMIN_CSP
            parts.nonce = None
        elif not report_only and is_preview(request):
            parts.replace = {"frame-ancestors": ["'self'"]}
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if is_preview(request) or (
            is_admin_path(request.path_info) and "X-Frame-Options" in response
        ):
            # Previews are framed by the admin itself.
            response["X-Frame-Options"] = "SAMEORIGIN"
        # The policies' report-to group; browsers resolve the path against the page.
        response.headers.setdefault(
            "Reporting-Endpoints", f'{settings.CSP_REPORT_GROUP}="{settings.CSP_REPORT_PATH}"'
        )
        return super().process_response(request, response)
