"""The front cache (Varnish, see deploy/varnish/): bans, purges, and their retries.

One publish costs one ban: every shared page carries ``X-Fieldguide-Generation``
(core.page_cache), and when the generation moves the front cache is asked to drop every
page of another generation (``BAN`` with ``X-Fieldguide-Ban-Generation``). URLs that are
not pages of a generation (the editions) and the pages a publish names are purged one
by one through Wagtail's ``frontend_cache`` HTTP backend, at most
``FRONT_CACHE_MAX_PURGES`` per batch: a longer batch becomes a single ban of every URL.

Everything is sent after the transaction commits. A purge or ban that fails is logged
and kept in ``PendingPurge``; it is sent again with the next purge or ban, by
``manage.py check_front_cache --retry`` (a timer runs it, see deploy/systemd/), and by
the task worker when the task backend can defer.

The front cache's address is the operator's configuration, like the database's, so
these requests do not go through core.outbound (which refuses private addresses).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch, get_backends
from wagtail.signals import page_published, page_unpublished

from . import page_cache

logger = logging.getLogger(__name__)

BAN_GENERATION_HEADER = "X-Fieldguide-Ban-Generation"
BAN_URL_HEADER = "X-Fieldguide-Ban-Url"
BAN_EVERY_URL = "."
# Seconds before the 1st, 2nd, … retry of a failed purge; the last repeats.
RETRY_DELAYS = (2, 10, 60, 300)


class FrontCacheError(Exception):
    """The front cache did not take a purge or ban."""


class _Method(Request):
    def __init__(self, method: str, url: str, headers: dict[str, str]):
        super().__init__(url, headers=headers, method=method)


class VarnishBackend(HTTPBackend):
    """Wagtail's HTTP (PURGE) backend that reports failures and can ban.

    Wagtail's backend only logs a failed purge; this one raises, so that the failure
    is kept and retried.
    """

    def __init__(self, params: dict) -> None:
        self.timeout = float(params.pop("TIMEOUT", 3))
        super().__init__(params)

    def _send(self, method: str, path: str, headers: dict[str, str]) -> None:
        url = urlunsplit([self.cache_scheme, self.cache_netloc, path, "", ""])
        try:
            with urlopen(_Method(method, url, headers), timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except HTTPError as error:
            raise FrontCacheError(f"{method} {path}: HTTP {error.code} {error.reason}") from error
        except (URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FrontCacheError(f"{method} {path}: {reason}") from error

    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self._send("PURGE", path, {"Host": parts.netloc})

    def purge_batch(self, urls: Iterable[str]) -> None:
        for url in urls:
            self.purge(url)

    def ban_generation(self, generation: int) -> None:
        self._send("BAN", "/", {BAN_GENERATION_HEADER: str(int(generation))})

    def ban_urls(self, pattern: str) -> None:
        self._send("BAN", "/", {BAN_URL_HEADER: pattern})


def configured_backends() -> dict[str, VarnishBackend]:
    return {
        name: backend
        for name, backend in get_backends().items()
        if isinstance(backend, VarnishBackend)
    }


def _attempt(kind: str, target: str) -> None:
    for backend in configured_backends().values():
        if kind == "ban":
            backend.ban_generation(int(target))
        elif kind == "ban-url":
            backend.ban_urls(target)
        else:
            backend.purge(target)


def _keep_for_retry(kind: str, target: str, error: Exception) -> None:
    logger.warning("Front cache %s of %s failed, kept for retry: %s", kind, target, error)
    try:
        from .models import PendingPurge

        row, created = PendingPurge.objects.get_or_create(
            kind=kind,
            target=target,
            defaults={"next_attempt_at": timezone.now() + timedelta(seconds=RETRY_DELAYS[0])},
        )
        if not created:
            row.attempts += 1
            row.last_error = str(error)[:300]
            delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
            row.next_attempt_at = timezone.now() + timedelta(seconds=delay)
            row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        elif str(error):
            PendingPurge.objects.filter(pk=row.pk).update(last_error=str(error)[:300])
        if kind == "ban":
            PendingPurge.objects.filter(kind="ban", target__lt=target).exclude(
                target=target
            ).delete()
    except DatabaseError:
        logger.exception("Front cache: could not keep a failed %s of %s", kind, target)
    _schedule_retry()


def _schedule_retry() -> None:
    """Ask the task worker to retry later, when the task backend can wait."""
    from .tasks import retry_front_cache

    if retry_front_cache.get_backend().supports_defer:
        delay = timedelta(seconds=RETRY_DELAYS[0])
        retry_front_cache.using(run_after=timezone.now() + delay).enqueue()


def send(kind: str, target: str) -> bool:
    """Send one purge or ban now; on failure keep it for retry. True if it was taken."""
    try:
        _attempt(kind, target)
    except FrontCacheError as error:
        _keep_for_retry(kind, target, error)
        return False
    return True


def retry_pending(due_only: bool = True) -> tuple[int, int]:
    """Send the kept purges again; returns (sent, still failing)."""
    from .models import PendingPurge

    rows = PendingPurge.objects.order_by("created_at")
    if due_only:
        rows = rows.filter(next_attempt_at__lte=timezone.now())
    sent = failing = 0
    for row in list(rows[:500]):
        try:
            _attempt(row.kind, row.target)
        except FrontCacheError as error:
            failing += 1
            _keep_for_retry(row.kind, row.target, error)
        else:
            sent += 1
            row.delete()
            logger.info("Front cache %s of %s sent on retry %d", row.kind, row.target, row.attempts)
    return sent, failing


def _retry_quietly() -> None:
    try:
        retry_pending()
    except DatabaseError:
        logger.exception("Front cache: could not read the purges kept for retry")


def ban_generations_before(generation: int) -> None:
    """Drop every page of another generation from the front cache (one request)."""
    if not configured_backends():
        return
    _retry_quietly()
    if send("ban", str(generation)):
        from .models import PendingPurge

        PendingPurge.objects.filter(kind="ban").exclude(target=str(generation)).delete()


def purge_urls(urls: Iterable[str]) -> None:
    """Purge these full URLs once the transaction commits; past the cap, ban them all."""
    urls = sorted(set(urls))
    if not urls or not configured_backends():
        return

    def run() -> None:
        _retry_quietly()
        if len(urls) > settings.FRONT_CACHE_MAX_PURGES:
            logger.info("Front cache: %d URLs over the cap, one ban instead", len(urls))
            send("ban-url", BAN_EVERY_URL)
            return
        for url in urls:
            send("url", url)

    transaction.on_commit(run)


def purge_paths(paths: Iterable[str]) -> None:
    """Purge site-relative paths (e.g. edition downloads) on every site's host."""
    from wagtail.models import Site

    if not configured_backends():
        return
    roots = [site.root_url for site in Site.objects.all()]
    purge_urls(f"{root}{path}" for root in roots for path in paths)


