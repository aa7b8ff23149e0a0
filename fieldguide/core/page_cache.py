"""Whole-page cache for anonymous readers, invalidated when what readers see changes.

Rendered pages live in the ``default`` cache (local memory, or Redis with REDIS_URL),
kept compressed once per encoding. Their keys include a *content generation* kept in
the ``shared`` cache, which every app process sees. Navigation, the contents and the
footer date appear on every page, so a change readers see does touch every page.

Three rules keep it honest:

- The generation moves **after** the transaction that changed content commits, and a
  request stores its page under the generation it read when it *started*. A render that
  began before a publish committed can only land under the old generation, which no
  request reads once the publish is visible.
- Only changes readers can see move it: the models and fields in ``READER_VISIBLE``
  (compared before and after each save, so a no-op save or a link check that found
  nothing new changes nothing), publishing, unpublishing and moving pages.
- Only pages that are the same for everyone are stored: no cookie either way, nothing
  private or uncacheable, no view restriction on the page or an ancestor. A page is keyed
  on its host, path and the query parameters its view reads (``QUERY_PARAMETERS``);
  any other parameter (``?utm_source=…``) is ignored.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from wagtail import hooks
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import compression

logger = logging.getLogger(__name__)

GENERATION_KEY = "fieldguide:content-generation"
# Sent with every shared page, so a front cache can drop every page of older
# generations with one ban (core.front_cache, deploy/varnish/fieldguide.vcl).
GENERATION_HEADER = "X-Fieldguide-Generation"
# What every response that is not a shared reader page gets unless its view said
# otherwise: search, lookups, forms, previews, the admin, errors, redirects.
PRIVATE_CACHE_CONTROL = "private, no-store"


@dataclass(frozen=True)
class Shown:
    """The fields of a model that readers see: ``only`` these, or all but ``hidden``."""

    only: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()

    def attnames(self, model: type[models.Model]) -> tuple[str, ...]:
        fields = model._meta.concrete_fields
        if self.only:
            return tuple(f.attname for f in fields if f.name in self.only)
        return tuple(f.attname for f in fields if f.name not in self.hidden and not f.primary_key)


EVERYTHING = Shown()
# Wagtail's own bookkeeping on every page: drafts, locks, owners, revisions.
PAGE_BOOKKEEPING = Shown(
    hidden=(
        "latest_revision", "has_unpublished_changes", "draft_title",
        "latest_revision_created_at", "locked", "locked_at", "locked_by", "owner",
        "live_revision", "numchild", "translation_key",
    )
)  # fmt: skip

# The allow-list: a save, delete or many-to-many change of one of these models moves the
# generation only if a field listed here changed. Page types (every subclass of
# wagtailcore.page) follow PAGE_BOOKKEEPING and count only while live.
READER_VISIBLE: dict[str, Shown] = {
    "guide.action": EVERYTHING,
    "guide.discussionquestion": EVERYTHING,
    "guide.glossaryterm": Shown(hidden=("latest_revision",)),
    "guide.guidesettings": EVERYTHING,
    "guide.sectionprofile": EVERYTHING,
    "guide.sectionresource": EVERYTHING,
    # The "Updated" date; the fingerprint itself is never shown.
    "guide.sectionstatus": Shown(only=("page", "content_changed_at")),
    # Section pages show the date of the latest review.
    "editorial.sectionreview": Shown(only=("page", "reviewed_at")),
    "library.creator": EVERYTHING,
    "library.profile": Shown(hidden=("latest_revision", "updated_at")),
    "library.resource": Shown(hidden=("latest_revision", "created_at", "updated_at")),
    "library.resourcetopic": EVERYTHING,
    "atlas.bill": EVERYTHING,
    "atlas.category": EVERYTHING,
    "atlas.datasetimport": EVERYTHING,
    "atlas.datasetrelease": EVERYTHING,
    "atlas.directoryentry": EVERYTHING,
    "atlas.directorysource": EVERYTHING,
    "atlas.jurisdiction": EVERYTHING,
    "atlas.legislator": EVERYTHING,
    "atlas.policyrecord": EVERYTHING,
    "atlas.policysource": EVERYTHING,
    "atlas.secondcoding": EVERYTHING,
    "atlas.stateofficial": EVERYTHING,
    "atlas.topic": EVERYTHING,
    # Readers see a notice once a link is confirmed broken (and not dismissed), and
    # Robust Links attributes once an archived copy is known. last_ok_at (the archive
    # link's date) only moves on a good check, which clears the notice.
    "linkhealth.link": Shown(
        only=(
            "url",
            "broken_display",
            "confirmed_broken_at",
            "dismissed_at",
            "archived_url",
            "archived_at",
        )
    ),
    "linkhealth.linkhealthsettings": EVERYTHING,
    "taggit.tag": EVERYTHING,
    "taggit.taggeditem": EVERYTHING,
    "wagtailcore.pageviewrestriction": EVERYTHING,
    "wagtailcore.site": EVERYTHING,
}
# Models of the content apps that no reader page shows (tests/core checks that every
# model of these apps is in one list or the other).
NOT_SHOWN = {
    "guide.contactmessage",
    "editorial.resourcesuggestion",
    "linkhealth.linkcheck",
    "linkhealth.linkusage",
}
CONTENT_APPS = ("guide", "library", "atlas", "linkhealth", "editorial", "taggit")

# The query parameters each cached view reads, with the values it acts on (None: any
# value). Keyed by URL name for Django views and by model label for Wagtail page
# types; every other parameter is left out of the cache key. Views that read readers'
# words (search, the atlas lookup) are private, no-store and never cached.
QUERY_PARAMETERS: dict[str, dict[str, frozenset[str] | None]] = {
    "guide.contactpage": {"sent": frozenset({"1"})},
    "editorial:suggest": {"sent": frozenset({"1"})},
}


# --- the generation -------------------------------------------------------------------


def current_generation() -> int:
    shared = caches["shared"]
    generation = shared.get(GENERATION_KEY)
    if generation is None:
        shared.add(GENERATION_KEY, 1, timeout=None)
        generation = shared.get(GENERATION_KEY) or 1
    return generation


def bump_generation(**kwargs) -> None:
    """Move the generation now: every cached page becomes unreachable, here and in the
    front cache (one ban for every page, sent once the generation has moved)."""
    shared = caches["shared"]
    try:
        try:
            generation = shared.incr(GENERATION_KEY)
        except ValueError:
            generation = 2
            shared.set(GENERATION_KEY, generation, timeout=None)
    except DatabaseError:
        # The shared cache is unreachable (e.g. its table is not created yet): drop
        # this process's pages rather than risk serving them stale.
        caches["default"].clear()
        return
    for receiver in GENERATION_MOVED:
        receiver(generation)


# Called with the new generation after it moved (core.front_cache registers its ban).
GENERATION_MOVED: list[Callable[[int], None]] = []


def bump_after_commit(using: str | None = None, **kwargs) -> None:
    """Move the generation once the current transaction commits (now, outside one)."""
    transaction.on_commit(bump_generation, using=using)


def _shown(model: type[models.Model]) -> Shown | None:
    if model.__module__ == "__fake__":
        return None  # historical models inside migrations
    if issubclass(model, Page):
        return PAGE_BOOKKEEPING
    return READER_VISIBLE.get(model._meta.label_lower)


def _reader_state(instance: models.Model, shown: Shown, using: str) -> tuple | None:
    names = shown.attnames(type(instance))
    return (
        type(instance)._base_manager.using(using).filter(pk=instance.pk).values_list(*names).first()
    )


def _is_live_page(instance: models.Model, state: tuple | None) -> bool:
    if state is None:
        return False
    names = PAGE_BOOKKEEPING.attnames(type(instance))
    return bool(state[names.index("live")])


def _touches_shown_fields(sender: type[models.Model], shown: Shown, update_fields) -> bool:
    if update_fields is None:
        return True
    attnames = set(shown.attnames(sender))
    return any(sender._meta.get_field(name).attname in attnames for name in update_fields)


def _before_save(sender, instance, raw=False, using="default", update_fields=None, **kwargs):
    shown = _shown(sender)
    if shown is None or raw or instance._state.adding or instance.pk is None:
        return
    if not _touches_shown_fields(sender, shown, update_fields):
        instance._page_cache_skip = True
        return
    instance._page_cache_before = _reader_state(instance, shown, using)


def _after_save(sender, instance, created=False, raw=False, using="default", **kwargs):
    shown = _shown(sender)
    if shown is None or raw or instance.__dict__.pop("_page_cache_skip", False):
        return
    if created:
        if not issubclass(sender, Page) or instance.live:
            bump_after_commit(using)
        return
    before = instance.__dict__.pop("_page_cache_before", None)
    after = _reader_state(instance, shown, using)
    if before == after:
        return
    if issubclass(sender, Page) and not (
        _is_live_page(instance, before) or _is_live_page(instance, after)
    ):
        return  # a draft nobody can see
    bump_after_commit(using)


def _after_delete(sender, instance, using="default", **kwargs):
    shown = _shown(sender)
    if shown is None:
        return
    if issubclass(sender, Page) and not instance.live:
        return
    bump_after_commit(using)


def _after_m2m(sender, instance, action, model, using="default", **kwargs):
    if not action.startswith("post_"):
        return
    if _shown(type(instance)) is not None or _shown(model) is not None:
        bump_after_commit(using)


page_published.connect(bump_after_commit, dispatch_uid="page_cache_published")
page_unpublished.connect(bump_after_commit, dispatch_uid="page_cache_unpublished")
post_page_move.connect(bump_after_commit, dispatch_uid="page_cache_moved")
pre_save.connect(_before_save, dispatch_uid="page_cache_before_save")
post_save.connect(_after_save, dispatch_uid="page_cache_save")
post_delete.connect(_after_delete, dispatch_uid="page_cache_delete")
m2m_changed.connect(_after_m2m, dispatch_uid="page_cache_m2m")


@hooks.register("before_serve_page", order=-100)
def _note_served_page(page: Page, request: HttpRequest, *args, **kwargs) -> None:
    """Remember which page answered, for its query parameters and view restrictions."""
    request.page_cache_page = page


# --- storing and serving ----------------------------------------------------------------


@dataclass
class CachedPage:
    """One rendered page, as plain data: headers, body and its identity ETag."""

    headers: list[tuple[str, str]]
    body: bytes
    generation: int = 0
    # When this body was rendered: its Last-Modified. A page re-rendered after the
    # generation moved gets a later date even if its bytes (and ETag) did not change.
    rendered_at: int = field(default_factory=lambda: int(time.time()))
    etag: str = field(init=False)

    def __post_init__(self) -> None:
        self.etag = hashlib.sha256(self.body).hexdigest()[:20]

    @classmethod
    def from_response(cls, response: HttpResponse, generation: int = 0) -> CachedPage:
        skip = {
            "content-length", "x-page-cache", "etag", "content-encoding", "cache-control",
            "last-modified", "expires", GENERATION_HEADER.lower(),
        }  # fmt: skip
        headers = [(k, v) for k, v in response.items() if k.lower() not in skip]
        return cls(headers, response.content, generation)

    def etag_for(self, encoding: str | None) -> str:
        return f'"{self.etag}-{encoding}"' if encoding else f'"{self.etag}"'

    def _validators(self, response: HttpResponse, encoding: str | None) -> HttpResponse:
        """The headers a 200 and a 304 share (RFC 9110 15.4.5): validators and caching."""
        response["ETag"] = self.etag_for(encoding)
        response["Last-Modified"] = http_date(self.rendered_at)
        response["Cache-Control"] = public_cache_control()
        response[GENERATION_HEADER] = str(self.generation)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    def response(self, body: bytes, encoding: str | None, label: str) -> HttpResponse:
        response = HttpResponse(body)
        for name, value in self.headers:
            response[name] = value
        if encoding:
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(body))
        response["X-Page-Cache"] = label
        return self._validators(response, encoding)

    def not_modified(self, encoding: str | None) -> HttpResponse:
        response = HttpResponseNotModified()
        response["X-Page-Cache"] = "hit"
        return self._validators(response, encoding)

    def matches(self, request: HttpRequest, encoding: str | None) -> bool:
        """Whether the reader's copy is this one: If-None-Match first, else the date."""
        if "If-None-Match" in request.headers:
            tags = parse_etags(request.headers["If-None-Match"])
            etag = self.etag_for(encoding)
            return etag in tags or f"W/{etag}" in tags or "*" in tags
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        return since is not None and self.rendered_at <= since


