"""Members of Congress and state officials for a place, and the call scripts readers use."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .geography import at_large
from .lookup import Place
from .models import Bill, Chamber, DatasetImport, Legislator, StateOfficial
from .offices import chamber_name, state_title


@dataclass
class Delegation:
    place: Place
    senators: list[Legislator]
    house: list[Legislator]
    house_certain: bool
    districts: list[int] = field(default_factory=list)
    as_of: DatasetImport | None = None

    @property
    def has_data(self) -> bool:
        return self.as_of is not None


def delegation_for(place: Place) -> Delegation:
    senators = list(Legislator.objects.filter(state=place.state_abbr, chamber=Chamber.SENATE))
    districts = place.districts or ([0] if at_large(place.state_abbr) else [])
    house = []
    if districts:
        house = list(
            Legislator.objects.filter(
                state=place.state_abbr, chamber=Chamber.HOUSE, district__in=districts
            ).order_by("district")
        )
    return Delegation(
        place=place,
        senators=senators,
        house=house,
        house_certain=place.district_certain or (bool(house) and at_large(place.state_abbr)),
        districts=districts,
        as_of=DatasetImport.latest(DatasetImport.Dataset.LEGISLATORS),
    )


def script(where: str, whom: str, about: str, ask: str) -> str:
    """The one shape of every call script: who is calling, from where, to whom, about what."""
    return (
        f"Hello, my name is [your name] and I live in {where}. "
        f"I am calling {whom} about {about}. {ask} Thank you."
    )


def call_script(bill: Bill, legislator: Legislator, place: Place) -> str:
    """A short script built from the bill's ask, for a phone call or a contact form."""
    whom = f"{legislator.title} {legislator.name}"
    ask = bill.ask.strip() or f"Please tell me where {whom} stands on {bill.label}."
    about = f"{bill.get_bill_type_display()} {bill.number}, {bill.title.rstrip('.')}"
    return script(place.label, whom, about, ask)


# --- State legislators and executives ------------------------------------------------


@dataclass
class Seat:
    """One chamber's district as the reader chose it: its members and any vacant seat."""

    role: str
    district: str
    members: list[StateOfficial]
    vacancies: int


@dataclass
class StateChamber:
    role: str
    name: str
    title: str
    districts: list[str]
    website: str


def _district_key(district: str) -> tuple:
    """Natural order: 2 before 10, 12A before 12B, names alphabetically."""
    digits = "".join(ch for ch in district if ch.isdigit())
    return (int(digits) if digits else 10**6, district)


def chambers_for(state: str) -> list[StateChamber]:
    """The state's legislative chambers with every district a reader can choose."""
    rows = StateOfficial.objects.filter(
        state=state, role__in=["upper", "lower", "legislature"]
    ).values_list("role", "district", "url")
    by_role: dict[str, set[str]] = {}
    origins: dict[str, Counter] = {}
    for role, district, url in rows:
        by_role.setdefault(role, set()).add(district)
        if url:
            parts = urlsplit(url)
            origins.setdefault(role, Counter())[f"{parts.scheme}://{parts.netloc}/"] += 1
    chambers = []
    for role in ("upper", "lower", "legislature"):
        if role not in by_role:
            continue
        website = ""
        if role in origins:
            origin, count = origins[role].most_common(1)[0]
            # Most members' official pages share the chamber's site; a lone campaign site
            # never passes for it.
            if count * 2 >= sum(origins[role].values()):
                website = origin
        chambers.append(
            StateChamber(
                role=role,
                name=chamber_name(state, role),
                title=state_title(state, role),
                districts=sorted(by_role[role], key=_district_key),
                website=website,
            )
        )
    return chambers


def seat_for(state: str, role: str, district: str) -> Seat | None:
    people = list(StateOfficial.objects.filter(state=state, role=role, district=district))
    if not people:
        return None
    members = [p for p in people if not p.is_vacant]
    return Seat(role=role, district=district, members=members, vacancies=len(people) - len(members))


def executives_for(state: str) -> list[StateOfficial]:
    return list(
        StateOfficial.objects.filter(state=state, role__in=["governor", "attorney general"])
        .exclude(name="")
        .order_by("-role")
    )


ISSUE_PLACEHOLDER = "[the issue you are calling about]"


def state_call_script(official: StateOfficial, where: str, about: str = ISSUE_PLACEHOLDER) -> str:
    whom = f"{state_title(official.state, official.role)} {official.name}"
    return script(
        where,
        whom,
        about,
        f"Please tell me where {whom} stands on {about}, and what they will do about it.",
    )
