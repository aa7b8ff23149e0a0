"""Resolve what a reader typed (a ZIP code, a city, a state) to places and jurisdictions.

Nothing here stores or logs the query: the place lives only in the reader's URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from . import geography
from .models import Jurisdiction

ALLOWED = re.compile(r"^[A-Za-z0-9 .,'\-]+$")
ZIP_QUERY = re.compile(r"^(\d{5})(?:-\d{4})?(?:,?\s*([A-Za-z]{2}))?$")
MAX_LENGTH = 100


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
        """The House district is known only when exactly one district can apply."""
        return len(self.districts) == 1 and bool(self.zip_code or self.city)


@dataclass
class Lookup:
    query: str
    place: Place | None = None
    choices: list[Place] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""


def _known_counties(state_abbr: str, names: list[str]) -> list[str]:
    """Counties that exist in the state (the ZIP list names a few in the wrong state)."""
    return sorted({n for n in names if n and geography.county_fips(state_abbr, n)})


def _zip_place(zip_code: str, state_abbr: str | None) -> Lookup:
    entry = geography.zip_entry(zip_code)
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
            districts=sorted(d for s, d in pairs if s == abbr),
        )

    if len(states) > 1:
        return Lookup(
            zip_code,
            choices=[place_in(abbr) for abbr in states],
            notes=[f"ZIP code {zip_code} crosses state lines. Choose your state."],
        )
    place = place_in(states[0])
    notes = []
    if place.counties:
        notes.append(
            f"The offline ZIP list gives one county for {zip_code} ({place.counties[0]}), but a "
            "ZIP code can cross county lines. If you live in another county, search for your "
            "city and state instead."
        )
    return Lookup(zip_code, place=place, notes=notes)


def _city_place(city: str, state: geography.us.states.State) -> Place | None:
    entries = geography.zips_for_city(city, state.abbr)
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
        query=f"{entries[0]['city']}, {state.abbr}",
        state_abbr=state.abbr,
        state_name=state.name,
        city=entries[0]["city"],
        counties=_known_counties(state.abbr, [e["county"] for e in entries]),
        districts=districts,
    )


def resolve(raw: str) -> Lookup:
    """A ZIP code ('21201', '21201-1234', '97635, CA'), 'City, ST', a state, or a city."""
    query = re.sub(r"\s+", " ", (raw or "").strip())
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
            query, place=Place(query=state.abbr, state_abbr=state.abbr, state_name=state.name)
        )
    states = sorted({e["state"] for e in geography.zips_for_city(query)})
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
