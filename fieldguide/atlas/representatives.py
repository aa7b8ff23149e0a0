"""Members of Congress for a place, and the call script readers use."""

from __future__ import annotations

from dataclasses import dataclass, field

from .lookup import Place
from .models import Bill, Chamber, DatasetImport, Legislator


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
    house = []
    if place.districts:
        house = list(
            Legislator.objects.filter(
                state=place.state_abbr, chamber=Chamber.HOUSE, district__in=place.districts
            ).order_by("district")
        )
    return Delegation(
        place=place,
        senators=senators,
        house=house,
        house_certain=place.district_certain,
        districts=place.districts,
        as_of=DatasetImport.latest(DatasetImport.Dataset.LEGISLATORS),
    )


def call_script(bill: Bill, legislator: Legislator, place: Place) -> str:
    """A short script built from the bill's ask, for a phone call or a contact form."""
    ask = bill.ask.strip() or f"Please tell me where the senator stands on {bill.label}."
    title = "Senator" if legislator.chamber == Chamber.SENATE else "Representative"
    return (
        f"Hello, my name is [your name] and I live in {place.label}. "
        f"I am calling {title} {legislator.name} about "
        f"{bill.get_bill_type_display()} {bill.number}, "
        f"{bill.title.rstrip('.')}. {ask} Thank you."
    )
