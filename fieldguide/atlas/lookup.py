"""Resolve what a reader typed (a ZIP code, a city, a state) to places and jurisdictions.

Nothing here stores or logs the query: the place lives only in the reader's URL.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q

from . import geography
from .models import Jurisdiction

# Letters of any alphabet (Mayagüez), digits, spaces and . , ' - (curly quotes are
# straightened first, so "Coeur d’Alene" is allowed).
ALLOWED = re.compile(r"^(?:[^\W_]|[ .,'\-])+$")
ZIP_QUERY = re.compile(r"^(\d{5})(?:-\d{4})?(?:,?\s*([A-Za-z]{2}))?$")
DIGITS_ONLY = re.compile(r"^[\d\s-]+$")
MAX_LENGTH = 100
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# Military post offices have ZIP codes but are not places with members of Congress: APO/FPO
# "AE" 090xx-098xx, "AA" 340xx, "AP" 962xx-966xx (USPS Publication 28, section 225).
MILITARY_STATES = {"AA", "AE", "AP"}
MILITARY_PREFIXES = re.compile(r"^(09[0-8]|340|96[2-6])")

# Names readers use for a city that the ZIP list spells by its parts.
CITY_ALIASES = {
    "newyorkcity": ("NY", "New York City", ("New York", "Kings", "Queens", "Bronx", "Richmond")),
    "nyc": ("NY", "New York City", ("New York", "Kings", "Queens", "Bronx", "Richmond")),
}
ZIP_KINDS = {
    "PO BOX": "a ZIP code for post office boxes only",
    "UNIQUE": "a ZIP code for a single organisation or building",
}


@dataclass
class Place:
    query: str
    state_abbr: str
    state_name: str
    city: str = ""
    zip_code: str = ""
    counties: list[str] = field(default_factory=list)
    districts: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.zip_code:
            where = f"{self.city}, {self.state_abbr}" if self.city else self.state_name
            return f"ZIP code {self.zip_code} ({where})"
        if self.city:
            return f"{self.city}, {self.state_name}"
        return self.state_name

    @property
    def district_certain(self) -> bool:
        """The House district is known only when exactly one district can apply: one
        district for the ZIP or city, or a state, DC or territory with a single seat."""
        if geography.at_large(self.state_abbr):
            return True
        return len(self.districts) == 1 and bool(self.zip_code or self.city)


@dataclass
class Lookup:
    query: str
    place: Place | None = None
    choices: list[Place] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""


def _known_counties(state_abbr: str, names: list[str]) -> list[str]:
    """Counties that exist in the state (the ZIP list names a few in the wrong state), each
    once: 'St. Louis County' and 'Saint Louis County' are one county, shown in the spelling
    most of its ZIP codes use."""
    spellings: dict[str, Counter] = {}
    for name in names:
        fips = geography.county_fips(state_abbr, name) if name else ""
        if fips:
            spellings.setdefault(fips, Counter())[name] += 1
    return sorted(min(counts, key=lambda n: (-counts[n], n)) for counts in spellings.values())


def _military(zip_code: str) -> Lookup:
    return Lookup(
        zip_code,
        error=f"ZIP code {zip_code} is a military post office (APO, FPO or DPO), not a place "
        "with its own members of Congress. Service members and their families are "
        "represented where they are legally resident: enter the ZIP code or city and state "
        "of that home.",
    )


def _zip_place(zip_code: str, state_abbr: str | None) -> Lookup:
    entry = geography.zip_entry(zip_code)
    if (entry and entry["state"] in MILITARY_STATES) or (
        entry is None and MILITARY_PREFIXES.match(zip_code)
    ):
        return _military(zip_code)
    pairs = geography.districts_for_zip(zip_code)
    states = sorted({s for s, _ in pairs} | ({entry["state"]} if entry else set()))
    if not states:
        return Lookup(
            zip_code,
            error=f"ZIP code {zip_code} is not in the offline ZIP list. Try your city and state, "
            "for example “Baltimore, MD”.",
        )
    if state_abbr:
        if state_abbr not in states:
            return Lookup(zip_code, error=f"ZIP code {zip_code} is not in {state_abbr}.")
        states = [state_abbr]

    def place_in(abbr: str) -> Place:
        state = geography.state_for(abbr)
        same_state = entry is not None and entry["state"] == abbr
        return Place(
            query=zip_code if len(states) == 1 and not state_abbr else f"{zip_code}, {abbr}",
            state_abbr=abbr,
            state_name=state.name if state else abbr,
            city=entry["city"] if same_state else "",
            zip_code=zip_code,
            counties=_known_counties(abbr, [entry["county"]] if same_state else []),
            districts=sorted(d for s, d in pairs if s == abbr)
            or ([0] if geography.at_large(abbr) else []),
        )

    if len(states) > 1:
        return Lookup(
            zip_code,
            choices=[place_in(abbr) for abbr in states],
            notes=[f"ZIP code {zip_code} crosses state lines. Choose your state."],
        )
    place = place_in(states[0])
    notes = []
    if not pairs and entry and not geography.at_large(place.state_abbr):
        # No tabulation area: a PO-box or single-organisation ZIP. Its city's districts
        # are the honest answer, shown as uncertain unless there is only one.
        kind = ZIP_KINDS.get(entry["zip_code_type"], "a ZIP code with no area of its own")
        city = _city_place(entry["city"], geography.state_for(place.state_abbr))
        place.districts = city.districts if city else []
        notes.append(
            f"ZIP code {zip_code} is {kind} in {entry['city']}, {place.state_abbr}, so it "
            "has no area on the district maps. The House districts shown are those of "
            f"{entry['city']}; enter the ZIP code where you live to find yours."
        )
    if place.counties:
        notes.append(
            f"The offline ZIP list gives one county for {zip_code} ({place.counties[0]}), but a "
            "ZIP code can cross county lines. If you live in another county, search for your "
            "city and state instead."
        )
    return Lookup(zip_code, place=place, notes=notes)


def _city_place(city: str, state: geography.us.states.State) -> Place | None:
    alias = CITY_ALIASES.get(geography.normalise_place(city))
    if alias and alias[0] == state.abbr:
        entries = geography.zips_in_counties(
            state.abbr, {geography.normalise_county(c) for c in alias[2]}
        )
        name = alias[1]
    else:
        entries = geography.zips_for_city(city, state.abbr)
        name = entries[0]["city"] if entries else ""
    if not entries:
        return None
    districts = sorted(
        {
            d
            for e in entries
            for s, d in geography.districts_for_zip(e["zip_code"])
            if s == state.abbr
        }
    )
    return Place(
        query=f"{name}, {state.abbr}",
        state_abbr=state.abbr,
        state_name=state.name,
        city=name,
        counties=_known_counties(state.abbr, [e["county"] for e in entries]),
        districts=districts or ([0] if geography.at_large(state.abbr) else []),
    )


def _split_state(query: str) -> tuple[str, geography.us.states.State] | None:
    """'portland or', 'St. Louis Missouri', 'Washington DC': a city then a state, no comma."""
    words = query.split(" ")
    for size in (1, 2, 3):
        if len(words) <= size:
            break
        state = geography.state_for(" ".join(words[-size:]))
        if state is not None:
            return " ".join(words[:-size]), state
    return None


def resolve(raw: str) -> Lookup:
    """A ZIP code ('21201', '21201-1234', '97635, CA'), 'City, ST', 'City ST', a state, or a
    city."""
    query = re.sub(r"\s+", " ", (raw or "").translate(QUOTES).strip())
    if not query:
        return Lookup(query, error="Enter a ZIP code, a city and state, or a state.")
    if len(query) > MAX_LENGTH:
        return Lookup(query[:MAX_LENGTH], error=f"That is longer than {MAX_LENGTH} characters.")
    if not ALLOWED.match(query):
        return Lookup(
            query,
            error="Use only letters, digits, spaces, commas, full stops, hyphens and apostrophes.",
        )
    zip_match = ZIP_QUERY.match(query)
    if zip_match:
        return _zip_place(zip_match.group(1), (zip_match.group(2) or "").upper() or None)
    if DIGITS_ONLY.match(query):
        return Lookup(
            query,
            error=f"“{query}” is not a ZIP code: a ZIP code has five digits, for example 21201.",
        )
    if "," in query:
        city, _, state_text = query.rpartition(",")
        state = geography.state_for(state_text)
        if state is None:
            return Lookup(query, error=f"“{state_text.strip()}” is not a US state or territory.")
        place = _city_place(city, state)
        if place is None:
            return Lookup(
                query,
                error=f"No place called “{city.strip()}” in {state.name} in the offline ZIP list.",
            )
        return Lookup(query, place=place)
    state = geography.state_for(query)
    if state is not None:
        return Lookup(
            query,
            place=Place(
                query=state.abbr,
                state_abbr=state.abbr,
                state_name=state.name,
                districts=[0] if geography.at_large(state.abbr) else [],
            ),
        )
    split = _split_state(query)
    if split is not None:
        place = _city_place(*split)
        if place is not None:
            return Lookup(query, place=place)
    alias = CITY_ALIASES.get(geography.normalise_place(query))
    states = [alias[0]] if alias else sorted({e["state"] for e in geography.zips_for_city(query)})
    places = [
        p
        for p in (
            _city_place(query, geography.state_for(s)) for s in states if geography.state_for(s)
        )
        if p
    ]
    if not places:
        return Lookup(
            query,
            error=f"No state, city or ZIP code called “{query}” in the offline lists. "
            "Check the spelling, or try a ZIP code.",
        )
    if len(places) > 1:
        return Lookup(
            query,
            choices=places,
            notes=[
                f"There is a place called {places[0].city} in {len(places)} states. Choose yours."
            ],
        )
    return Lookup(query, place=places[0])


def jurisdictions_for(place: Place) -> list[Jurisdiction]:
    """The state, then the local jurisdictions (county, city, prosecutor) that cover the place."""
    state = Jurisdiction.objects.filter(slug=place.state_abbr.lower()).first()
    found = [state] if state else []
    if not (place.city or place.counties):
        return found
    wanted = {geography.normalise_county(c) for c in place.counties}
    fips = {geography.county_fips(place.state_abbr, c) for c in place.counties} - {""}
    candidates = Jurisdiction.objects.filter(state_abbr=place.state_abbr).exclude(
        Q(parent__isnull=True)
    )
    for local in candidates.order_by("kind", "name"):
        covers = local.fips in fips or wanted & {
            geography.normalise_county(c) for c in local.county_list()
        }
        is_city = local.kind == "city" and local.name.upper() == place.city.upper()
        if covers or is_city:
            found.append(local)
    return found
