"""Imports of what reference managers really write (issue #10), and --dry-run parity.

Fixtures in tests/fixtures/library/ (sources in its README): Zotero's RIS with SP as a
count, a JabRef file with crossref, Better BibTeX's biblatex (extended names,
editortype), a file with a missing comma.
"""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from fieldguide.library.formats import parse
from fieldguide.library.models import Resource

from .conftest import FIXTURES


def _by_title(name: str, fmt: str) -> dict:
    return {e.item["title"]: e.item for e in parse((FIXTURES / name).read_text(), fmt) if e.ok}


def test_zotero_ris_sp_is_a_count_for_books_theses_and_films():
    items = _by_title("zotero_counts.ris", "ris")
    book = items["An Example Book With a Page Count"]
    assert book["number-of-pages"] == "320" and "page" not in book
    film = items["13th"]
    assert film["type"] == "motion_picture" and film["dimensions"] == "100 min"
    assert film["director"] == [{"family": "DuVernay", "given": "Ava"}] and "page" not in film
    assert film["issued"] == {"date-parts": [[2016, 10, 7]]}
    thesis = items["A thesis with its page count"]
    assert thesis["number-of-pages"] == "214" and thesis["publisher"] == "Example University"
    assert thesis["author"] == [
        {"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}
    ]
    assert items["An article with a page range"]["page"] == "45-67"


@pytest.mark.django_db
def test_counts_land_in_the_length_columns():
    items = _by_title("zotero_counts.ris", "ris")
    book = Resource.from_csl(items["An Example Book With a Page Count"])
    film = Resource.from_csl(items["13th"])
    assert (book.length_pages, book.pages) == (320, "")
    assert (film.length_minutes, film.resource_type) == (100, "video")
    assert [c.role for c in film.creators.all()] == ["director"]


def test_bibtex_crossref_gives_a_chapter_its_book():
    entries = parse((FIXTURES / "crossref_jabref.bib").read_text(), "bibtex")
    chapter = next(e.item for e in entries if e.ok and e.item["id"] == "kaba2021chapter")
    assert chapter["type"] == "chapter"
    assert chapter["container-title"].startswith("We Do This 'Til We Free Us")
    assert chapter["editor"] == [{"family": "Nopper", "given": "Tamara K."}]
    assert (chapter["publisher"], chapter["publisher-place"]) == ("Haymarket Books", "Chicago")
    assert chapter["issued"] == {"date-parts": [[2021]]}
    assert chapter["title"] == "So You're Thinking about Becoming an Abolitionist"
    missing = next(e for e in entries if "chapter-missing-parent" in e.label)
    assert missing.errors == ["crossref: no entry with key 'not-in-this-file' in this file"]


def test_school_and_institution_are_kept_as_publisher():
    items = {
        e.item["id"]: e.item
        for e in parse((FIXTURES / "crossref_jabref.bib").read_text(), "bibtex")
        if e.ok
    }
    assert items["berg2019"]["publisher"] == "Example University"
    assert items["berg2019"]["genre"] == "PhD thesis"
    assert items["report2020"]["publisher"] == "Example Institute"
    assert items["report2020"]["number"] == "PEP-00-00"


@pytest.mark.django_db
def test_one_name_with_a_particle_keeps_the_whole_list_as_creators():
    items = {
        e.item["id"]: e.item
        for e in parse((FIXTURES / "crossref_jabref.bib").read_text(), "bibtex")
        if e.ok
    }
    resource = Resource.from_csl(items["berg2019"])
    creators = resource.creators.all()
    assert [(c.non_dropping_particle, c.family) for c in creators] == [
        ("van der", "Berg"),
        ("", "Smith"),
        ("de la", "Cruz"),
    ]
    assert "author" not in resource.csl_extra
    assert resource.creators_display == "van der Berg J., Smith A. and de la Cruz M."


def test_biblatex_extended_names_and_editortype_director():
    items = {
        e.item["id"]: e.item
        for e in parse((FIXTURES / "zotero_bbt_biblatex.bib").read_text(), "bibtex")
        if e.ok
    }
    film = items["duvernay_13th_2016"]
    assert film["type"] == "motion_picture"
    assert film["director"] == [{"family": "DuVernay", "given": "Ava"}] and "editor" not in film
    assert items["delacruz_example_2020"]["author"] == [
        {"family": "Cruz", "given": "María", "non-dropping-particle": "de la"},
        {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        {"family": "Ortiz", "given": "Luis", "suffix": "III"},
    ]
    assert items["delacruz_example_2020"]["number-of-pages"] == "320"


def test_run_together_bibtex_is_refused_naming_entry_and_field():
    broken, good = parse((FIXTURES / "run_together.bib").read_text(), "bibtex")
    assert broken.item is None
    assert broken.label == "line 1: smith2020"
    assert broken.errors == [
        "title: runs into the field 'author' (line 2): a comma is missing after this "
        "field's value in entry smith2020"
    ]
    assert good.ok and good.item["title"] == "A Good Entry"


# --dry-run parity ------------------------------------------------------------------

PARITY_ITEMS = [
    {"type": "report", "title": "Fine", "issued": {"date-parts": [[2022]]}},
    # Each of these passes the file checks and fails only the model's validation.
    {"type": "article-journal", "title": "Bad DOI", "DOI": "10.1/x"},
    {"type": "book", "title": "Too old", "issued": {"date-parts": [[1700]]}},
    {"type": "book", "title": "Home page as the work", "URL": "https://www.versobooks.com/"},
    {"type": "book"},
]  # fmt: skip


def _run(path, *args) -> tuple[set[int], str, bool]:
    out, err = StringIO(), StringIO()
    failed = False
    try:
        call_command("import_resources", str(path), *args, stdout=out, stderr=err)
    except CommandError:
        failed = True
    found = {
        int(n)
        for n in re.findall(r"entry (\d+)\b[^\n]*?(?:would fail|not imported)", err.getvalue())
    }
    return found, err.getvalue(), failed


@pytest.mark.django_db
def test_dry_run_fails_exactly_what_a_real_run_fails_and_both_exit_non_zero(tmp_path):
    path = tmp_path / "parity.json"
    path.write_text(json.dumps(PARITY_ITEMS))
    dry, dry_err, dry_failed = _run(path, "--dry-run")
    assert Resource.objects.count() == 0
    real, real_err, real_failed = _run(path)
    assert dry == real == {2, 3, 4, 5}
    assert dry_failed and real_failed
    assert list(Resource.objects.values_list("title", flat=True)) == ["Fine"]
    for text in (dry_err, real_err):
        assert "DOI: Enter a bare DOI" in text
        assert "year: Ensure this value is greater than or equal to 1800." in text
        assert "__all__" not in text and "issued_year" not in text


@pytest.mark.django_db
def test_admin_preview_speaks_the_editors_language(client, django_user_model):
    user = django_user_model.objects.create_superuser("ed", "ed@fieldguide.test", "pw")
    client.force_login(user)
    upload = SimpleUploadedFile("parity.json", json.dumps(PARITY_ITEMS).encode())
    response = client.post("/admin/library/import/", {"file": upload, "format": "", "dois": ""})
    assert response.status_code == 302
    html = re.sub(r"\s+", " ", client.get(response["Location"]).content.decode())
    assert "<strong>DOI</strong>: Enter a bare DOI" in html
    assert "<strong>year</strong>: Ensure this value is greater than or equal to 1800." in html
    assert "<strong>URL</strong>: https://www.versobooks.com/ is a site&#x27;s home page" in html
    for code_name in ("__all__", "issued_year", "<strong>doi</strong>", "publisher_site"):
        assert code_name not in html
