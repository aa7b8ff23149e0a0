from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fieldguide.atlas.federal_import import ImportFailed, import_bills, import_legislators
from fieldguide.atlas.lookup import resolve
from fieldguide.atlas.models import Bill, DatasetImport, Legislator, Topic, congress_on
from fieldguide.atlas.representatives import call_script
from tests.servers import RecordingServer

from .conftest import shared_data


@pytest.fixture
def legislators_file():
    return shared_data("congress-legislators/legislators-current.yaml")


@pytest.fixture
def billstatus_folder():
    return shared_data("billstatus/BILLSTATUS-117s35.xml").parent


@pytest.fixture
def served(tmp_path, settings):
    """A real HTTP server on 127.0.0.1 serving a folder, for URL imports.

    The outbound client refuses loopback, so this one server is let through.
    """
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    settings.FIELDGUIDE_OUTBOUND_ALLOW = [f"127.0.0.1:{server.server_address[1]}"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_congress_is_computed_from_the_date():
    assert congress_on(dt.date(2025, 1, 3)) == 119
    assert congress_on(dt.date(2026, 11, 25)) == 119
    assert congress_on(dt.date(2027, 1, 2)) == 119
    assert congress_on(dt.date(2027, 1, 3)) == 120


def test_import_bills_from_a_folder_of_real_billstatus_files(db, billstatus_folder):
    bills = import_bills(str(billstatus_folder))
    assert len(bills) == 4
    s35 = Bill.objects.get(congress=117, bill_type="s", number=35)
    assert s35.title == "Officer Eugene Goodman Congressional Gold Medal Act"
    assert s35.status == "Passed the Senate"
    assert s35.latest_action_on == dt.date(2021, 2, 18)
    assert s35.latest_action == "Held at the desk."
    assert s35.source_url == "https://www.congress.gov/bill/117th-congress/senate-bill/35"
    # The older format (billNumber/billType) of the 116th Congress samples is read too.
    s790 = Bill.objects.get(congress=116, bill_type="s", number=790)
    assert s790.sponsor == "Sen. Graham, Lindsey [R-SC]"
    assert DatasetImport.latest("bills").record_count == 4


def test_reimport_keeps_editors_notes(db, billstatus_folder):
    import_bills(str(billstatus_folder / "BILLSTATUS-117s35.xml"))
    bill = Bill.objects.get()
    bill.ask = "Please co-sponsor it."
    bill.save()
    import_bills(str(billstatus_folder / "BILLSTATUS-117s35.xml"))
    assert Bill.objects.get().ask == "Please co-sponsor it."


def test_malformed_billstatus_names_the_file_and_imports_nothing(db, billstatus_folder, tmp_path):
    shutil.copy(billstatus_folder / "BILLSTATUS-117s35.xml", tmp_path)
    broken = tmp_path / "BILLSTATUS-broken.xml"
    broken.write_text("<billStatus><bill><number>12</bill></billStatus>")
    with pytest.raises(ImportFailed) as caught:
        import_bills(str(tmp_path))
    assert str(caught.value).startswith(f"{broken}: not well-formed XML (mismatched tag")
    assert not Bill.objects.exists()
    with pytest.raises(CommandError, match="BILLSTATUS-broken.xml: not well-formed XML"):
        call_command("import_bills", str(tmp_path))


def test_billstatus_with_a_dtd_is_refused(db, tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_text('<!DOCTYPE x [<!ENTITY a "aaaa">]><billStatus><bill/></billStatus>')
    with pytest.raises(ImportFailed, match="evil.xml: declares a DTD or entities"):
        import_bills(str(evil))


def test_import_bills_from_a_url(db, served, billstatus_folder):
    folder, base = served
    shutil.copy(billstatus_folder / "BILLSTATUS-116hr4907.xml", folder)
    [bill] = import_bills(f"{base}/BILLSTATUS-116hr4907.xml")
    assert bill.label == "H.R. 4907 (116th Congress)"
    with pytest.raises(ImportFailed, match=r"/missing.xml: the server answered HTTP 404"):
        import_bills(f"{base}/missing.xml")


def test_import_legislators_from_a_url_records_source_and_congress(db, served, legislators_file):
    folder, base = served
    shutil.copy(legislators_file, folder)
    url = f"{base}/legislators-current.yaml"
    record = import_legislators(url)
    assert record.source == url and record.congress == 119
    assert record.record_count == Legislator.objects.count() > 500
    senators = Legislator.objects.filter(state="MD", chamber="sen")
    assert senators.count() == 2
    assert all(s.phone and s.url for s in senators)
    assert Legislator.objects.filter(state="MD", chamber="rep").count() == 8
    # In 2027 the 120th Congress is in session and this data is out of date.
    assert not record.is_outdated(dt.date(2026, 11, 25))
    assert record.is_outdated(dt.date(2027, 1, 3))


def test_import_legislators_rejects_bad_files(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- id: {bioguide: X1}\n"
        "  name: {first: A, last: B}\n"
        "  terms: [{type: gov, state: MD, start: 2025-01-03}]\n"
    )
    with pytest.raises(
        ImportFailed, match="bad.yaml: entry 1 \\(A B\\): term type 'gov' is not sen or rep."
    ):
        import_legislators(str(bad))
    with pytest.raises(ImportFailed, match="nowhere.yaml: cannot read the file"):
        import_legislators(str(tmp_path / "nowhere.yaml"))


@pytest.fixture
def bill_with_ask(db, billstatus_folder, legislators_file, atlas, tmp_path):
    """A bill of the Congress in session (the real S. 35 record, renumbered to it): only a
    live bill has call scripts, and the shared samples are of past Congresses."""
    import_legislators(str(legislators_file))
    live = tmp_path / "BILLSTATUS-s35.xml"
    live.write_text(
        (billstatus_folder / "BILLSTATUS-117s35.xml")
        .read_text(encoding="utf-8")
        .replace(
            "<congress>117</congress>", f"<congress>{congress_on(dt.date.today())}</congress>", 1
        ),
        encoding="utf-8",
    )
    [bill] = import_bills(str(live))
    bill.ask = "Please vote yes."
    bill.topics.add(Topic.objects.get(slug="selling-sex"))  # parental M2M: saved with the bill
    bill.save()
    return bill


def test_contact_senators_for_a_certain_district(client, bill_with_ask):
    html = client.get(bill_with_ask.get_absolute_url(), {"place": "21201"}).content.decode()
    senators = Legislator.objects.filter(state="MD", chamber="sen")
    rep = Legislator.objects.get(state="MD", chamber="rep", district=7)
    for member in [*senators, rep]:
        assert "I am calling " in html and member.name in html
    script = call_script(bill_with_ask, rep, resolve("21201").place)
    assert script == (
        "Hello, my name is [your name] and I live in ZIP code 21201 (Baltimore, MD). "
        f"I am calling Representative {rep.name} about S. 35, "
        "Officer Eugene Goodman Congressional Gold Medal Act. Please vote yes. Thank you."
    )
    assert "Members of Congress as of" in html


def test_house_member_is_not_guessed_when_a_zip_spans_districts(client, bill_with_ask):
    html = client.get(bill_with_ask.get_absolute_url(), {"place": "21218"}).content.decode()
    assert "spans 2 congressional districts, so we cannot tell which is yours" in html
    for district in (2, 7):
        member = Legislator.objects.get(state="MD", chamber="rep", district=district)
        assert member.name in html
        assert f"I am calling Representative {member.name}" not in html
    assert html.count("I am calling Senator") == 2


def test_state_only_lookup_shows_senators_and_asks_for_a_zip(client, bill_with_ask):
    html = client.get(
        "/atlas/lookup/", {"place": "Maryland", "topic": "selling-sex"}
    ).content.decode()
    assert "Enter a ZIP code to find your House district." in html
    for senator in Legislator.objects.filter(state="MD", chamber="sen"):
        assert senator.name in html
    assert bill_with_ask.get_absolute_url() + "?place=MD" in html


def test_admin_dashboard_warns_when_legislators_predate_the_congress(admin_client, db):
    DatasetImport.objects.create(
        dataset="legislators",
        source="legislators-current.yaml",
        imported_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC),
        record_count=535,
        congress=118,
    )
    html = admin_client.get("/admin/").content.decode()
    assert "The legislator data describes the 118th Congress" in html
    assert f"the {congress_on(dt.date.today())}th Congress is now in session" in html


# --- URL imports that are redirected inward (server-side request forgery) -----------------

# The smallest documents each importer accepts; the real files are in the shared data.
TINY_BILLSTATUS = (
    b'<?xml version="1.0"?><billStatus><bill><number>4907</number><type>HR</type>'
    b"<congress>116</congress><title>A bill for the redirect test</title></bill></billStatus>"
)
TINY_LEGISLATORS = b"""
- id: {bioguide: T000001}
  name: {official_full: Tess Tester}
  terms:
    - {type: sen, state: MD, start: "2025-01-03", end: "2031-01-03", party: Independent}
"""


@pytest.fixture
def redirected_inward(settings):
    """An allowed public stand-in whose files redirect to a loopback server nobody allowed."""
    with RecordingServer() as public, RecordingServer() as internal:
        for path, body in (("/bill.xml", TINY_BILLSTATUS), ("/people.yaml", TINY_LEGISLATORS)):
            public.page(f"/direct{path}", body, "text/plain")
            internal.page(path, body, "text/plain")
            public.redirect(path, internal.url(path), 301)
        settings.FIELDGUIDE_OUTBOUND_ALLOW = [public.origin]
        yield public, internal


def test_import_bills_refuses_a_url_redirected_to_loopback_and_imports_nothing(
    db, redirected_inward
):
    public, internal = redirected_inward
    with pytest.raises(CommandError) as failed:
        call_command("import_bills", public.url("/bill.xml"))
    message = str(failed.value)
    assert message.startswith(f"Nothing was imported:\n{public.url('/bill.xml')}: not downloaded.")
    assert "Refused to fetch from 127.0.0.1: it is a loopback address" in message
    assert internal.connections == 0
    assert not Bill.objects.exists() and not DatasetImport.objects.exists()
    # The same file from the allowed server itself imports: only the redirect was refused.
    [bill] = import_bills(public.url("/direct/bill.xml"))
    assert bill.title == "A bill for the redirect test"


def test_import_legislators_refuses_a_url_redirected_to_loopback_and_keeps_the_members(
    db, redirected_inward
):
    public, internal = redirected_inward
    Legislator.objects.create(bioguide_id="K000001", name="Kept Member", chamber="sen", state="MD")
    with pytest.raises(CommandError, match="Refused to fetch from 127.0.0.1: it is a loopback"):
        call_command("import_legislators", public.url("/people.yaml"))
    assert internal.connections == 0
    assert list(Legislator.objects.values_list("name", flat=True)) == ["Kept Member"]
    assert not DatasetImport.objects.exists()
    record = import_legislators(public.url("/direct/people.yaml"))
    assert record.record_count == 1


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://localhost:8000/x.xml"]
)
def test_import_bills_refuses_internal_urls(db, url):
    with pytest.raises(ImportFailed, match=f"{url}: not downloaded. Refused to fetch from"):
        import_bills(url)
