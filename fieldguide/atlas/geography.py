"""Offline geography: states and counties (package `us`), ZIP codes (package
`zipcodes`), and ZIP Code Tabulation Area -> congressional district (data/zccd-119.csv).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import us
import zipcodes

DATA = Path(__file__).with_name("data")
ZCCD_FILE = DATA / "zccd-119.csv"
ZCCD_CONGRESS = 119

_COUNTY_WORDS = re.compile(
    r"\b(city and borough|municipality|census area|county|parish|borough|municipio)( of)?\b"
)


def normalise_county(name: str) -> str:
    """A key that matches the spellings of the two packages.

    'Doña Ana County' = 'Dona Ana County', 'St Louis County' = 'St. Louis County',
    'De Witt County' = 'DeWitt County', 'Municipality of Anchorage' = 'Anchorage
    Municipality'. Independent cities keep the word 'city', so Baltimore city and
    Baltimore County stay apart.
    """
    return re.sub(r"[^a-z]", "", _COUNTY_WORDS.sub("", _fold(name)))


def _fold(name: str) -> str:
    """Lower case, no accents (Mayagüez = Mayaguez), 'St.'/'Ste.' spelled out as Saint(e)."""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(
        r"\bste?\.?\s", lambda m: "sainte " if m.group(0).startswith("ste") else "saint ", name
    )


def normalise_place(name: str) -> str:
    """A key for a city however it is typed: 'St. Louis' = 'Saint Louis', 'Coeur d’Alene' =
    'Coeur D Alene', 'Winston-Salem' = 'Winston Salem', 'San Germán' = 'San German'."""
    return re.sub(r"[^a-z0-9]", "", _fold(name.strip() + " "))


def states_and_territories() -> list[us.states.State]:
    """The 50 states, DC and the five inhabited territories."""
    return list(us.states.STATES_AND_TERRITORIES)


def state_for(abbr_or_name: str) -> us.states.State | None:
    """A state or territory by postal code or name; never by FIPS code ('24' is not Maryland)."""
    text = abbr_or_name.strip()
    if not text or text.isdigit():
        return None
    state = us.states.lookup(text) or us.states.lookup(re.sub(r"(?i)^u\.?s\.?\s+", "", text))
    if state is None or state not in us.states.STATES_AND_TERRITORIES:
        return None
    return state


@lru_cache(maxsize=1)
def _county_fips() -> dict[tuple[str, str], str]:
    return {
        (state.abbr, normalise_county(county.name)): county.fips
        for state in states_and_territories()
        for county in (state.counties or [])
    }


def county_fips(state_abbr: str, county_name: str) -> str:
    return _county_fips().get((state_abbr, normalise_county(county_name)), "")


@lru_cache(maxsize=1)
def _zcta_districts() -> dict[str, list[tuple[str, int]]]:
    table: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with ZCCD_FILE.open(newline="") as handle:
        for row in csv.DictReader(handle):
            table[row["zcta"]].append((row["state_abbr"], int(row["cd"])))
    return dict(table)


# The territories the ZCTA file leaves out; each elects one Delegate, so every ZIP there
# is in the one (at-large) district.
TERRITORIES_WITHOUT_ZCTAS = {"AS", "GU", "MP", "VI"}


@lru_cache(maxsize=1)
def _at_large_states() -> frozenset[str]:
    districts: dict[str, set[int]] = defaultdict(set)
    for pairs in _zcta_districts().values():
        for state, district in pairs:
            districts[state].add(district)
    one = {state for state, found in districts.items() if found == {0}}
    return frozenset(one | TERRITORIES_WITHOUT_ZCTAS)


def at_large(state_abbr: str) -> bool:
    """The state, DC or territory has a single House seat, so its member is certain."""
    return state_abbr in _at_large_states()


def districts_for_zip(zip_code: str) -> list[tuple[str, int]]:
    """(state, district) pairs the ZIP's tabulation area touches; 0 is at-large."""
    return sorted(set(_zcta_districts().get(zip_code, [])))


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[dict]]:
    index: dict[str, list[dict]] = defaultdict(list)
    for entry in zipcodes.list_all():
        if entry["zip_code_type"] in ("STANDARD", "PO BOX", "UNIQUE") and entry["country"] == "US":
            index[normalise_place(entry["city"])].append(entry)
    return dict(index)


def zips_for_city(city: str, state_abbr: str | None = None) -> list[dict]:
    entries = _cities().get(normalise_place(city), [])
    return [e for e in entries if state_abbr is None or e["state"] == state_abbr]


def zips_in_counties(state_abbr: str, counties: set[str]) -> list[dict]:
    """Every ZIP of the state whose county is one of these (normalised) county names."""
    return [
        entry
        for entries in _cities().values()
        for entry in entries
        if entry["state"] == state_abbr and normalise_county(entry["county"]) in counties
    ]


def zip_entry(zip_code: str) -> dict | None:
    try:
        found = zipcodes.matching(zip_code)
    except (TypeError, ValueError):
        return None
    return found[0] if found else None
