"""Resource.to_csl() / Resource.from_csl() round-trip without loss."""

from __future__ import annotations

import datetime

import pytest

from fieldguide.library.models import Resource
from tests.library.test_citations import BALSAM_CHAPTER

FULL_ITEM = {
    "id": "balsam-2019-affirmative-cbt",
    **BALSAM_CHAPTER,
    "collection-title": "A series",
    "publisher-place": "Washington, DC",
    "accessed": {"date-parts": [[2024, 5, 6]]},
    "URL": "https://doi.org/10.1037/0000119-012",
    "language": "en",
    "genre": "Book chapter",
    "ISBN": "978-1-4338-3022-2",
    "abstract": "Kept in csl_extra.",
    "original-date": {"date-parts": [[2006]]},
    "translator": [{"family": "Doe", "given": "Jane", "dropping-particle": "de"}],
}


@pytest.mark.django_db
def test_from_csl_then_to_csl_returns_the_same_item():
    resource = Resource.from_csl(FULL_ITEM)
    assert resource.resource_type == "chapter"
    assert resource.pages == "287-314"
    assert resource.accessed == datetime.date(2024, 5, 6)
    assert resource.csl_extra["ISBN"] == "978-1-4338-3022-2"
    # A name with a particle is a creator row like any other (it used to push its
    # whole role into csl_extra).
    roles = ["author"] * 4 + ["editor"] * 2 + ["translator"]
    assert [c.role for c in resource.creators.all()] == roles
    assert resource.creators.all()[6].dropping_particle == "de"
    assert "translator" not in resource.csl_extra
    assert resource.to_csl() == FULL_ITEM


@pytest.mark.django_db
def test_round_trip_survives_saving():
    resource = Resource.from_csl(FULL_ITEM)
    resource.save()
    stored = Resource.objects.get(key=FULL_ITEM["id"])
    assert stored.to_csl() == FULL_ITEM


@pytest.mark.django_db
def test_organisation_author_and_our_type_that_csl_lacks():
    item = {
        "id": "who-policy",
        "type": "report",
        "custom": {"fieldguide-type": "policy"},
        "title": "A policy statement",
        "author": [{"literal": "World Health Organization"}],
        "issued": {"date-parts": [[2022, 7]]},
    }
    resource = Resource.from_csl(item)
    assert resource.resource_type == "policy"
    assert resource.creators.all()[0].literal == "World Health Organization"
    assert resource.to_csl() == item


@pytest.mark.django_db
def test_unusual_csl_type_and_date_kept_in_extra():
    item = {
        "id": "x",
        "type": "thesis",
        "title": "A thesis",
        "issued": {"date-parts": [[2019, 1], [2020, 2]]},
    }
    resource = Resource.from_csl(item)
    assert resource.resource_type == "report"
    # The range stays whole for citations; the columns hold its start (lists, duplicates).
    assert resource.csl_extra["issued"] == {"date-parts": [[2019, 1], [2020, 2]]}
    assert (resource.issued_year, resource.issued_month) == (2019, 1)
    assert resource.to_csl() == item


@pytest.mark.django_db
def test_resource_to_csl_to_resource_keeps_every_field(guide):
    original = Resource.objects.get(key="platt-2018")
    copy = Resource.from_csl(original.to_csl())
    for field in (
        "title",
        "resource_type",
        "container",
        "issued_year",
        "volume",
        "issue",
        "pages",
        "doi",
    ):
        assert getattr(copy, field) == getattr(original, field)
    assert [(c.family, c.given) for c in copy.creators.all()] == [("Platt", "Lucy")]
