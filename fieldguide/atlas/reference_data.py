"""Reference data shipped with the source so a fresh install can name readers' representatives.

``build`` derives two compact CSV files from the public datasets (members of Congress from
unitedstates/congress-legislators, state legislators and executives from openstates/people,
both CC0) plus a manifest with each dataset's source, license and own date. ``load`` puts
them in the database on ``load_atlas`` when nothing (or only older data) is loaded, so the
lookup works offline with no manual step. ``import_legislators`` and
``import_state_officials`` still take a newer file or folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from .federal_import import SAFE_LOADER, ImportFailed, import_legislators_data
from .geography import DATA
from .models import DatasetImport, StateOfficial

MANIFEST = DATA / "reference.yaml"
CONGRESS_FILE = "congress-current.csv"
STATE_FILE = "state-officials.csv"
CONGRESS_FIELDS = [
    "bioguide",
    "chamber",
    "state",
    "district",
    "name",
    "party",
    "phone",
    "url",
    "contact_form",
    "term_start",
    "term_end",
]
STATE_FIELDS = ["state", "role", "district", "name", "party", "phone", "url"]
STATE_ROLES = set(StateOfficial.Role.values)


# --- Members of Congress --------------------------------------------------------------


def compact_congress(people: list[dict]) -> str:
    """legislators-current.yaml as CSV: the current term's fields the site shows."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CONGRESS_FIELDS, lineterminator="\n")
    writer.writeheader()
    for person in people:
        term = person["terms"][-1]
        writer.writerow(
            {
                "bioguide": person["id"]["bioguide"],
                "chamber": term["type"],
                "state": term["state"],
                "district": term.get("district", ""),
                "name": person["name"].get("official_full")
                or f"{person['name']['first']} {person['name']['last']}",
                "party": term.get("party", ""),
                "phone": term.get("phone", ""),
                "url": term.get("url", ""),
                "contact_form": term.get("contact_form", ""),
                "term_start": term.get("start", ""),
                "term_end": term.get("end", ""),
            }
        )
    return out.getvalue()


def congress_people(text: str) -> list[dict]:
    """The compact CSV back in the shape of legislators-current.yaml, for the one importer."""
    people = []
    for row in csv.DictReader(io.StringIO(text)):
        term = {k: row[k] for k in ("state", "party", "phone", "url", "contact_form") if row[k]}
        term.update(type=row["chamber"], start=row["term_start"], end=row["term_end"])
        if row["district"] != "":
            term["district"] = int(row["district"])
        people.append(
            {
                "id": {"bioguide": row["bioguide"]},
                "name": {"official_full": row["name"]},
                "terms": [term],
            }
        )
    return people


# --- State legislators and executives (openstates/people) --------------------------------


def _current(items: list[dict], day: dt.date) -> list[dict]:
    def as_date(value, default: dt.date) -> dt.date:
        return dt.date.fromisoformat(str(value)[:10]) if value else default

    return [
        item
        for item in items
        if as_date(item.get("start_date"), dt.date.min)
        <= day
        < as_date(item.get("end_date"), dt.date.max)
    ]


def _phone(person: dict) -> str:
    offices = sorted(
        (o for o in person.get("offices", []) if o.get("voice")),
        key=lambda o: o.get("classification") != "capitol",
    )
    return str(offices[0]["voice"]) if offices else ""


def openstates_rows(folder: Path, day: dt.date) -> list[dict]:
    """Every current state legislator, governor and attorney general, plus vacant seats."""
    data = folder / "data"
    if not data.is_dir():
        raise ImportFailed(f"{folder}: no data/ folder (expected an openstates/people checkout).")
    rows: list[dict] = []
    for path in sorted(data.glob("*/*/*.yml")):
        state = path.parts[-3]
        if state == "us" or path.parts[-2] not in ("legislature", "executive"):
            continue  # data/us repeats Congress, which comes from congress-legislators
        try:
            person = yaml.load(path.read_bytes(), Loader=SAFE_LOADER)  # noqa: S506
        except yaml.YAMLError as exc:
            raise ImportFailed(f"{path}: not valid YAML ({exc}).") from exc
        for role in _current(person.get("roles", []), day):
            jurisdiction = role.get("jurisdiction", "") + "/"
            if role.get("type") not in STATE_ROLES or not any(
                f"/{kind}:{state}/" in jurisdiction for kind in ("state", "district", "territory")
            ):
                continue
            parties = _current(person.get("party", []), day) or person.get("party", [])
            links = [link["url"] for link in person.get("links", []) if link.get("url")]
            rows.append(
                {
                    "state": state.upper(),
                    "role": role["type"],
                    "district": str(role.get("district", "")),
                    "name": person["name"],
                    "party": parties[-1]["name"] if parties else "",
                    "phone": _phone(person),
                    "url": links[0] if links else "",
                }
            )
    settings = folder / "settings.yml"
    if settings.exists():
        vacancies = yaml.load(settings.read_bytes(), Loader=SAFE_LOADER) or {}  # noqa: S506
        for state, value in vacancies.items():
            if state == "us":
                continue
            for seat in (value or {}).get("vacancies") or []:
                rows.append(
                    {
                        "state": state.upper(),
                        "role": seat["chamber"],
                        "district": str(seat["district"]),
                        "name": "",
                        "party": "",
                        "phone": "",
                        "url": "",
                    }
                )
    rows.sort(key=lambda r: (r["state"], r["role"], r["district"], r["name"]))
    return rows


