"""Numbered releases with a changelog of changed cells, and blind second coding."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission

from fieldguide.atlas.models import Category, DatasetRelease, Jurisdiction, PolicyRecord

PUBLISH = "/admin/atlas/releases/publish/"
SECOND = "/admin/atlas/second-coding/"


@pytest.fixture
def coder(django_user_model):
    user = django_user_model.objects.create_user(
        "coder", password="x", first_name="Ada", last_name="Coder"
    )
    for codename in ("access_admin", "add_datasetrelease", "add_secondcoding"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_publishing_numbers_releases_and_lists_changed_cells(
    client, atlas, coder, django_capture_on_commit_callbacks
):
    topic_page = client.get("/atlas/topics/selling-sex/").content.decode()
    assert "No release of this dataset has been published yet" in topic_page

    client.force_login(coder)
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    refused = client.post(PUBLISH, {"topic": "selling-sex", "law_current_as_of": future})
    assert "Cannot be in the future." in refused.content.decode()
    assert not DatasetRelease.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(PUBLISH, {"topic": "selling-sex", "law_current_as_of": "2026-11-30"})
    assert first["Location"] == "/atlas/topics/selling-sex/releases/v1/"
    v1 = DatasetRelease.objects.get(number=1)
    assert len(v1.rows) == PolicyRecord.objects.filter(topic__slug="selling-sex").count()
    assert v1.published_by == coder

    # Editors change a cell and add a record; v2 lists exactly those changes.
    wyoming = PolicyRecord.objects.get(jurisdiction__slug="wy", topic__slug="selling-sex")
    wyoming.citation = "Wyoming Statutes § 6-4-101 (prostitution)"
    wyoming.save()
    PolicyRecord.objects.create(
        jurisdiction=Jurisdiction.objects.get(slug="pr"),
        topic=wyoming.topic,
        category=Category.objects.get(topic=wyoming.topic, code="full-criminalization"),
        citation="33 L.P.R.A. § 5001",
        summary="A test record.",
        coded_by="Tester",
        coded_on=dt.date(2026, 12, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            PUBLISH,
            {"topic": "selling-sex", "law_current_as_of": "2026-12-01", "notes": "Wyoming."},
        )
    v2 = DatasetRelease.objects.get(number=2)
    assert v2.changes == [
        {
            "jurisdiction": "pr",
            "record": "pr (before coding began)",
            "column": "(record added)",
            "old": "",
            "new": "full-criminalization",
        },
        {
            "jurisdiction": "wy",
            "record": "wy (before coding began)",
            "column": "citation",
            "old": "Wyoming Statutes § 6-4-101",
            "new": "Wyoming Statutes § 6-4-101 (prostitution)",
        },
    ]

    client.logout()
    page = client.get("/atlas/topics/selling-sex/releases/v2/").content.decode()
    assert 'Law current as of <time datetime="2026-12-01">December 1, 2026</time>' in page
    assert "<code>citation</code></td><td>Wyoming Statutes § 6-4-101</td>" in page
    assert "by Ada Coder" in page
    topic_page = client.get("/atlas/topics/selling-sex/").content.decode()
    assert 'Law current as of <time datetime="2026-12-01">' in topic_page
    assert 'href="/atlas/topics/selling-sex/releases/v2/"' in topic_page
    listing = client.get("/atlas/topics/selling-sex/releases/").content.decode()
    assert "v1</a>" in listing and "v2</a>" in listing

    # A release is frozen: its CSV does not follow later edits.
    wyoming.citation = "changed again"
    wyoming.save()
    response = client.get("/atlas/topics/selling-sex/releases/v1.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="fieldguide-selling-sex-v1.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(v1.rows)
    assert {r["jurisdiction"]: r["citation"] for r in rows}["wy"] == "Wyoming Statutes § 6-4-101"
    assert client.get("/atlas/topics/selling-sex/releases/v9/").status_code == 404
    assert client.get("/atlas/topics/selling-sex/releases/v99999999999/").status_code == 404


def test_release_and_second_coding_need_their_permissions(client, atlas, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    for url in (PUBLISH, SECOND):
        assert client.get(url).status_code in {302, 403}
    client.post(PUBLISH, {"topic": "selling-sex", "law_current_as_of": "2026-11-30"})
    assert not DatasetRelease.objects.exists()


def test_second_coding_is_blind_and_the_agreement_rate_is_shown(
    client, atlas, coder, django_capture_on_commit_callbacks
):
    page = client.get("/atlas/topics/selling-sex/").content.decode()
    assert "No jurisdiction has been coded a second time yet" in page
    client.force_login(coder)
    form = client.get(SECOND).content.decode()
    # The codebook is there; no first coding's citation or summary is.
    assert "Selling sex and buying sex are both crimes." in form
    assert "NRS 244.345" not in form and "Texas Penal Code" not in form

    def code(place: str, category: str) -> None:
        jurisdiction = Jurisdiction.objects.get(slug=place)
        category = Category.objects.get(topic__slug="selling-sex", code=category)
        topic = category.topic
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                SECOND,
                {"topic": topic.pk, "jurisdiction": jurisdiction.pk, "category": category.pk},
            )
        assert response.status_code == 302, response.content.decode()[:2000]

    code("nv", "legal-regulated-in-part")  # agrees
    code("tx", "full-criminalization")  # agrees
    code("wy", "decriminalized")  # disagrees
    # A category from another topic's codebook is refused.
    other = Category.objects.get(topic__slug="drug-possession", code="felony")
    refused = client.post(
        SECOND,
        {
            "topic": other.topic.pk,
            "jurisdiction": Jurisdiction.objects.get(slug="ak").pk,
            "category": Category.objects.get(code="decriminalized", topic__slug="selling-sex").pk,
        },
    )
    assert "is not in the codebook of" in refused.content.decode()
    client.logout()
    page = client.get("/atlas/topics/selling-sex/").content.decode()
    assert "Second coding: 3 jurisdictions coded again, blind" in page
    assert "the two codings agree for 2 (67%)" in page
    assert "LawAtlas keeps double-coding until at least 95% agree." in page
