"""Cross-site request protection for readers' forms, without a cookie.

Django's CSRF protection needs a ``csrftoken`` cookie, and readers get no cookie at all
(the footer promises it, and the quick exit could not remove one). Reader forms are
guarded instead the way Go 1.25's ``net/http.CrossOriginProtection`` guards any handler,
from headers every browser sends with a form post:

1. ``GET``, ``HEAD`` and ``OPTIONS`` change nothing and pass.
2. ``Sec-Fetch-Site: same-origin`` (the site's own page) or ``none`` (typed or bookmarked
   by the user) passes; any other value (``cross-site``, ``same-site``) is refused unless
   the ``Origin`` is listed in ``CSRF_TRUSTED_ORIGINS``.
3. Without ``Sec-Fetch-Site`` (browsers before 2023), an ``Origin`` whose host is the
   request's host passes; another origin is refused unless it is trusted.
4. Without either header the request passes. Every browser that posts a form across
   sites sends ``Origin`` (and current ones ``Sec-Fetch-Site``), so such a request comes
   from a program (curl, a script), not from a reader's browser being steered by another
   site. That program could send the same request itself from its own address; there is
   no cookie or sign-in for it to ride on, and the rate limits and honeypot still apply.

The admin keeps Django's token-based CSRF protection: editors have a session cookie for
a forged request to ride on. :func:`cross_origin_protected` is applied only to the views
that serve reader forms, and is the only place those views are exempt from Django's check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import is_same_domain
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOWED_FETCH_SITES = frozenset({"same-origin", "none"})


def _trusted_origin(origin: str) -> bool:
    """Is ``origin`` listed in CSRF_TRUSTED_ORIGINS (which may use ``*.`` subdomains)?"""
    if not origin:
        return False
    parts = urlsplit(origin)
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if trusted == origin:
            return True
        wanted = urlsplit(trusted)
        if (
            "*" in wanted.netloc
            and wanted.scheme == parts.scheme
            and is_same_domain(parts.netloc, wanted.netloc.replace("*", "", 1))
        ):
            return True
    return False


def cross_origin_refusal(request: HttpRequest) -> str | None:
    """Why this request must be refused as cross-site, or ``None`` when it may go on."""
    if request.method in SAFE_METHODS:
        return None
    origin = request.headers.get("Origin", "")
    fetch_site = request.headers.get("Sec-Fetch-Site", "").strip().lower()
    if fetch_site:
        if fetch_site in ALLOWED_FETCH_SITES or _trusted_origin(origin):
            return None
        return f"the browser reported the form was sent from another site ({fetch_site})"
    if not origin:
        return None
    if urlsplit(origin).netloc.lower() == request.get_host().lower() or _trusted_origin(origin):
        return None
    return "the form was sent from another site's page"


def cross_origin_protected(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse cross-site posts to ``view`` with a 403 page; exempt it from the CSRF cookie."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        reason = cross_origin_refusal(request)
        if reason is not None:
            return TemplateResponse(
                request, "core/cross_origin.html", {"reason": reason}, status=403
            )
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)