def public_cache_control() -> str:
    """A short lifetime for browsers, a long one for shared caches (which are purged)."""
    return (
        f"public, max-age={settings.HTTP_CACHE_BROWSER_SECONDS}, "
        f"s-maxage={settings.HTTP_CACHE_SHARED_SECONDS}"
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_query(query: QueryDict, declared: dict[str, frozenset[str] | None]) -> str:
    """The declared parameters the request has, with values the view acts on, sorted."""
    kept = []
    for name in sorted(declared):
        allowed = declared[name]
        for value in query.getlist(name):
            if allowed is None or value in allowed:
                kept.append((name, value))
    return urlencode(kept)


def declared_parameters(request: HttpRequest) -> dict[str, frozenset[str] | None]:
    page = getattr(request, "page_cache_page", None)
    if page is not None:
        return QUERY_PARAMETERS.get(page._meta.label_lower, {})
    match = getattr(request, "resolver_match", None)
    return QUERY_PARAMETERS.get(match.view_name, {}) if match else {}


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and not request.COOKIES
        and "Authorization" not in request.headers
        and not request.path_info.startswith(tuple(settings.ADMIN_URL_PREFIXES))
        and not request.path_info.startswith(settings.STATIC_URL)
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    """Only what is the same for every reader: never private, personal or restricted."""
    cache_control = response.get("Cache-Control", "").lower()
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or not response.get("Content-Type", "").startswith("text/html")
        or any(word in cache_control for word in ("private", "no-store", "no-cache"))
        or vary & {"cookie", "*", "authorization"}
        or compression.may_carry_secret(request, response)
    ):
        return False
    page = getattr(request, "page_cache_page", None)
    return page is None or not page.get_view_restrictions().exists()


