"""The admin import: an editor uploads a real export or pastes DOIs, previews, chooses, applies."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Revision

from fieldguide.library.models import Resource
from tests.factories import make_resource

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db
START = "/admin/library/import/"


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@fieldguide.test", "pw")
    client.force_login(user)
    return user


def upload(client, name: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(name, content), "format": "", "dois": "", **fields}
    return client.post(START, data)


def upload_fixture(client, name: str):
    response = upload(client, name, (FIXTURES / name).read_bytes())
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def page(client, url: str) -> str:
    """The page at `url`, with runs of white space made single spaces."""
    return re.sub(r"\s+", " ", client.get(url).content.decode())


def row(html: str, index: int) -> str:
    """The preview or report table row of entry `index`."""
    match = re.search(rf'<tr id="entry-{index}">(.*?)</tr>', html, re.S)
    assert match, f"no row for entry {index}"
    return match.group(1)


def checked_action(html: str, index: int) -> str:
    match = re.search(rf'name="entry-{index}" value="(\w+)"[^>]*checked', row(html, index))
    return match.group(1) if match else ""


def test_library_menu_offers_import_and_step_one_renders_in_admin(client, editor):
    dashboard = page(client, "/admin/")
    assert START in dashboard and "Import resources" in dashboard
    start = page(client, START)
    assert 'enctype="multipart/form-data"' in start
    assert "Import resources" in start and 'name="dois"' in start


def test_real_zotero_csl_json_previews_duplicates_then_merges_skips_and_adds(client, editor):
    berndt = make_resource(
        key="berndt-1994",
        title="Skizze zur Auslegungsgeschichte der Bücher Prouerbia und Ecclesiastes "
        "in der abendländischen Kirche",
        container="",
        volume="",
        issue="",
        pages="",
        issued_year=1994,
        doi="10.1484/J.SE.2.303788",
    )
    dunning = make_resource(
        key="dunning-2016",
        title="Samuel Presbiter: Notes from the school of William de Montibus. "
        "Collecta ex diuersis auditis in scola magistri Willelmi de Monte",
        resource_type="book",
        container="",
        issued_year=2016,
        doi="",
        publisher="",
    )
    preview_url = upload_fixture(client, "zotero_better_csl.json")
    assert Resource.objects.count() == 2  # nothing saved before the editor decides

    preview = page(client, preview_url)
    assert (
        "zotero_better_csl.json (CSL-JSON): 4 entries read: 4 can be imported (2 already" in preview
    )
    first = row(preview, 1)
    assert "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru" in first
    assert "Adams, Nancy K; DeSilva, Shanaka L" in first and "et al. (7 in all)" in first
    assert "<dd>2014</dd>" in first and "New to the library." in first
    second = row(preview, 2)
    assert "Same DOI 10.1484/J.SE.2.303788" in second
    assert reverse("wagtailsnippets_library_resource:edit", args=[berndt.pk]) in second
    assert "Same title and year (2016)" in row(preview, 3)
    assert [checked_action(preview, i) for i in (1, 2, 3, 4)] == ["add", "skip", "skip", "add"]

    response = client.post(
        preview_url, {"entry-1": "add", "entry-2": "merge", "entry-3": "skip", "entry-4": "add"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/report/")
    report = page(client, response["Location"])
    assert "2 created, 1 merged, 1 skipped, 0 failed." in report
    assert "Merged" in row(report, 2) and "Skipped" in row(report, 3)

    assert Resource.objects.count() == 4
    adams = Resource.objects.get(title__startswith="The physical volcanology")
    assert (adams.container, adams.volume, adams.issued_year) == (
        "Bulletin of Volcanology",
        "62",
        2014,
    )
    assert [c.family for c in adams.creators.all()][-1] == "Arbesman"
    assert Revision.objects.for_instance(adams).get().user == editor
    berndt.refresh_from_db()
    assert (berndt.container, berndt.volume, berndt.pages) == ("Sacris Erudiri", "34", "5–32")
    assert berndt.title.startswith("Skizze zur")
    dunning.refresh_from_db()
    assert dunning.publisher == ""
    wordsworth = Resource.objects.get(title__startswith="The Gospel according to St. Matthew")
    assert [(c.family, c.role) for c in wordsworth.creators.all()] == [("Wordsworth", "editor")]
    assert (wordsworth.publisher, wordsworth.publisher_place) == ("Clarendon Press", "Oxford")

    again = client.post(preview_url, {"entry-1": "add", "entry-4": "add"})
    assert again["Location"].endswith("/report/")
    assert Resource.objects.count() == 4


def test_real_zotero_bibtex_export_imports_and_a_second_upload_is_flagged(client, editor):
    preview_url = upload_fixture(client, "zotero_bbt_inproceedings.bib")
    assert checked_action(page(client, preview_url), 1) == "add"
    client.post(preview_url, {"entry-1": "add"})
    liu = Resource.objects.get(doi="10.1145/2751205.2751209")
    assert liu.title == (
        "CSR5: An Efficient Storage Format for Cross-Platform Sparse Matrix-Vector Multiplication"
    )
    assert liu.container == "Proceedings of the 29th ACM International Conference on Supercomputing"
    # "339--350" reads with a hyphen, as CSL writes ranges (see test_roundtrip.py).
    assert (liu.issued_year, liu.issued_month, liu.pages) == (2015, 6, "339-350")
    assert [c.family for c in liu.creators.all()] == ["Liu", "Vinter"]

    second = page(client, upload_fixture(client, "zotero_bbt_inproceedings.bib"))
    assert "Same DOI 10.1145/2751205.2751209" in row(second, 1)
    assert checked_action(second, 1) == "skip"


def test_malformed_bibtex_shows_each_problem_and_good_entries_still_import(client, editor):
    text = (
        "@book{good2020, title={A good book}, author={Doe, Jane}, year={2020}}\n\n"
        "@article{baddoi, title={Bad identifier}, year={2021}, doi={not a doi}}\n\n"
        "@article{broken,\n  title = {Unclosed\n"
    )
    response = upload(client, "mixed.bib", text.encode())
    preview = page(client, response["Location"])
    assert "3 entries read: 1 can be imported" in preview and "2 with problems" in preview
    assert "good2020" in row(preview, 1) and "New to the library." in row(preview, 1)
    # The form's label, not the code's field name (issue #10).
    assert "<strong>DOI</strong>: Enter a bare DOI" in row(preview, 2)
    assert "line 3: baddoi" in row(preview, 2)
    assert "<strong>entry</strong>: could not be parsed" in row(preview, 3)
    assert "line 5" in row(preview, 3) and "Will not be imported." in row(preview, 3)

    report = page(client, client.post(response["Location"], {"entry-1": "add"})["Location"])
    assert "1 created, 0 merged, 0 skipped, 2 failed." in report
    assert "<strong>DOI</strong>: Enter a bare DOI" in row(report, 2)
    assert list(Resource.objects.values_list("title", flat=True)) == ["A good book"]


def test_pasted_dois_come_from_local_crossref_and_unknown_doi_is_a_problem(
    client, editor, crossref_server
):
    response = client.post(
        START, {"dois": "https://doi.org/10.7554/elife.01567\n10.9999/unknown", "format": ""}
    )
    preview = page(client, response["Location"])
    assert "2 DOIs from Crossref" in preview
    assert "Automated quantitative histology reveals" in row(preview, 1)
    assert "<dd>10.7554/elife.01567</dd>" in row(preview, 1)
    assert "<strong>DOI 10.9999/unknown</strong>: Crossref does not know this DOI" in row(
        preview, 2
    )
    report = page(client, client.post(response["Location"], {"entry-1": "add"})["Location"])
    assert "1 created, 0 merged, 0 skipped, 1 failed." in report
    assert Resource.objects.get().container == "eLife"
    assert crossref_server.user_agents == 2 * ["Fieldguide/1.0 (mailto:editors@fieldguide.test)"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": SimpleUploadedFile("empty.ris", b"")}, "The submitted file is empty."),
        ({"file": SimpleUploadedFile("refs.bib", b"%PDF-1.7\x00\x01\x02")}, "not a text file"),
        (
            {"file": SimpleUploadedFile("big.ris", b"TY  - JOUR\n" * 500_000)},
            "big.ris is 5.2 MB; the most is 5 MB.",
        ),
        ({"file": SimpleUploadedFile("latin1.ris", "TI  - Caf\xe9".encode("latin-1"))}, "UTF-8"),
        (
            {"file": SimpleUploadedFile("notes.txt", b"Just some notes, no references.")},
            "Could not tell what format notes.txt is in.",
        ),
        (
            {"file": SimpleUploadedFile("refs.json", b'{"not": "csl"'), "format": "csljson"},
            "refs.json (CSL-JSON): file: not valid JSON (line 1, column 14",
        ),
        (
            {"file": SimpleUploadedFile("refs.ris", b"@book{a, title={A}}"), "format": "ris"},
            "refs.ris (RIS): file: no RIS records (a record starts with a &#x27;TY  - &#x27; line)",
        ),
        ({"file": SimpleUploadedFile("a.ris", b"TY  - JOUR"), "format": "endnote"}, "valid choice"),
        (
            {
                "file": SimpleUploadedFile(
                    "many.json", b"[" + b",".join([b'{"type": "book", "title": "T"}'] * 1001) + b"]"
                )
            },
            "many.json (CSL-JSON) has 1001 entries; import at most 1000 at a time.",
        ),
        ({"dois": "10.1371/journal.pmed.1002680\nnot-a-doi"}, "Not a DOI: “not-a-doi”."),
        ({}, "Choose a file to upload, or paste one or more DOIs."),
        (
            {"file": SimpleUploadedFile("a.ris", b"TY  - JOUR"), "dois": "10.1000/x"},
            "Upload a file or paste DOIs, not both.",
        ),
    ],
)
def test_bad_input_is_a_clear_form_error(client, editor, fields, message):
    response = client.post(START, {"format": "", "dois": "", **fields})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_unknown_or_forged_token_and_bad_choice_are_handled(client, editor):
    response = client.get(START + "0123456789abcdef0123456789abcdef/")
    assert response.status_code == 302 and response["Location"] == START
    assert client.get(START + "..%2Fetc/").status_code in (302, 404)
    preview_url = upload_fixture(client, "zotero_bbt_article.bib")
    response = client.post(preview_url, {"entry-1": "overwrite"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Resource.objects.exists()


def test_only_users_who_may_add_resources_can_import(client, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@fieldguide.test", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert "Import resources" not in page(client, "/admin/")
    response = client.post(START, {"dois": "10.7554/elife.01567"})
    assert response.status_code == 302 and response["Location"] != START
    user.user_permissions.add(Permission.objects.get(codename="add_resource"))
    user = django_user_model.objects.get(pk=user.pk)
    client.force_login(user)
    assert "Import resources" in page(client, START)
    # Merging changes an existing resource: without the change permission it is not offered.
    make_resource(key="liu-2015", title="CSR5", doi="10.1145/2751205.2751209")
    preview_url = upload_fixture(client, "zotero_bbt_inproceedings.bib")
    preview = page(client, preview_url)
    assert "Same DOI 10.1145/2751205.2751209" in row(preview, 1)
    assert 'value="merge"' not in preview
    assert (
        "Select a valid choice" in client.post(preview_url, {"entry-1": "merge"}).content.decode()
    )
    assert Resource.objects.get(key="liu-2015").container == "PLOS Medicine"


def test_an_entry_repeated_in_the_same_file_is_flagged_and_can_be_merged(client, editor):
    text = (
        '[{"type": "report", "title": "Harm reduction works", "issued": {"date-parts": [[2021]]}},'
        ' {"type": "report", "title": "Harm Reduction Works!", "issued": {"date-parts": [[2021]]},'
        ' "publisher": "A publisher"}]'
    )
    preview_url = upload(client, "repeat.json", text.encode())["Location"]
    preview = page(client, preview_url)
    assert "Same work as entry 1 of this import." in row(preview, 2)
    assert [checked_action(preview, 1), checked_action(preview, 2)] == ["add", "skip"]
    report = page(
        client, client.post(preview_url, {"entry-1": "add", "entry-2": "merge"})["Location"]
    )
    assert "1 created, 1 merged, 0 skipped, 0 failed." in report
    merged = Resource.objects.get()
    assert (merged.title, merged.publisher) == ("Harm reduction works", "A publisher")
