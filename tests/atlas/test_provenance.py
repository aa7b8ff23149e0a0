"""A source shows "checked <date> by <coder>" only after a person's admin action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from fieldguide.atlas.models import DirectoryEntry, PolicyRecord
from fieldguide.atlas.policy_csv import export_policy_csv, import_policy_csv

CHECKS = "/admin/atlas/sources/"


def confirm_url(kind: str, pk: int) -> str:
    return f"/admin/atlas/sources/{kind}/{pk}/confirm/"


@pytest.fixture
def coder(django_user_model):
    """A Wagtail user who may change policy records and nothing else."""
    user = django_user_model.objects.create_user(
        "coder", password="x", first_name="Ada", last_name="Coder"
    )
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_policyrecord"),
    )
    return user


def test_reader_sees_unchecked_then_checked_by_the_coder(
    client, atlas, coder, django_capture_on_commit_callbacks
):
    nevada = PolicyRecord.objects.get(jurisdiction__slug="nv", topic__slug="selling-sex")
    source = nevada.sources.get()
    before = client.get("/atlas/places/nv/").content.decode()
    assert "source not yet checked" in before and "checked <time" not in before

    client.force_login(coder)
    listing = client.get(CHECKS, {"topic": "selling-sex"}).content.decode()
    assert confirm_url("policy", source.pk) in listing
    with django_capture_on_commit_callbacks(execute=True):  # the page cache moves on
        response = client.post(confirm_url("policy", source.pk), {"next": f"{CHECKS}?topic=x"})
    assert response.status_code == 302 and response["Location"] == f"{CHECKS}?topic=x"
    source.refresh_from_db()
    assert (source.checked_on, source.checked_by) == (dt.date.today(), coder)
    assert confirm_url("policy", source.pk) not in client.get(CHECKS).content.decode()

    client.logout()
    after = client.get("/atlas/places/nv/").content.decode()
    today = dt.date.today()
    assert (
        f'checked <time datetime="{today.isoformat()}">{today:%B} {today.day}, {today.year}</time> '
        "by Ada Coder" in after
    )
    table = client.get("/atlas/topics/selling-sex/").content.decode()
    assert "by Ada Coder" in table
    # The open data says who checked what; re-importing it keeps the check.
    exported = export_policy_csv(PolicyRecord.objects.filter(pk=nevada.pk))
    assert f",{today.isoformat()},Ada Coder" in exported
    assert import_policy_csv(exported).unchanged == 1
    source = nevada.sources.get()
    assert source.checked_by == coder


def test_confirming_needs_the_permission_and_a_post(client, atlas, coder, django_user_model):
    source = PolicyRecord.objects.get(jurisdiction__slug="nv", topic__slug="selling-sex")
    source = source.sources.get()
    entry_source = DirectoryEntry.objects.get(key="decrim-ny").sources.get()
    reader = django_user_model.objects.create_user("reader", password="x")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    # Wagtail answers a refused admin view with a redirect to the dashboard.
    assert client.get(CHECKS).status_code in {302, 403}
    assert client.post(confirm_url("policy", source.pk)).status_code in {302, 403}

    client.force_login(coder)
    assert client.get(confirm_url("policy", source.pk)).status_code == 405
    # Changing policy records does not let a coder vouch for directory entries.
    assert client.post(confirm_url("directory", entry_source.pk)).status_code in {302, 403}
    assert client.post(confirm_url("nonsense", 1)).status_code == 404
    # An outside "next" address is not followed.
    response = client.post(confirm_url("policy", source.pk), {"next": "https://example.org/"})
    assert response["Location"] == CHECKS
    entry_source.refresh_from_db()
    assert entry_source.checked_on is None
    source.refresh_from_db()
    assert source.checked_by == coder  # only the coder's own post counted


def test_directory_sources_are_checked_the_same_way(
    client, atlas, coder, django_capture_on_commit_callbacks
):
    coder.user_permissions.add(Permission.objects.get(codename="change_directoryentry"))
    entry_source = DirectoryEntry.objects.get(key="decrim-ny").sources.get()
    assert "source not yet checked" in client.get("/atlas/places/ny/").content.decode()
    client.force_login(coder)
    assert confirm_url("directory", entry_source.pk) in client.get(CHECKS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_url("directory", entry_source.pk))
    client.logout()
    assert "by Ada Coder" in client.get("/atlas/places/ny/").content.decode()


def test_a_check_cannot_be_typed_into_a_form_or_a_file(admin_client, atlas):
    record = PolicyRecord.objects.get(jurisdiction__slug="nv", topic__slug="selling-sex")
    form = admin_client.get(f"/admin/snippets/atlas/policyrecord/edit/{record.pk}/")
    html = form.content.decode()
    assert 'name="sources-0-url"' in html
    assert "checked_on" not in html and "checked_by" not in html
    header = (
        "jurisdiction,topic,category,effective_date,end_date,citation,summary,coded_by,"
        "coded_on,source1_url,source1_title,source1_checked_on,source1_checked_by\n"
    )
    import_policy_csv(
        header + "pr,selling-sex,full-criminalization,,,33 L.P.R.A. § 5001,A crime.,Tester,"
        "2026-12-01,https://www.bvirtualogp.pr.gov/,Biblioteca Virtual,2026-11-25,Someone\n"
    )
    typed = PolicyRecord.objects.get(jurisdiction__slug="pr").sources.get()
    assert (typed.checked_on, typed.checked_by) == (None, None)
