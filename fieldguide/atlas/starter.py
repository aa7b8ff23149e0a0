"""Starter data: jurisdictions, codebooks, sourced policy records and the directory.

Idempotent and safe to run on every start: by default only what is missing is created,
so editors' changes in the admin are never overwritten. ``update=True`` brings existing
rows back in line with the starter files.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from fieldguide.library.models import Profile

from . import geography, reference_data
from .codebook import load_codebook, upsert
from .models import (
    DirectoryEntry,
    DirectorySource,
    Jurisdiction,
    JurisdictionKind,
    PolicyRecord,
    Topic,
)
from .policy_csv import ImportResult, import_policy_csv

DATA = geography.DATA


def load_states(update: bool = False) -> int:
    """The 50 states, DC and the five inhabited territories, with FIPS codes."""
    for state in geography.states_and_territories():
        if state.abbr == "DC":
            kind = JurisdictionKind.DISTRICT
        elif state.is_territory:
            kind = JurisdictionKind.TERRITORY
        else:
            kind = JurisdictionKind.STATE
        upsert(
            Jurisdiction,
            update,
            slug=state.abbr.lower(),
            defaults={
                "name": state.name,
                "kind": kind,
                "state_abbr": state.abbr,
                "fips": state.fips,
            },
        )
    return len(geography.states_and_territories())


def load_local(path: Path, update: bool = False) -> int:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["jurisdictions"]
    for item in items:
        parent = Jurisdiction.objects.get(slug=item.get("parent") or item["state"].lower())
        upsert(
            Jurisdiction,
            update,
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "state_abbr": item["state"],
                "fips": item.get("fips", ""),
                "parent": parent,
                "county_names": item.get("counties", ""),
            },
        )
    return len(items)


def load_directory(path: Path, update: bool = False) -> int:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in data["entries"]:
        if not update and DirectoryEntry.objects.filter(key=item["key"]).exists():
            continue
        profile = Profile.objects.filter(key=item.get("profile") or "").first()
        if (
            profile
            and DirectoryEntry.objects.filter(profile=profile).exclude(key=item["key"]).exists()
        ):
            profile = None  # an editor linked that profile to another entry: keep theirs
        entry, _ = DirectoryEntry.objects.update_or_create(
            key=item["key"],
            defaults={
                "profile": profile,
                "name": "" if profile else item["name"],
                "website": "" if profile else item["website"],
                "description": "" if profile else item.get("description", ""),
                "kind": item.get("kind", "organization"),
                "nationwide": item.get("nationwide", False),
                "volunteer_url": item.get("volunteer_url", ""),
                "donate_url": item.get("donate_url", ""),
            },
        )
        entry.places.set(Jurisdiction.objects.filter(slug__in=item.get("places", [])))
        entry.topics.set(Topic.objects.filter(slug__in=item.get("topics", [])))
        entry.save()
        previous = {s.url: s for s in entry.sources.all()}
        entry.sources.all().delete()
        source = DirectorySource(
            entry=entry,
            url=profile.website if profile else item["website"],
            title=f"{entry.display_name}: home page",
        )
        source.keep_check_of(previous.get(source.url))
        source.save()
    return len(data["entries"])


def load_policies(folder: Path, update: bool = False) -> ImportResult | None:
    """The shipped records (one CSV file per topic or place in ``folder``), through the
    editors' CSV importer, into an empty atlas only.

    Once any record exists the editors own the data: a later run changes nothing unless
    ``update`` is set (then rows are applied as an import: matching records updated).
    """
    if not update and PolicyRecord.objects.exists():
        return None
    total = ImportResult(0, 0)
    for path in sorted(folder.glob("*.csv")):
        result = import_policy_csv(path.read_bytes())
        total.created += result.created
        total.updated += result.updated
        total.unchanged += result.unchanged
    return total


@transaction.atomic
def load_all(update: bool = False, reference: bool = True) -> dict:
    """Everything ``load_atlas`` loads; ``reference=False`` leaves out the members of
    Congress and state officials (8,000 rows), which most tests do not need."""
    return {
        "jurisdictions": load_states(update)
        + load_local(DATA / "local_jurisdictions.yaml", update),
        "topics": load_codebook(DATA / "codebook.yaml", update),
        "policies": load_policies(DATA / "policies", update),
        "directory": load_directory(DATA / "directory.yaml", update),
        "reference": reference_data.load(force=update) if reference else None,
    }
