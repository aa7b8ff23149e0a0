from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fieldguide.atlas.models import DirectoryEntry
from fieldguide.atlas.starter import load_all
from fieldguide.library.models import Profile


def test_entry_without_profile_keeps_its_own_name_and_sources(atlas):
    entry = DirectoryEntry.objects.get(key="decrim-ny")
    assert entry.profile is None
    assert (entry.display_name, entry.home_page) == ("Decrim NY", "https://www.decrimny.org/")
    assert [p.slug for p in entry.places.all()] == ["ny"]
    source = entry.sources.get()
    # The shipped file claims no check: only a person's action in the admin records one.
    assert (source.url, source.checked_on, source.checked_by) == (
        "https://www.decrimny.org/",
        None,
        None,
    )


def test_who_to_follow_profile_is_one_record_not_two(db):
    """As in `make serve`: load_guide creates the profile, then load_atlas links to it."""
    profile = Profile.objects.create(
        key="swop-usa", name="SWOP USA", website="https://swopusa.org/", description="Sex workers."
    )
    load_all()
    entry = DirectoryEntry.objects.get(key="swop-usa")
    assert entry.profile == profile
    assert (entry.name, entry.website) == ("", "")
    assert (entry.display_name, entry.home_page) == ("SWOP USA", "https://swopusa.org/")
    profile.name = "Sex Workers Outreach Project USA"
    profile.save()
    entry.refresh_from_db()
    assert entry.display_name == "Sex Workers Outreach Project USA"
    assert DirectoryEntry.objects.filter(key="swop-usa").count() == 1


def test_entry_needs_a_name_and_home_page_or_a_profile(db):
    with pytest.raises(ValidationError) as caught:
        DirectoryEntry(key="nameless").full_clean()
    assert "Give a name, or link a 'Who To Follow' profile." in caught.value.messages


def test_jurisdiction_page_lists_local_and_nationwide_groups(client, atlas):
    html = client.get("/atlas/places/ny/").content.decode()
    assert '<a href="https://www.decrimny.org/" rel="noopener noreferrer">Decrim NY</a>' in html
    assert "Decriminalize Sex Work" in html  # nationwide
    assert "HIPS" not in html  # serves DC only


def test_lookup_lists_groups_for_the_place_and_topic(client, atlas):
    html = client.get(
        "/atlas/lookup/", {"place": "21201", "topic": "drug-possession"}
    ).content.decode()
    assert "Baltimore Harm Reduction Coalition" in html
    assert "Drug Policy Alliance" in html
    assert "Decrim NY" not in html
