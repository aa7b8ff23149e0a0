"""Who is coded how, now and over time: the queries behind maps, tables and timelines."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import models

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


def most_specific_first(items: list[JurisdictionStatus]) -> list[JurisdictionStatus]:
    """The order a reader needs: a local rule in force (a county, city or prosecutor
    policy) before the state rule it departs from, then the state, then local places with
    nothing in force (not coded, or a policy that ended). In Las Vegas that puts Clark
    County's ban on brothels before Nevada's county-licensing rule."""

    def rank(item: JurisdictionStatus) -> int:
        if item.jurisdiction.is_top_level:
            return 1
        return 0 if item.current else 2

    return sorted(items, key=rank)


def local_rules_in_force(
    topic: Topic, jurisdiction: Jurisdiction, on: dt.date | None = None
) -> list[JurisdictionStatus]:
    """Local jurisdictions below a state with a record in force on a topic: where the
    state page must say that the place, not the state, sets the rule."""
    below = list(
        Jurisdiction.objects.filter(
            models.Q(parent=jurisdiction) | models.Q(parent__parent=jurisdiction)
        ).order_by("name")
    )
    return [s for s in statuses(topic, below, on) if s.current]


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
