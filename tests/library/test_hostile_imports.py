"""Hostile import input: a clear problem per entry or per file, never a 500, nothing bad stored."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fieldguide.library.formats import count_records, parse
from fieldguide.library.models import Resource

from . import conftest
from .conftest import FIXTURES
from .samples import large_bibtex, large_ris
from .test_admin_import import START, editor, page, row  # noqa: F401 - editor is a fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("editor")]


def _upload(client, name: str, content: bytes):
    data = {"file": SimpleUploadedFile(name, content), "format": "", "dois": ""}
    return client.post(START, data)


def test_a_lone_surrogate_in_an_entry_is_a_problem_naming_it(client):
    content = (
        b'[{"type": "book", "title": "Broken \\ud800 title"},'
        b' {"type": "book", "title": "A good book"}]'
    )
    response = _upload(client, "refs.json", content)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    html = page(client, response["Location"])
    assert "<strong>title</strong>: contains U+D800 at character 8" in row(html, 1)
    assert "not valid Unicode" in row(html, 1)
    assert "A good book" in row(html, 2)
    report = client.post(response["Location"], {"entry-2": "add"})
    assert report.status_code == 302
    assert list(Resource.objects.values_list("title", flat=True)) == ["A good book"]


def test_invalid_utf8_bytes_name_the_line(client):
    content = b"TY  - JOUR\nTI  - Fine\nER  - \n\nTY  - JOUR\nTI  - Caf\xed\xa0\x80\nER  - \n"
    response = _upload(client, "refs.ris", content)
    assert response.status_code == 200
    assert "refs.ris is not UTF-8 text: line 6" in response.content.decode()
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "javascript:alert(1)",
        "not a url",
        "http://exa mple.org/",
        "https://example.org/\x00",
        "https://" + "a" * 2000 + ".org/",
        "\ud800",
    ],
)
def test_an_invalid_url_in_a_crossref_record_is_a_problem_of_that_entry(
    client, crossref_server, tmp_path, monkeypatch, url
):
    record = json.loads((FIXTURES / "crossref_work_elife.01567.json").read_text())
    record["message"]["URL"] = url
    recorded = tmp_path / "work.json"
    recorded.write_text(json.dumps(record))
    monkeypatch.setitem(conftest.RECORDED_WORKS, "/works/10.7554/elife.01567", recorded)
    response = client.post(START, {"dois": "10.7554/elife.01567", "format": ""})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    html = page(client, response["Location"])
    assert "<strong>URL</strong>" in row(html, 1)
    assert "Add as a new resource" not in row(html, 1)
    report = client.post(response["Location"], {"entry-1": "add"})
    assert report.status_code == 302
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("name", "build", "label"),
    [("refs.bib", large_bibtex, "BibTeX"), ("refs.ris", large_ris, "RIS")],
)
def test_the_entry_cap_refuses_a_file_before_it_is_parsed(client, settings, name, build, label):
    settings.LIBRARY_IMPORT_LIMITS = {"max_bytes": 5 * 1024 * 1024, "max_entries": 5}
    text = build(8000)
    count = count_records(text, "bibtex" if label == "BibTeX" else "ris")
    assert count > 5
    response = _upload(client, name, text.encode())
    assert response.status_code == 200
    message = f"{name} ({label}) has {count} entries; import at most 5 at a time."
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_the_size_cap_comes_from_the_setting(client, settings):
    settings.LIBRARY_IMPORT_LIMITS = {"max_bytes": 1024 * 1024, "max_entries": 1000}
    response = _upload(client, "refs.bib", large_bibtex(1024 * 1024 + 1).encode())
    assert response.status_code == 200
    assert "refs.bib is 1.0 MB; the most is 1 MB." in response.content.decode()
    assert "at most 1 MB and 1000 entries" in page(client, START)


def test_a_one_megabyte_bibtex_file_parses_every_entry():
    text = large_bibtex(1024 * 1024)
    entries = parse(text, "bibtex")
    assert len(entries) == count_records(text, "bibtex") > 1000
    assert all(entry.ok for entry in entries)
    assert entries[-1].item["title"].startswith(f"Copy {(len(entries) - 1) // 3}: ")


def test_the_fast_text_path_gives_what_pylatexenc_gives():
    from pylatexenc.latex2text import LatexNodes2Text

    from fieldguide.library.formats.bibtex import _text

    latex = LatexNodes2Text()
    for value in (
        "plain  text\n more",
        "{HIV} and {{AIDS}} testing",
        "{unbalanced",
        "a}b{",
        "pages 12--15",
        "``quoted''",
        "{\\'e}t{\\'e}",
        "50\\% of $x$",
        "A ~ B",
    ):
        assert _text(value) == " ".join(latex.latex_to_text(value).split()), value
