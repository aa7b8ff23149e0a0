"""Ask the Internet Archive to keep a copy of new links (Save Page Now 2), off by default.

With ``LINKHEALTH_ARCHIVE_NEW_LINKS = True``, each run submits links in use that answered
well and were never submitted (at most ``LINKHEALTH_ARCHIVE_PER_RUN``), and asks about the
captures submitted before. A finished capture's address becomes the link's archived copy:
the reader notice links to it, and resource links carry it as Robust Links attributes.

The API (``POST {api}/save`` with ``url=…``, then ``GET {api}/save/status/{job_id}``) is
described in the Internet Archive's "Save Page Now 2 Public API" draft; it wants an
account's S3 keys (``Authorization: LOW access:secret``). Every request goes through the
outbound client; tests point ``LINKHEALTH_ARCHIVE_API`` at a local stub.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from django.conf import settings
from django.utils import timezone

from fieldguide.core import outbound

from .checker import DEFAULT_USER_AGENT
from .models import Link, LinkStatus

DEFAULT_API = "https://web.archive.org"


@dataclass
class ArchiveSummary:
    submitted: int = 0
    archived: int = 0
    failed: int = 0
    archived_ids: list[int] = field(default_factory=list)


def enabled() -> bool:
    return bool(getattr(settings, "LINKHEALTH_ARCHIVE_NEW_LINKS", False))


def _api() -> str:
    return getattr(settings, "LINKHEALTH_ARCHIVE_API", DEFAULT_API).rstrip("/")


def _headers() -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": DEFAULT_USER_AGENT}
    access = getattr(settings, "LINKHEALTH_ARCHIVE_ACCESS_KEY", "")
    secret = getattr(settings, "LINKHEALTH_ARCHIVE_SECRET_KEY", "")
    if access and secret:
        headers["Authorization"] = f"LOW {access}:{secret}"
    return headers


def _parse_stamp(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _submit(http: httpx.Client, link: Link) -> bool:
    link.archive_requested_at = timezone.now()
    try:
        response = http.post(f"{_api()}/save", data={"url": link.url})
        job = response.json().get("job_id", "") if response.status_code == 200 else ""
    except (httpx.HTTPError, outbound.OutboundRefused, ValueError, AttributeError):
        job = ""
    link.archive_job = str(job)[:100]
    link.archive_note = "" if job else "The Internet Archive did not take the request."
    link.save(update_fields=["archive_requested_at", "archive_job", "archive_note"])
    return bool(job)


def _collect(http: httpx.Client, link: Link) -> str:
    """'archived', 'failed' or 'pending'."""
    try:
        response = http.get(f"{_api()}/save/status/{link.archive_job}")
        data = response.json() if response.status_code == 200 else {}
    except (httpx.HTTPError, outbound.OutboundRefused, ValueError):
        return "pending"
    state = data.get("status") if isinstance(data, dict) else None
    if state == "success":
        when = _parse_stamp(str(data.get("timestamp", "")))
        original = str(data.get("original_url") or link.url)
        if when is None:
            return "pending"
        link.archived_url = f"{_api()}/web/{when:%Y%m%d%H%M%S}/{original}"[:2300]
        link.archived_at = when
        link.archive_job, link.archive_note = "", ""
        link.save(update_fields=["archived_url", "archived_at", "archive_job", "archive_note"])
        return "archived"
    if state == "error":
        link.archive_job = ""
        message = str(data.get("message") or "no reason given")
        link.archive_note = f"The Internet Archive could not save it: {message}"[:300]
        link.save(update_fields=["archive_job", "archive_note"])
        return "failed"
    return "pending"


def archive_new_links(links: list[Link] | None = None) -> ArchiveSummary:
    """Collect finished captures, then submit links in use never submitted."""
    summary = ArchiveSummary()
    per_run = int(getattr(settings, "LINKHEALTH_ARCHIVE_PER_RUN", 20))
    pending = Link.objects.in_use().exclude(archive_job="")
    fresh = (
        Link.objects.in_use()
        .filter(
            archive_requested_at__isnull=True,
            archived_url="",
            status__in=[LinkStatus.OK, LinkStatus.REDIRECTED],
        )
        .order_by("created_at", "pk")
    )
    if links is not None:
        ids = [link.pk for link in links]
        pending, fresh = pending.filter(pk__in=ids), fresh.filter(pk__in=ids)
    with outbound.client(headers=_headers()) as http:
        for link in pending:
            outcome = _collect(http, link)
            if outcome == "archived":
                summary.archived_ids.append(link.pk)
            summary.archived += outcome == "archived"
            summary.failed += outcome == "failed"
        for link in fresh[:per_run]:
            summary.submitted += _submit(http, link)
    return summary