def _private_unless_said(response: HttpResponse, force: bool = False) -> HttpResponse:
    """Everything but a shared reader page: no cache may keep it, unless its view chose
    its own policy (editions are public and purged when rebuilt)."""
    if force or "Cache-Control" not in response:
        response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache; store what is safe to share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.timeout or not _cacheable_request(request):
            return _private_unless_said(self.get_response(request))
        cache = caches["default"]
        # Read once, before rendering: the page is stored under this generation.
        generation = current_generation()
        place = _digest(f"{request.get_host()}|{request.path_info}")
        params_key = f"fieldguide:page-params:{generation}:{place}"
        encoding = compression.accepted_encoding(request)
        declared = cache.get(params_key)
        if declared is not None:
            key = self._key(generation, place, canonical_query(request.GET, declared))
            hit = self._from_cache(cache, request, key, encoding)
            if hit is not None:
                return hit
        response = self.get_response(request)
        if not _cacheable_response(request, response):
            return _private_unless_said(response)
        if current_generation() != generation:
            # Content changed while this page rendered: it may show either side of the
            # change, so neither this cache nor a shared one may keep it.
            return _private_unless_said(response, force=True)
        declared = declared_parameters(request)
        key = self._key(generation, place, canonical_query(request.GET, declared))
        page = CachedPage.from_response(response, generation)
        cache.set_many({params_key: declared, key: page}, self.timeout)
        return self._respond(cache, request, key, page, encoding, "miss")

    @staticmethod
    def _key(generation: int, place: str, query: str) -> str:
        return f"fieldguide:page:{generation}:{place}:{_digest(query)}"

    def _from_cache(
        self, cache, request: HttpRequest, key: str, encoding: str | None
    ) -> HttpResponse | None:
        found = cache.get_many([key, f"{key}:{encoding}"] if encoding else [key])
        page = found.get(key)
        if page is None:
            return None
        return self._respond(
            cache, request, key, page, encoding, "hit", found.get(f"{key}:{encoding}")
        )

    def _respond(
        self,
        cache,
        request: HttpRequest,
        key: str,
        page: CachedPage,
        encoding: str | None,
        label: str,
        body: bytes | None = None,
    ) -> HttpResponse:
        if encoding and len(page.body) < settings.COMPRESSION_MIN_BYTES:
            encoding = None
        if page.matches(request, encoding):
            return page.not_modified(encoding)
        if encoding is None:
            return page.response(page.body, None, label)
        if body is None:
            body = compression.compress(page.body, encoding, once=True)
            cache.set(f"{key}:{encoding}", body, self.timeout)
        return page.response(body, encoding, label)


def content_models() -> list[str]:
    """For the README and tests: the models whose changes readers see."""
    return sorted(m._meta.label_lower for m in apps.get_models() if _shown(m) is not None)
