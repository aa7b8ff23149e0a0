from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from fieldguide.atlas.lookup import jurisdictions_for, resolve


def test_state_by_name_or_postal_code():
    for query in ("Maryland", "md", " MD "):
        result = resolve(query)
        assert result.place.state_abbr == "MD"
        assert result.place.label == "Maryland"
        assert result.place.districts == []
        assert not result.place.district_certain


def test_zip_resolves_city_county_and_one_district():
    place = resolve("21201").place
    assert (place.city, place.state_abbr, place.counties) == ("Baltimore", "MD", ["Baltimore city"])
    assert place.districts == [7]
    assert place.district_certain
    assert resolve("21201-1234").place.zip_code == "21201"


def test_zip_county_is_shown_with_the_caveat_that_zips_can_cross_county_lines():
    result = resolve("21201")
    assert len(result.notes) == 1
    assert "gives one county for 21201 (Baltimore city)" in result.notes[0]
    assert "can cross county lines" in result.notes[0]


def test_zip_spanning_districts_lists_them_and_is_uncertain():
    place = resolve("21218").place
    assert place.districts == [2, 7]
    assert not place.district_certain


def test_zip_crossing_state_lines_offers_a_choice():
    result = resolve("30165")
    assert result.place is None
    assert [c.state_abbr for c in result.choices] == ["AL", "GA"]
    assert [c.query for c in result.choices] == ["30165, AL", "30165, GA"]
    assert result.notes == ["ZIP code 30165 crosses state lines. Choose your state."]
    chosen = resolve("30165, GA").place
    assert (chosen.city, chosen.counties, chosen.districts) == ("Rome", ["Floyd County"], [14])
    # The Alabama side: the ZIP list has no Alabama city or county for it, so none is guessed.
    alabama = resolve("30165, AL").place
    assert (alabama.city, alabama.counties, alabama.districts) == ("", [], [3])


def test_city_in_several_states_lists_the_choices():
    result = resolve("Portland")
    states = [c.state_abbr for c in result.choices]
    assert {"ME", "OR"} <= set(states)
    assert result.notes[0].startswith("There is a place called Portland in ")
    assert resolve("Portland, OR").place.counties == [
        "Clackamas County",
        "Multnomah County",
        "Washington County",
    ]


def test_city_spanning_counties_lists_every_county_and_district():
    place = resolve("Kansas City, MO").place
    assert {"Jackson County", "Clay County", "Platte County"} <= set(place.counties)
    assert len(place.districts) > 1
    assert not place.district_certain


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Atlantis", "No state, city or ZIP code called “Atlantis” in the offline lists."),
        ("00000", "ZIP code 00000 is not in the offline ZIP list."),
        ("Springfield, ZZ", "“ZZ” is not a US state or territory."),
        ("Atlantis, MD", "No place called “Atlantis” in Maryland in the offline ZIP list."),
        (
            "<script>",
            "Use only letters, digits, spaces, commas, full stops, hyphens and apostrophes.",
        ),
        ("", "Enter a ZIP code, a city and state, or a state."),
        ("a" * 101, "That is longer than 100 characters."),
        ("21201, CA", "ZIP code 21201 is not in CA."),
    ],
)
def test_unknown_or_bad_places_get_a_clear_message(query, message):
    result = resolve(query)
    assert result.place is None and not result.choices
    assert result.error.startswith(message)


def test_jurisdictions_that_apply_to_a_baltimore_zip(atlas):
    slugs = [j.slug for j in jurisdictions_for(resolve("21201").place)]
    assert slugs == ["md", "md-baltimore-city", "md-baltimore-city-states-attorney"]


def test_baltimore_county_is_not_baltimore_city(atlas):
    place = resolve("21204").place  # Towson, in Baltimore County
    assert place.counties == ["Baltimore County"]
    assert [j.slug for j in jurisdictions_for(place)] == ["md"]


def test_lookup_page_shows_every_level_and_keeps_no_trace(client, atlas):
    response = client.get("/atlas/lookup/", {"place": "21201", "topic": "selling-sex"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ZIP code 21201 (Baltimore, MD)" in html
    assert "Maryland Code, Criminal Law § 11-306" in html
    assert "Baltimore City State&#x27;s Attorney" in html
    assert "Non-prosecution policy" in html and "State law applies." in html
    assert response.cookies == {} and "Set-Cookie" not in response.headers
    assert "no-store" in response["Cache-Control"]
    assert not Session.objects.exists()


def test_lookup_page_lists_choices_as_links(client, atlas):
    html = client.get(
        "/atlas/lookup/", {"place": "Portland", "topic": "selling-sex"}
    ).content.decode()
    assert 'href="?topic=selling-sex&amp;place=Portland%2C%20ME"' in html
    assert 'href="?topic=selling-sex&amp;place=Portland%2C%20OR"' in html


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"place": "Atlantis"}, "No state, city or ZIP code called “Atlantis”"),
        ({"place": "x" * 500}, "Ensure this value has at most 100 characters"),
        ({"place": "20001", "topic": "nope"}, "There is no topic “nope”; showing every topic."),
        (
            {"place": "20001", "topic": "Bad Slug!"},
            "The address's “topic” value is not valid: Enter a valid “slug”",
        ),
    ],
)
def test_bad_lookup_input_gets_a_message_not_an_error(client, atlas, params, text):
    response = client.get("/atlas/lookup/", params)
    assert response.status_code == 200
    assert text in response.content.decode()
