"""Editions ready to hand out (issue 14): the public address, the license, the paper size,
URLs never hyphenated, the facilitator's session plans, EPUB cover, rights and
accessibility metadata with an epubcheck run that prints no message at all.

The default guide is loaded once per test: its long URLs are the ones that broke.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Site

from fieldguide.exports.content import SESSION_MINUTES, session_plan
from fieldguide.guide.licenses import LICENSES, PaperSize
from fieldguide.guide.models import GuideSettings, SectionPage
from fieldguide.library.models import Profile, Resource
from tests.conftest import DEFAULT_BUNDLE

from .test_editions import download
from .tools import epubcheck, pdf_info, pdf_text

pytestmark = pytest.mark.django_db
PUBLIC = "https://guide.example.org"


@pytest.fixture
def default_guide_at_public_address(db):
    call_command("load_guide", str(DEFAULT_BUNDLE), verbosity=0)
    call_command("set_site_url", PUBLIC + "/", stdout=io.StringIO())
    return Site.objects.get(is_default_site=True)


def _unbroken(text: str) -> str:
    """pdftotext -layout text with line breaks and spaces removed (a hyphen that the
    layout added at a line end stays, as U+2010, and breaks the URL it sits in)."""
    return re.sub(r"\s+", "", text)


def test_editions_carry_the_public_address_license_paper_and_whole_urls_epub_passes(
    client, default_guide_at_public_address, tmp_path
):
    path, _ = download(client, "/editions/guide.pdf", tmp_path)
    assert "(letter)" in pdf_info(path)["Page size"]
    text = pdf_text(path)
    flat = re.sub(r"\s+", " ", text)
    assert f"Read it online: {PUBLIC}/" in flat
    assert "localhost" not in text and "127.0.0.1" not in text
    license = LICENSES["cc-by-sa-4.0"]
    assert _unbroken(license.name) in _unbroken(text) and license.url in _unbroken(text)
    shown = [r.url for r in Resource.objects.exclude(url="") if r.selections.exists()]
    shown += [p.website for p in Profile.objects.exclude(website="") if p.sections.exists()]
    assert len(shown) > 40
    unbroken = _unbroken(text)
    assert [url for url in shown if url not in unbroken] == []
    sections = list(SectionPage.objects.live().order_by("path"))
    assert f"SECTION 1 OF 7 · ABOUT {sections[0].reading_minutes} MIN READ" in flat.upper()

    # The discussion guide: a facilitator's handout under the same license, on A4 now.
    settings = GuideSettings.for_site(default_guide_at_public_address)
    settings.paper_size = PaperSize.A4
    settings.save()
    path, _ = download(client, "/editions/discussion-guide.pdf", tmp_path)
    assert "(A4)" in pdf_info(path)["Page size"]
    text = pdf_text(path)
    flat = re.sub(r"\s+", " ", text)
    assert _unbroken(license.name) in _unbroken(text)
    assert flat.count("Session plan (about 60 minutes)") == len(sections)
    assert flat.count("Opening · 10 min") == len(sections)
    assert flat.count("An action to try · 10 min") == len(sections)
    assert flat.count("Notes") >= len(sections)
    assert "· about 8 min" in flat
    assert "localhost" not in flat
    _epub_has_cover_rights_accessibility_metadata_and_no_epubcheck_message(client, tmp_path)


def _epub_has_cover_rights_accessibility_metadata_and_no_epubcheck_message(client, tmp_path):
    """Same guide (loading the default guide twice costs CI time)."""
    path, _ = download(client, "/editions/guide.epub", tmp_path)
    with zipfile.ZipFile(path) as book:
        opf_name = next(n for n in book.namelist() if n.endswith(".opf"))
        opf = book.read(opf_name).decode()
        cover = book.read(str(Path(opf_name).parent / "cover.svg")).decode()
    assert f"<dc:rights>{LICENSES['cc-by-sa-4.0'].name}" in opf
    assert f"<dc:source>{PUBLIC}/</dc:source>" in opf
    assert 'properties="cover-image"' in opf
    for prop in ("accessMode", "accessModeSufficient", "accessibilityFeature"):
        assert f'property="schema:{prop}"' in opf, prop
    assert '<meta property="schema:accessibilityHazard">none</meta>' in opf
    assert "Criminalization, Policing" in cover and 'fill="#ffffff"' in cover
    result = epubcheck(path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No errors or warnings detected." in output
    assert "0 fatals / 0 errors / 0 warnings / 0 infos" in output
    assert not re.search(r"^(USAGE|INFO|WARNING|ERROR|FATAL)\b", output, re.M), output

    # The sitemap names the same public address.
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{PUBLIC}/</loc>" in sitemap and "localhost" not in sitemap


def test_site_url_is_checked_and_the_admin_warns_while_it_is_a_loopback_address(admin_client, db):
    for bad, reason in [
        ("http://0.0.0.0:8000", "is where the server listens"),
        ("https://guide.example.org:8443", "only writes https addresses on port 443"),
        ("ftp://guide.example.org", "give an address such as"),
        ("https://guide.example.org/sub/", "at the root of its host"),
    ]:
        with pytest.raises(CommandError, match=reason):
            call_command("set_site_url", bad, stdout=io.StringIO())
    out = io.StringIO()
    call_command("set_site_url", "http://127.0.0.1:8000", stdout=out)
    assert "loopback address" in out.getvalue()
    html = admin_client.get("/admin/").content.decode()
    assert "public address is http://127.0.0.1:8000" in html
    call_command("set_site_url", PUBLIC, stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).root_url == PUBLIC
    assert "public address is" not in admin_client.get("/admin/").content.decode()


@pytest.mark.parametrize("count", [1, 3, 5, 7])
def test_session_plan_shares_the_discussion_time_in_whole_minutes(count):
    plan = session_plan([f"Q{i}" for i in range(count)], [])
    minutes = [q.minutes for q in plan.questions]
    assert plan.total_minutes == SESSION_MINUTES
    assert max(minutes) - min(minutes) <= 1 and minutes == sorted(minutes, reverse=True)
