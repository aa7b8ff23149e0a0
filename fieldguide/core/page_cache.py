"""Whole-page cache for anonymous readers, invalidated by any published change.

Rendered pages live in the ``default`` cache (local memory, or Redis with REDIS_URL).
Their keys include a *content generation* kept in the ``shared`` cache, which every app
process sees; publishing, unpublishing, or saving any content model bumps it, so no
process can serve a page from before the change. Navigation, the contents and the
footer date appear on every page, so a published change does touch every page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from wagtail.signals import page_published, page_unpublished

GENERATION_KEY = "fieldguide:content-generation"
CONTENT_APPS = {"guide", "library", "atlas", "linkhealth", "editorial", "wagtailcore", "taggit"}
IGNORED_MODELS = {
    "guide.contactmessage",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailcore.groupapprovaltask",
    "wagtailcore.referenceindex",
    "wagtailcore.pageviewrestriction",
}


def current_generation() -> int:
    shared = caches["shared"]
    generation = shared.get(GENERATION_KEY)
    if generation is None:
        shared.add(GENERATION_KEY, 1, timeout=None)
        generation = shared.get(GENERATION_KEY) or 1
    return generation


def bump_generation(**kwargs) -> None:
    shared = caches["shared"]
    try:
        try:
            shared.incr(GENERATION_KEY)
        except ValueError:
            shared.set(GENERATION_KEY, 2, timeout=None)
    except DatabaseError:
        # The shared cache is unreachable (e.g. its table is not created yet): drop
        # this process's pages rather than risk serving them stale.
        caches["default"].clear()


def _on_model_change(sender, **kwargs) -> None:
    if sender.__module__ == "__fake__":
        return  # historical models inside migrations
    label = sender._meta.label_lower
    if sender._meta.app_label in CONTENT_APPS and label not in IGNORED_MODELS:
        bump_generation()


page_published.connect(bump_generation, dispatch_uid="page_cache_published")
page_unpublished.connect(bump_generation, dispatch_uid="page_cache_unpublished")
post_save.connect(_on_model_change, dispatch_uid="page_cache_save")
post_delete.connect(_on_model_change, dispatch_uid="page_cache_delete")
m2m_changed.connect(_on_model_change, dispatch_uid="page_cache_m2m")


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and not request.COOKIES
        and not request.path_info.startswith(tuple(settings.ADMIN_URL_PREFIXES))
        and not request.path_info.startswith(settings.STATIC_URL)
    )


def _cacheable_response(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "private" not in response.get("Cache-Control", "")
    )


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache; store what is safe to share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 3600)

    def _key(self, request: HttpRequest, generation: int) -> str:
        raw = f"{request.get_host()}|{request.get_full_path()}".encode()
        return f"fieldguide:page:{generation}:{hashlib.sha256(raw).hexdigest()}"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.timeout or not _cacheable_request(request):
            return self.get_response(request)
        cache = caches["default"]
        key = self._key(request, current_generation())
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if _cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, response, self.timeout)
            response["X-Page-Cache"] = "miss"
        return response


def content_models() -> list[str]:
    """For the README and tests: the models whose changes invalidate pages."""
    return sorted(
        m._meta.label_lower
        for m in apps.get_models()
        if m._meta.app_label in CONTENT_APPS and m._meta.label_lower not in IGNORED_MODELS
    )
