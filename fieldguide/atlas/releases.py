"""Publishing a topic's dataset as a numbered release, its changelog, and the agreement
rate of blind second codings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from .models import AGREEMENT_TARGET, DatasetRelease, PolicyRecord, SecondCoding, Topic
from .policy_csv import record_row, with_related, write_rows

ADDED, REMOVED = "(record added)", "(record removed)"


def row_key(row: dict[str, str]) -> str:
    """A record's identity across releases: jurisdiction and effective date."""
    return f"{row['jurisdiction']} {row['effective_date'] or '(before coding began)'}"


def snapshot(topic: Topic) -> list[dict[str, str]]:
    records = with_related(PolicyRecord.objects.filter(topic=topic))
    return [record_row(r) for r in records]


def changed_cells(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[dict[str, str]]:
    """Every cell that differs, as {jurisdiction, record, column, old, new}.

    A record in only one of the two is one change with the column ``(record added)`` or
    ``(record removed)`` and its category as the value.
    """
    before = {row_key(r): r for r in old}
    after = {row_key(r): r for r in new}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        place = (a or b)["jurisdiction"]
        if a is None or b is None:
            column = ADDED if a is None else REMOVED
            value = (b or a)["category"]
            changes.append(
                {
                    "jurisdiction": place,
                    "record": key,
                    "column": column,
                    "old": "" if a is None else value,
                    "new": value if a is None else "",
                }
            )
            continue
        for column in list(dict.fromkeys([*a, *b])):
            if a.get(column, "") != b.get(column, ""):
                changes.append(
                    {
                        "jurisdiction": place,
                        "record": key,
                        "column": column,
                        "old": a.get(column, ""),
                        "new": b.get(column, ""),
                    }
                )
    return changes


@transaction.atomic
def publish(topic: Topic, user, law_current_as_of: dt.date, notes: str = "") -> DatasetRelease:
    """Freeze the topic's records as the next release, with its changes since the last."""
    Topic.objects.select_for_update().filter(pk=topic.pk).first()
    previous = DatasetRelease.objects.filter(topic=topic).order_by("-number").first()
    rows = snapshot(topic)
    number = (DatasetRelease.objects.filter(topic=topic).aggregate(n=Max("number"))["n"] or 0) + 1
    return DatasetRelease.objects.create(
        topic=topic,
        number=number,
        law_current_as_of=law_current_as_of,
        published_by=user,
        notes=notes,
        rows=rows,
        changes=changed_cells(previous.rows if previous else [], rows),
    )


def release_csv(release: DatasetRelease) -> str:
    return write_rows(release.rows)


@dataclass(frozen=True)
class Agreement:
    compared: int
    agreed: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.compared if self.compared else None

    @property
    def percent(self) -> str:
        return "" if self.rate is None else f"{self.rate * 100:.0f}%"

    @property
    def meets_target(self) -> bool:
        return self.rate is not None and self.rate >= AGREEMENT_TARGET


def agreement(topic: Topic) -> Agreement:
    """Second codings that found a first coding in force that day, and how many agree."""
    compared = agreed = 0
    codings = SecondCoding.objects.filter(topic=topic)
    records: dict[int, list[PolicyRecord]] = {}
    for record in PolicyRecord.objects.filter(topic=topic):
        records.setdefault(record.jurisdiction_id, []).append(record)
    for coding in codings:
        first = next(
            (r for r in records.get(coding.jurisdiction_id, []) if r.is_current(coding.coded_on)),
            None,
        )
        if first is None:
            continue
        compared += 1
        agreed += first.category_id == coding.category_id
    return Agreement(compared, agreed)