def compact_state(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, STATE_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@transaction.atomic
def import_state_officials(
    rows: list[dict], source: str, data_date: dt.date | None
) -> DatasetImport:
    """Replace the state legislators and executives; all rows or none."""
    for index, row in enumerate(rows):
        if row["role"] not in STATE_ROLES or len(row["state"]) != 2:
            raise ImportFailed(
                f"{source}: row {index + 2}: role '{row['role']}' or state '{row['state']}' "
                "is not one this site knows."
            )
    StateOfficial.objects.all().delete()
    StateOfficial.objects.bulk_create(
        StateOfficial(**{k: row[k] for k in STATE_FIELDS}) for row in rows
    )
    return DatasetImport.objects.create(
        dataset=DatasetImport.Dataset.STATE_OFFICIALS,
        source=source,
        imported_at=timezone.now(),
        record_count=len(rows),
        data_date=data_date,
    )


# --- The manifest and the load on a fresh install -------------------------------------


def manifest() -> dict:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def load(force: bool = False) -> dict[str, DatasetImport | None]:
    """Load the shipped files unless the database already has data as new or newer."""
    info = manifest()
    loaded: dict[str, DatasetImport | None] = {"congress": None, "state": None}
    congress = info["congress_legislators"]
    latest = DatasetImport.latest(DatasetImport.Dataset.LEGISLATORS)
    if force or latest is None or (latest.data_date or dt.date.min) < congress["as_of"]:
        text = (DATA / congress["file"]).read_text(encoding="utf-8")
        loaded["congress"] = import_legislators_data(
            congress_people(text), f"{congress['source']} (shipped copy)", congress["as_of"]
        )
    state = info["openstates"]
    latest = DatasetImport.latest(DatasetImport.Dataset.STATE_OFFICIALS)
    if force or latest is None or (latest.data_date or dt.date.min) < state["as_of"]:
        text = (DATA / state["file"]).read_text(encoding="utf-8")
        loaded["state"] = import_state_officials(
            list(csv.DictReader(io.StringIO(text))),
            f"{state['source']} (shipped copy)",
            state["as_of"],
        )
    return loaded


def build(
    congress_yaml: Path,
    openstates: Path,
    congress_as_of: dt.date,
    openstates_as_of: dt.date,
    openstates_commit: str,
    out: Path = DATA,
) -> dict[str, int]:
    """Write the compact files and the manifest; returns each file's size in bytes."""
    people = yaml.load(congress_yaml.read_bytes(), Loader=SAFE_LOADER)  # noqa: S506
    rows = openstates_rows(openstates, openstates_as_of)
    (out / CONGRESS_FILE).write_text(compact_congress(people), encoding="utf-8")
    (out / STATE_FILE).write_text(compact_state(rows), encoding="utf-8")
    info = {
        "congress_legislators": {
            "file": CONGRESS_FILE,
            "source": "unitedstates/congress-legislators legislators-current.yaml",
            "url": "https://github.com/unitedstates/congress-legislators",
            "license": "CC0 1.0 / public domain",
            "as_of": congress_as_of,
        },
        "openstates": {
            "file": STATE_FILE,
            "source": f"openstates/people commit {openstates_commit}",
            "url": "https://github.com/openstates/people",
            "license": "CC0 1.0",
            "as_of": openstates_as_of,
        },
    }
    header = (
        "# Written by `manage.py build_reference_data`; the SOURCE and LICENSE of the two\n"
        "# compact files beside it, and each dataset's own date (shown to readers as 'as of').\n"
    )
    (out / MANIFEST.name).write_text(
        header + yaml.safe_dump(info, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return {name: (out / name).stat().st_size for name in (CONGRESS_FILE, STATE_FILE)}
