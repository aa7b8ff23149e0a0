"""Run the checker over the guide's links and store the results as history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import archive
from .checker import (
    CheckerConfig,
    CheckResult,
    NetworkDown,
    check_urls_sync,
    flag_short_pages,
)
from .collect import sync_usages
from .models import Link, LinkCheck, LinkStatus
from .refresh import refresh_sections_for

#: Answers that say the work is there: they end a run of "broken" answers.
GOOD_STATUSES = (LinkStatus.OK, LinkStatus.REDIRECTED, LinkStatus.SUSPICIOUS)
#: Answers that say nothing about the work: they change nothing readers see.
NO_NEWS = (LinkStatus.UNREACHABLE, LinkStatus.ROBOTS, LinkStatus.REFUSED)


@dataclass
class RunSummary:
    checked: int = 0
    counts: Counter = field(default_factory=Counter)
    #: Set when the run stopped because the network looked down; nothing was stored.
    network_down: str = ""

    def __str__(self) -> str:
        if self.network_down:
            return self.network_down
        parts = ", ".join(
            f"{n} {LinkStatus(status).label.lower()}" for status, n in sorted(self.counts.items())
        )
        noun = "link" if self.checked == 1 else "links"
        return f"Checked {self.checked} {noun}: {parts or 'nothing to check'}."


def confirm_days() -> float:
    """Days between the first and the latest of two broken answers before readers see it."""
    return float(getattr(settings, "LINKHEALTH_CONFIRM_BROKEN_DAYS", 3))


def config_from_settings(**overrides) -> CheckerConfig:
    """Checker settings from LINKHEALTH_* settings, then any explicit overrides."""
    values = {
        "per_host_limit": getattr(settings, "LINKHEALTH_PER_HOST_LIMIT", 2),
        "per_host_delay": getattr(settings, "LINKHEALTH_PER_HOST_DELAY", 0.5),
        "timeout": getattr(settings, "LINKHEALTH_TIMEOUT", 15.0),
        "retries": getattr(settings, "LINKHEALTH_RETRIES", 2),
        "backoff": getattr(settings, "LINKHEALTH_BACKOFF", 1.0),
        "down_min_hosts": getattr(settings, "LINKHEALTH_NETWORK_DOWN_MIN_HOSTS", 3),
        "down_share": getattr(settings, "LINKHEALTH_NETWORK_DOWN_SHARE", 0.5),
    }
    values.update({k: v for k, v in overrides.items() if v is not None})
    return CheckerConfig(**values)


def _previous_lengths(links: list[Link]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    checks = (
        LinkCheck.objects.filter(link__in=links, text_length__isnull=False)
        .exclude(status=LinkStatus.SUSPICIOUS)
        .order_by("link_id", "-checked_at")
        .values_list("link__url", "text_length")
    )
    for url, length in checks:
        lengths.setdefault(url, length)
    return lengths


@transaction.atomic
def store_result(link: Link, result: CheckResult, when) -> LinkCheck:
    check = LinkCheck.objects.create(
        link=link,
        checked_at=when,
        status=result.status,
        http_status=result.http_status,
        final_url=result.final_url[:2000],
        redirect_chain=result.chain,
        error=result.error[:500],
        method=result.method,
        attempts=max(result.attempts, 1),
        duration_ms=result.duration_ms,
        text_length=result.text_length,
    )
    link.status = result.status
    link.http_status = result.http_status
    link.final_url = result.final_url[:2000]
    link.redirect_chain = result.chain
    link.error = result.error[:500]
    link.checked_at = when
    if result.status in (LinkStatus.OK, LinkStatus.REDIRECTED):
        link.last_ok_at = when
    _track_broken(link, result.status, when)
    # A dismissal holds until a check gives a different answer about the work.
    if link.dismissed_at and result.status not in (link.dismissed_status, *NO_NEWS):
        link.dismissed_at, link.dismissed_status = None, ""
    link.save()
    return check


def _track_broken(link: Link, status: str, when) -> None:
    """The two-checks rule. Readers are told a link is broken once two broken answers
    at least ``confirm_days()`` apart came with no good answer between them. "Could not
    check", robots.txt and refused answers say nothing about the work: they change nothing.
    """
    if status == LinkStatus.BROKEN:
        if link.broken_since is None:
            link.broken_since, link.broken_checks = when, 0
        link.broken_checks += 1
        apart = when - link.broken_since >= timedelta(days=confirm_days())
        if link.confirmed_broken_at is None and link.broken_checks >= 2 and apart:
            link.confirmed_broken_at = when
    elif status in GOOD_STATUSES:
        link.broken_since, link.broken_checks, link.confirmed_broken_at = None, 0, None


def run_checks(
    urls: list[str] | None = None,
    stale_days: int | None = None,
    config: CheckerConfig | None = None,
) -> RunSummary:
    """Refresh the usage index, then check the links in use (or just ``urls``).

    ``stale_days`` limits the run to links not checked in that many days.
    """
    links = sync_usages()
    if urls is not None:
        wanted = set(urls)
        links = [link for link in links if link.url in wanted]
    if stale_days is not None:
        cutoff = timezone.now() - timedelta(days=stale_days)
        links = [link for link in links if not link.checked_at or link.checked_at < cutoff]
    try:
        results = check_urls_sync([link.url for link in links], config or config_from_settings())
    except NetworkDown as exc:
        return RunSummary(network_down=str(exc))
    flag_short_pages(results.values(), _previous_lengths(links))
    when = timezone.now()
    summary = RunSummary()
    changed = []
    for link in links:
        result = results[link.url]
        confirmed_before = link.confirmed_broken_at is not None
        store_result(link, result, when)
        if (link.confirmed_broken_at is not None) != confirmed_before:
            changed.append(link.pk)
        summary.checked += 1
        summary.counts[result.status] += 1
    if archive.enabled():
        changed += archive.archive_new_links(links).archived_ids
    refresh_sections_for(changed)
    return summary
