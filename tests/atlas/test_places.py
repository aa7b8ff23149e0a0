"""Every place in the held-in list resolves to its expected state, districts and members.

The expected values in places.yaml were derived from the raw files, not from this code;
the shipped reference data (load_atlas) supplies the members.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from fieldguide.atlas import status
from fieldguide.atlas.lookup import jurisdictions_for, resolve
from fieldguide.atlas.models import Topic
from fieldguide.atlas.representatives import delegation_for

PLACES = yaml.safe_load((Path(__file__).with_name("places.yaml")).read_text(encoding="utf-8"))


def test_the_list_is_large_enough():
    assert len(PLACES) >= 100
    assert len({row["query"] for row in PLACES}) == len(PLACES)


def check(row: dict) -> list[str]:
    """What is wrong with the lookup of one row (nothing: an empty list)."""
    result = resolve(row["query"])
    if "error" in row:
        if result.place or result.choices or row["error"] not in result.error:
            return [f"expected an error with “{row['error']}”, got {result}"]
        return []
    place = result.place
    if place is None:
        return [f"no place: {result.error or result.choices}"]
    delegation = delegation_for(place)
    found = {
        "state": place.state_abbr,
        "districts": place.districts,
        "certain": place.district_certain,
        "senators": sorted(m.name for m in delegation.senators),
        "house": sorted(m.name for m in delegation.house),
    }
    wrong = [
        f"{key}: expected {row[key]!r}, got {value!r}"
        for key, value in found.items()
        if value != row[key]
    ]
    if row.get("note") and not any(row["note"] in note for note in result.notes):
        wrong.append(f"no note with “{row['note']}” in {result.notes}")
    if "selling_sex_first" in row:
        # The status the lookup page shows first: a local rule in force before the state's.
        topic = Topic.objects.get(slug="selling-sex")
        first = status.most_specific_first(status.statuses(topic, jurisdictions_for(place)))[0]
        shown = {
            "jurisdiction": first.jurisdiction.slug,
            "category": first.category.code if first.category else None,
        }
        if shown != row["selling_sex_first"]:
            wrong.append(
                f"selling sex shown first: expected {row['selling_sex_first']}, got {shown}"
            )
    return wrong


def test_every_held_in_place(atlas_reference):
    """One database load (the shipped reference data), every row checked, all failures listed."""
    failures = {row["query"]: check(row) for row in PLACES}
    failures = {query: wrong for query, wrong in failures.items() if wrong}
    assert not failures, "\n".join(f"{q}: {'; '.join(w)}" for q, w in failures.items())
