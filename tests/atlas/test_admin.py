from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from fieldguide.atlas.models import PolicyRecord

from .test_policy_csv import HEADER, row

IMPORT_URL = "/admin/atlas/import/"


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("policies.csv", text.encode(), content_type="text/csv")


def test_import_page_checks_the_whole_file_and_lists_every_problem(admin_client, atlas):
    before = PolicyRecord.objects.count()
    response = admin_client.post(
        IMPORT_URL, {"file": upload(HEADER + row(jurisdiction="pr") + row(jurisdiction="atlantis"))}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "policies.csv: nothing was imported (1 problem)" in html
    assert (
        "row 3, column &#x27;jurisdiction&#x27;: no jurisdiction with slug &#x27;atlantis&#x27;"
        in html
    )
    assert PolicyRecord.objects.count() == before


def test_import_page_saves_a_valid_file(admin_client, atlas):
    response = admin_client.post(IMPORT_URL, {"file": upload(HEADER + row(jurisdiction="pr"))})
    assert response.status_code == 302
    assert PolicyRecord.objects.filter(jurisdiction__slug="pr").count() == 1
    listing = admin_client.get(response["Location"]).content.decode()
    assert "policies.csv: 1 records created, 0 updated, 0 unchanged." in listing


def test_import_needs_a_file(admin_client, db):
    response = admin_client.post(IMPORT_URL, {})
    assert "This field is required." in response.content.decode()


def test_import_page_is_for_editors_only(client, django_user_model, db):
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code in {302, 403}


def test_admin_lists_and_edit_forms_render(admin_client, atlas):
    record = PolicyRecord.objects.get(jurisdiction__slug="nv")
    for url in (
        "/admin/snippets/atlas/policyrecord/",
        f"/admin/snippets/atlas/policyrecord/edit/{record.pk}/",
        "/admin/snippets/atlas/policyrecord/add/",
        "/admin/snippets/atlas/topic/",
        "/admin/snippets/atlas/jurisdiction/",
        "/admin/snippets/atlas/directoryentry/",
        "/admin/snippets/atlas/bill/",
        "/admin/snippets/atlas/legislator/",
        IMPORT_URL,
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    edit = admin_client.get(
        f"/admin/snippets/atlas/policyrecord/edit/{record.pk}/"
    ).content.decode()
    assert "NRS 244.345" in edit and "https://www.leg.state.nv.us/" in edit


def test_category_choices_come_from_the_records_topic(admin_client, atlas):
    """The category list mixed every codebook: duplicates ("Legal"…), no topic named."""
    import re

    record = PolicyRecord.objects.select_related("topic").first()
    html = admin_client.get(f"/admin/snippets/atlas/policyrecord/edit/{record.pk}/").content
    select = re.search(r'<select name="category".*?</select>', html.decode(), re.S).group(0)
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)
    assert labels and all(label.startswith(f"{record.topic.name}: ") for label in labels)
    assert len(labels) == len(set(labels)) == record.topic.categories.count()

    new = admin_client.get("/admin/snippets/atlas/policyrecord/add/").content.decode()
    select = re.search(r'<select name="category".*?</select>', new, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert record.topic.name in groups and len(groups) == len(set(groups)) > 1
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)
    assert len(labels) == len(set(labels))
