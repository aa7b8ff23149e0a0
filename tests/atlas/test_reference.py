"""Shipped reference data: members of Congress and state officials on a fresh install,
the right titles in every call script, ended bills, and choosing state legislative districts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pytest
import yaml
from django.contrib.sessions.models import Session
from django.core.management import call_command

from fieldguide.atlas import reference_data
from fieldguide.atlas.federal_import import import_bills
from fieldguide.atlas.lookup import _known_counties, resolve
from fieldguide.atlas.models import Bill, DatasetImport, Legislator, StateOfficial
from fieldguide.atlas.offices import chamber_name, state_title
from fieldguide.atlas.representatives import call_script, state_call_script

from .conftest import shared_data

MARYLAND_SENATORS = ["Angela D. Alsobrooks", "Chris Van Hollen"]


def test_fresh_install_shows_marylands_senators_and_the_member_for_21201(client, db):
    """The database set up the way `make serve` does it, with no manual step."""
    call_command("load_guide", "content/default", verbosity=0)
    call_command("load_atlas", stdout=open("/dev/null", "w"))  # noqa: SIM115
    html = client.get("/atlas/lookup/", {"place": "21201"}).content.decode()
    for name in MARYLAND_SENATORS:
        assert f"Senator <strong>{name}</strong>" in html
    assert "Representative <strong>Kweisi Mfume</strong>" in html
    assert 'Members of Congress as of <time datetime="2026-06-15">June 15, 2026</time>' in html
    # State legislators: a select of Maryland's 47 Senate districts, and the chambers' site.
    assert html.count('<option value="') >= 47 + 47
    assert 'href="https://mgaleg.maryland.gov/"' in html


def test_load_is_skipped_when_the_same_or_newer_data_is_loaded(atlas_reference):
    assert DatasetImport.latest("legislators").data_date == dt.date(2026, 6, 15)
    assert DatasetImport.latest("state_officials").data_date == dt.date(2026, 8, 5)
    assert Legislator.objects.count() == 537
    assert reference_data.load() == {"congress": None, "state": None}
    assert DatasetImport.objects.filter(dataset="legislators").count() == 1


def test_manifest_names_source_license_and_the_datas_own_date():
    info = reference_data.manifest()
    assert info["congress_legislators"]["as_of"] == dt.date(2026, 6, 15)
    assert info["congress_legislators"]["license"].startswith("CC0")
    assert info["openstates"]["source"] == "openstates/people commit 934bf09a94a3"
    assert info["openstates"]["as_of"] == dt.date(2026, 8, 5)
    for part in info.values():
        assert (reference_data.DATA / part["file"]).stat().st_size < 1_000_000


def test_build_reference_data_from_a_checkout(tmp_path):
    """The builder reads the real files: current roles only, vacancies as empty seats."""
    source = shared_data("openstates-people/settings.yml").parent
    congress = shared_data("congress-legislators/legislators-current.yaml")
    folder = tmp_path / "in"
    (folder / "congress-legislators").mkdir(parents=True)
    shutil.copy(congress, folder / "congress-legislators")
    people = folder / "openstates-people"
    for sub in ("md/legislature", "md/executive", "ga/legislature"):
        shutil.copytree(source / "data" / sub, people / "data" / sub)
    shutil.copy(source / "settings.yml", people)
    out = tmp_path / "out"
    out.mkdir()
    call_command(
        "build_reference_data",
        "--from",
        str(folder),
        "--congress-as-of",
        "2026-06-15",
        "--openstates-as-of",
        "2026-08-05",
        "--openstates-commit",
        "934bf09a94a3",
        "--out",
        str(out),
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    text = (out / "state-officials.csv").read_text()
    assert "MD,governor,,Wes Moore,Democratic,410-974-3901,https://governor.maryland.gov/" in text
    assert "GA,upper,12,,,,\n" in text  # settings.yml lists it vacant
    md = [line for line in text.splitlines() if line.startswith(("MD,upper", "MD,lower"))]
    assert len(md) == 47 + 141
    assert yaml.safe_load((out / "reference.yaml").read_text())["openstates"]["file"] == (
        "state-officials.csv"
    )
    assert (out / "congress-current.csv").read_text().count("\n") == 538


def test_import_state_officials_takes_a_newer_checkout(db, tmp_path):
    source = shared_data("openstates-people/settings.yml").parent
    shutil.copytree(source / "data" / "ne", tmp_path / "data" / "ne")
    call_command(
        "import_state_officials",
        str(tmp_path),
        "--as-of",
        "2026-08-05",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert StateOfficial.objects.filter(state="NE", role="legislature").count() == 49
    assert DatasetImport.latest("state_officials").data_date == dt.date(2026, 8, 5)


# --- Titles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "title"),
    [
        ("MD", "Representative"),
        ("DC", "Delegate"),
        ("GU", "Delegate"),
        ("VI", "Delegate"),
        ("AS", "Delegate"),
        ("MP", "Delegate"),
        ("PR", "Resident Commissioner"),
    ],
)
def test_house_titles(atlas_reference, state, title):
    member = Legislator.objects.filter(state=state, chamber="rep").first()
    assert member.title == title
    bill = Bill(congress=119, bill_type="s", number=1, title="A bill.")
    script = call_script(bill, member, resolve(state).place)
    assert f"I am calling {title} {member.name} about S. 1, A bill." in script
    # Regression: with no ask written, scripts said "where the senator stands" to everyone.
    assert "the senator" not in script
    assert f"Please tell me where {title} {member.name} stands on S. 1" in script


@pytest.mark.parametrize(
    ("state", "role", "title", "chamber"),
    [
        ("MD", "lower", "Delegate", "House of Delegates"),
        ("VA", "lower", "Delegate", "House of Delegates"),
        ("WV", "lower", "Delegate", "House of Delegates"),
        ("CA", "lower", "Assemblymember", "Assembly"),
        ("NV", "lower", "Assemblymember", "Assembly"),
        ("NY", "lower", "Assemblymember", "Assembly"),
        ("WI", "lower", "Assemblymember", "Assembly"),
        ("NJ", "lower", "Assemblymember", "General Assembly"),
        ("TX", "lower", "State Representative", "House of Representatives"),
        ("MD", "upper", "State Senator", "Senate"),
        ("NE", "legislature", "Senator", "Legislature"),
        ("DC", "legislature", "Councilmember", "Council"),
    ],
)
def test_state_titles(state, role, title, chamber):
    assert state_title(state, role) == title
    assert chamber_name(state, role) == chamber


def test_every_shipped_chamber_has_a_title():
    info = reference_data.manifest()
    text = (reference_data.DATA / info["openstates"]["file"]).read_text()
    for row in csv.DictReader(io.StringIO(text)):
        assert state_title(row["state"], row["role"])


def test_state_call_script_uses_the_title(atlas_reference):
    delegate = StateOfficial.objects.filter(state="MD", role="lower", district="18").first()
    script = state_call_script(delegate, "Maryland (House of Delegates district 18)", "sex work")
    assert f"I am calling Delegate {delegate.name} about sex work." in script


# --- Bills of past Congresses ------------------------------------------------------------


def test_a_bill_of_a_past_congress_is_ended_with_no_call_to_act(client, atlas_reference):
    folder = shared_data("billstatus/BILLSTATUS-117s35.xml").parent
    [bill] = import_bills(str(folder / "BILLSTATUS-117s35.xml"))
    bill.ask = "Please vote yes."
    bill.save()
    assert bill.updated_on == dt.date(2022, 9, 7)
    assert bill.is_ended(dt.date(2026, 12, 1)) and not bill.is_ended(dt.date(2022, 1, 1))
    html = client.get(bill.get_absolute_url(), {"place": "21201"}).content.decode()
    assert "This bill has ended" in html
    assert "The 117th Congress ended on January 3, 2023." in html
    assert "without becoming law (furthest stage: passed the senate)" in html
    assert "<dd>Passed the Senate</dd>" not in html
    assert "I am calling" not in html and "Please vote yes." not in html
    assert 'as of <time datetime="2022-09-07">September 7, 2022</time>' in html
    listing = client.get("/atlas/bills/").content.decode()
    assert "Ended with the 117th Congress" in listing


# --- State legislators: choose your district ---------------------------------------------


def test_choosing_districts_shows_both_legislators_with_phone_and_script(client, atlas_reference):
    response = client.get(
        "/atlas/state/MD/legislators/", {"upper": "18", "lower": "18", "topic": "selling-sex"}
    )
    html = response.content.decode()
    senator = StateOfficial.objects.get(state="MD", role="upper", district="18")
    delegates = StateOfficial.objects.filter(state="MD", role="lower", district="18")
    assert delegates.count() == 3
    for person, title in [(senator, "State Senator"), *[(d, "Delegate") for d in delegates]]:
        assert f"<strong>{title} {person.name}</strong>" in html
        assert f'href="tel:{person.phone}"' in html
        assert f"I am calling {title} {person.name} about selling sex." in html
    assert "<strong>Governor Wes Moore</strong>" in html
    assert 'State legislators and officials as of <time datetime="2026-08-05">' in html
    assert response.cookies == {} and "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert not Session.objects.exists()


def test_a_vacant_seat_is_shown_as_vacant(client, atlas_reference):
    html = client.get("/atlas/state/GA/legislators/", {"upper": "12"}).content.decode()
    assert "This seat is vacant: there is no one to call until it is filled." in html
    assert "I am calling" not in html.split("executives-heading")[0]


def test_a_district_that_does_not_exist_is_named(client, atlas_reference):
    html = client.get("/atlas/state/MD/legislators/", {"upper": "99"}).content.decode()
    assert "Maryland&#x27;s Senate has no district “99”. Choose one." in html
    assert client.get("/atlas/state/ZZ/legislators/").status_code == 404


def test_county_spellings_are_counted_once():
    assert _known_counties(
        "MO", ["St. Louis County", "Saint Louis County", "St. Louis County"]
    ) == ["St. Louis County"]
