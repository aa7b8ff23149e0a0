"""Who is coded how, now and over time: the queries behind maps, tables and timelines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .models import Category, Jurisdiction, PolicyRecord, Topic
from .models.policy import START_FIRST


@dataclass
class JurisdictionStatus:
    jurisdiction: Jurisdiction
    current: PolicyRecord | None
    history: list[PolicyRecord] = field(default_factory=list)

    @property
    def category(self) -> Category | None:
        return self.current.category if self.current else None

    @property
    def style(self) -> int:
        """Map style: the category's, or 0 for 'not yet coded'."""
        return self.category.style if self.category else 0

    @property
    def label(self) -> str:
        return self.category.label if self.category else NOT_CODED_LABEL


NOT_CODED_LABEL = "Not yet coded"
NOT_CODED_DEFINITION = (
    "No one has coded this jurisdiction yet. This is not a finding about its law."
)


def records_for(topic: Topic, jurisdictions=None):
    records = PolicyRecord.objects.filter(topic=topic).select_related("category", "jurisdiction")
    if jurisdictions is not None:
        records = records.filter(jurisdiction__in=jurisdictions)
    return records.prefetch_related("sources__checked_by").order_by(START_FIRST)


def statuses(
    topic: Topic, jurisdictions: list[Jurisdiction], on: dt.date | None = None
) -> list[JurisdictionStatus]:
    """Each jurisdiction's record in force on a day (today by default) and its history."""
    on = on or dt.date.today()
    by_place: dict[int, list[PolicyRecord]] = {}
    for record in records_for(topic, jurisdictions):
        by_place.setdefault(record.jurisdiction_id, []).append(record)
    result = []
    for jurisdiction in jurisdictions:
        history = sorted(
            by_place.get(jurisdiction.pk, []), key=lambda r: r.effective_date or dt.date.min
        )
        current = next((r for r in history if r.is_current(on)), None)
        result.append(JurisdictionStatus(jurisdiction, current, history))
    return result


def top_level_jurisdictions() -> list[Jurisdiction]:
    return list(Jurisdiction.objects.filter(parent__isnull=True).order_by("name"))


@dataclass
class Change:
    date: dt.date
    date_display: str
    jurisdiction: Jurisdiction
    record: PolicyRecord
    ended: bool


def timeline(topic: Topic) -> list[Change]:
    """Dated changes, newest first: a record taking effect, or ending with no successor."""
    records = list(records_for(topic))
    starts = {(r.jurisdiction_id, r.effective_date) for r in records if r.effective_date}
    changes = []
    for r in records:
        if r.effective_date:
            changes.append(Change(r.effective_date, r.effective_display, r.jurisdiction, r, False))
        if r.end_date and (r.jurisdiction_id, r.end_date) not in starts:
            changes.append(Change(r.end_date, r.end_display, r.jurisdiction, r, True))
    return sorted(changes, key=lambda c: (c.date, c.jurisdiction.name), reverse=True)
