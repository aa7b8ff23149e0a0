"""What needs an editor's attention: overdue reviews, problem links, old checks.

Every date here is derived from records (reviews, publications, link checks); none is
typed by hand.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from fieldguide.guide.models import SectionPage
from fieldguide.linkhealth.models import Link

from .models import SectionReview


def add_months(when: datetime, months: int) -> datetime:
    month_index = when.month - 1 + months
    year, month = when.year + month_index // 12, month_index % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


@dataclass
class SectionFreshness:
    page: SectionPage
    content_changed_at: datetime | None
    last_reviewed_at: datetime | None
    last_review_note: str
    review_due_at: datetime | None
    interval_months: int

    @property
    def overdue(self) -> bool:
        return self.review_due_at is not None and self.review_due_at <= timezone.now()


def section_freshness() -> list[SectionFreshness]:
    """Each section's change date, last review and review due date (from its guide)."""
    sections = SectionPage.objects.select_related("status").order_by("path")
    latest = {
        row["page_id"]: row["last"]
        for row in SectionReview.objects.values("page_id").annotate(last=Max("reviewed_at"))
    }
    notes = {}
    for review in SectionReview.objects.filter(page_id__in=latest.keys()).order_by("reviewed_at"):
        notes[review.page_id] = review.note
    rows = []
    for page in sections:
        guide = page.get_parent().specific
        interval = getattr(guide, "review_interval_months", 12)
        reviewed = latest.get(page.pk)
        since = reviewed or page.first_published_at
        rows.append(
            SectionFreshness(
                page=page,
                content_changed_at=page.content_changed_at,
                last_reviewed_at=reviewed,
                last_review_note=notes.get(page.pk, ""),
                review_due_at=add_months(since, interval) if since else None,
                interval_months=interval,
            )
        )
    return rows


@dataclass
class LinkAttention:
    link: Link
    usages: list = field(default_factory=list)


def problem_links() -> list[LinkAttention]:
    """Links in use that are broken, moved permanently, or look wrong (not dismissed)."""
    links = Link.objects.in_use().needs_attention()
    return [
        LinkAttention(link, list(link.usages.all())) for link in links.prefetch_related("usages")
    ]


def stale_checks(max_age_days: int | None = None) -> list[LinkAttention]:
    """Links in use never checked, or last checked more than ``max_age_days`` ago."""
    if max_age_days is None:
        max_age_days = getattr(settings, "FRESHNESS_CHECK_MAX_AGE_DAYS", 90)
    cutoff = timezone.now() - timedelta(days=max_age_days)
    links = Link.objects.filter(usages__isnull=False).distinct().prefetch_related("usages")
    return [
        LinkAttention(link, list(link.usages.all()))
        for link in links
        if link.checked_at is None or link.checked_at < cutoff
    ]
