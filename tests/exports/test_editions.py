"""PDF and EPUB editions, built through the reader site's download URLs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from django.template.defaultfilters import filesizeformat

from fieldguide.exports.editions import EditionFormat, EditionKind, EditionSpec
from fieldguide.exports.store import get_or_build
from fieldguide.exports.version import content_version
from fieldguide.guide.models import GlossaryTerm, SectionPage

from .tools import epubcheck, pdf_info, pdf_outline, pdf_structure, pdf_text

pytestmark = pytest.mark.django_db


def download(client, url: str, folder: Path):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    path = folder / url.rsplit("/", 1)[-1]
    path.write_bytes(b"".join(response.streaming_content))
    return path, response


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_guide_pdf_is_tagged_has_an_outline_and_every_part(client, guide, tmp_path):
    path, response = download(client, "/editions/guide.pdf", tmp_path)
    assert response["Content-Type"] == "application/pdf"
    assert not response.cookies

    info = pdf_info(path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Test Guide"
    outline = pdf_outline(path)
    assert outline[:3] == ["Cover", "Contents", "About this guide"]
    assert outline.index("Section 1") < outline.index("Section 2") < outline.index("Glossary")
    assert outline[-1] == "Resources cited"
    assert outline.count("Selected Resources") == 2
    structure = pdf_structure(path)
    for tag in ("H1", "H2", "Link"):
        assert re.search(rf"^\s*{tag}\b", structure, re.M), tag

    text = flat(pdf_text(path))
    for expected in (
        "Harm reduction meets people",
        "Question 2 of section 1?",
        "Platt, L. (2018).",
        "Why it is here: Key evidence.",
        "Source: Drawing on National Harm Reduction Coalition",
        "SWOP USA",
        "Learn where your state stands",
    ):
        assert expected in text, expected
    unbroken = re.sub(r"\s+", "", text)
    assert "https://doi.org/10.1371/journal.pmed.1002680" in unbroken
    assert "https://example.org/" in unbroken


def test_discussion_guide_has_summaries_questions_actions_and_readings_only(
    client, guide, tmp_path
):
    path, _ = download(client, "/editions/discussion-guide.pdf", tmp_path)
    text = flat(pdf_text(path))
    for expected in (
        "Discussion guide",
        "Summary of section 1.",
        "Question 3 of section 2?",
        "Volunteer with a local group",
        "Readings",
        "Platt, L. (2018).",
        "Practical strategies",
    ):
        assert expected in text, expected
    assert "Harm reduction meets people" not in text
    assert "Who To Follow" not in text
    assert "Using this discussion guide" in pdf_outline(path)


def test_section_pdf_holds_that_section_and_the_terms_it_uses(client, guide, tmp_path):
    path, _ = download(client, "/editions/sections/section-2.pdf", tmp_path)
    text = flat(pdf_text(path))
    assert "Question 1 of section 2?" in text
    assert "Question 1 of section 1?" not in text
    assert "Section 2 of 2" in text
    assert pdf_outline(path) == [
        "Cover",
        "Contents",
        "Section 2",
        "Introduction",
        "Selected Resources",
        "Discussion Questions",
        "Who To Follow",
        "For Further Learning",
        "Glossary",
        "Resources cited",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/editions/guide.epub",
        "/editions/discussion-guide.epub",
        "/editions/sections/section-1.epub",
    ],
)
def test_epub_editions_pass_epubcheck(client, guide, tmp_path, url):
    path, response = download(client, url, tmp_path)
    assert response["Content-Type"] == "application/epub+zip"
    assert "attachment" in response["Content-Disposition"]
    result = epubcheck(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 fatals / 0 errors / 0 warnings" in result.stdout + result.stderr


def test_guide_epub_links_first_term_mention_to_its_glossary_entry(client, guide, tmp_path):
    path, _ = download(client, "/editions/guide.epub", tmp_path)
    with zipfile.ZipFile(path) as book:
        names = set(book.namelist())
        assert {
            "mimetype",
            "EPUB/nav.xhtml",
            "EPUB/section-1.xhtml",
            "EPUB/glossary.xhtml",
        } <= names
        section = book.read("EPUB/section-1.xhtml").decode()
        glossary = book.read("EPUB/glossary.xhtml").decode()
        nav = book.read("EPUB/nav.xhtml").decode()
    assert 'href="glossary.xhtml#term-harm-reduction"' in section
    assert 'id="term-harm-reduction"' in glossary
    assert nav.index("Section 1") < nav.index("Section 2") < nav.index("Glossary")


def test_second_download_is_served_from_the_store(client, guide, editions_dir):
    first = client.get("/editions/guide.pdf")
    first_bytes = b"".join(first.streaming_content)
    (stored,) = editions_dir.rglob("guide.pdf")
    built_at = stored.stat().st_mtime_ns

    second = client.get("/editions/guide.pdf")
    assert b"".join(second.streaming_content) == first_bytes
    assert stored.stat().st_mtime_ns == built_at
    assert second["ETag"] == first["ETag"]
    assert "max-age=300" in second["Cache-Control"]
    assert client.get("/editions/guide.pdf", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_publishing_a_change_makes_the_next_download_a_new_build(client, guide, tmp_path):
    before, first = download(client, "/editions/guide.pdf", tmp_path)
    section = SectionPage.objects.get(slug="section-1")
    section.introduction = "<p>Needle exchange saves lives.</p>"
    section.save_revision().publish()

    response = client.get("/editions/guide.pdf")
    assert response["ETag"] != first["ETag"]
    after = tmp_path / "after.pdf"
    after.write_bytes(b"".join(response.streaming_content))
    assert "Needle exchange saves lives." in flat(pdf_text(after))
    assert "Needle exchange" not in flat(pdf_text(before))


def test_content_version_follows_glossary_edits_but_not_idle_saves(guide):
    version = content_version(guide)
    assert content_version(guide) == version
    term = GlossaryTerm.objects.get(slug="harm-reduction")
    term.save()
    assert content_version(guide) == version
    term.definition = "<p>A changed definition.</p>"
    term.save()
    assert content_version(guide) != version


def test_store_builds_once_then_reuses(guide):
    spec = EditionSpec(EditionKind.SECTION, EditionFormat.EPUB, "section-1")
    first = get_or_build(guide, spec)
    again = get_or_build(guide, spec)
    assert (first.built, again.built) == (True, False)
    assert again.path == first.path and again.size == first.size > 0


@pytest.mark.parametrize(
    "url",
    [
        "/editions/sections/no-such-section.pdf",
        "/editions/guide.docx",
        "/editions/handbook.pdf",
        "/editions/sections/section-1.pdf.exe",
    ],
)
def test_unknown_editions_are_not_found(client, guide, url):
    assert client.get(url).status_code == 404


def test_downloads_accept_only_safe_methods(client, guide):
    assert client.post("/editions/guide.pdf").status_code == 405


def test_home_and_section_pages_link_every_edition(client, guide):
    home = client.get("/").content.decode()
    for href in (
        "/editions/guide.pdf",
        "/editions/guide.epub",
        "/editions/discussion-guide.pdf",
        "/editions/discussion-guide.epub",
    ):
        assert f'href="{href}"' in home
    assert "/editions/sections/" not in home
    section = client.get("/section-1/").content.decode()
    assert 'href="/editions/sections/section-1.pdf"' in section
    assert 'href="/editions/sections/section-1.epub"' in section
    assert 'href="/editions/guide.pdf"' in section


def test_download_links_show_sizes_of_built_files(client, guide):
    before = client.get("/section-1/").content.decode()
    assert '<span class="meta">(' not in before
    response = client.get("/editions/sections/section-1.pdf")
    size = len(b"".join(response.streaming_content))
    html = client.get("/section-1/").content.decode()
    label = filesizeformat(size)
    assert re.search(
        r'href="/editions/sections/section-1\.pdf"[^>]*>PDF<span[^>]*>[^<]*</span></a> '
        rf'<span class="meta">\({re.escape(label)}\)</span>',
        html,
    ), html