def _purge_page(instance, **kwargs) -> None:
    if not configured_backends():
        return
    batch = PurgeBatch()
    batch.add_page(instance)
    purge_urls(batch.urls)


def _fetch(backend: VarnishBackend, host: str, path: str) -> tuple[int, str]:
    """GET a page through the front cache: its status and X-Cache (HIT, MISS, PASS)."""
    url = urlunsplit([backend.cache_scheme, backend.cache_netloc, path, "", ""])
    with urlopen(_Method("GET", url, {"Host": host}), timeout=backend.timeout) as response:  # noqa: S310
        response.read()
        return response.status, response.headers.get("X-Cache", "")


def check(path: str = "/") -> list[tuple[bool, str]]:
    """For ``check_front_cache``: is it reachable, and does a purge take effect?"""
    backends = configured_backends()
    if not backends:
        return [(False, "No front cache configured (set FRONT_CACHE_URL).")]
    host = settings.FRONT_CACHE_HOST or urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
    results: list[tuple[bool, str]] = []
    for name, backend in backends.items():
        where = f"{name} ({backend.cache_scheme}://{backend.cache_netloc}{path}, Host {host})"
        try:
            _fetch(backend, host, path)
            status, first = _fetch(backend, host, path)
        except (URLError, OSError) as error:
            results.append((False, f"{where}: unreachable: {getattr(error, 'reason', error)}"))
            continue
        results.append((status == 200, f"{where}: answered {status}, X-Cache {first or '-'}"))
        if first != "HIT":
            results.append((False, f"{name}: the page was not cached, so a purge cannot be seen"))
            continue
        try:
            backend.purge(f"http://{host}{path}")
            _, after = _fetch(backend, host, path)
        except (FrontCacheError, URLError, OSError) as error:
            results.append((False, f"{name}: purge failed: {error}"))
            continue
        took = after == "MISS"
        verdict = "took effect" if took else "had no effect"
        results.append((took, f"{name}: purge {verdict} (X-Cache {first} then {after})"))
    return results


page_published.connect(_purge_page, dispatch_uid="front_cache_published")
page_unpublished.connect(_purge_page, dispatch_uid="front_cache_unpublished")
page_cache.GENERATION_MOVED.append(ban_generations_before)
