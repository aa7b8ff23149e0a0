"""The guide cites itself: a "Cite this section"/"Cite this guide" block and downloads."""

from __future__ import annotations

import json

import pytest

from fieldguide.guide.citing import editor_names, page_item
from fieldguide.guide.models import GuideHomePage, SectionPage
from fieldguide.library.formats import parse

pytestmark = pytest.mark.django_db


def test_section_and_guide_pages_cite_themselves_in_every_style_and_format(client, guide):
    home = GuideHomePage.objects.live().first()
    home.editors = "Okafor, Adaeze\nFictional Editorial Collective"
    home.save_revision().publish()
    section = SectionPage.objects.live().first()

    item = page_item(section)
    assert item["type"] == "webpage"
    assert item["title"] == section.title
    assert item["container-title"] == home.title
    assert item["editor"] == [
        {"family": "Okafor", "given": "Adaeze"},
        {"literal": "Fictional Editorial Collective"},
    ]
    changed = section.content_changed_at
    assert item["issued"]["date-parts"][0][0] == changed.year
    assert item["URL"].endswith(section.url)
    assert len(item["accessed"]["date-parts"][0]) == 3

    page = client.get(section.url)
    body = page.content.decode()
    assert page.status_code == 200
    block = body[body.index('id="cite-this"') :]
    block = block[: block.index("</details>")]
    assert "Cite this section" in block
    for label in ("APA 7", "AMA 11", "Chicago author-date", "Vancouver"):
        assert f"<dt>{label}</dt>" in block
    assert "Okafor, A. &amp; Fictional Editorial Collective (Eds.)" in block  # APA
    assert section.title in block

    home_page = client.get(home.url)
    assert "Cite this guide" in home_page.content.decode()

    for suffix, fmt in (("ris", "ris"), ("bib", "bibtex"), ("json", "csljson")):
        response = client.get(f"/cite/page-{section.pk}.{suffix}")
        assert response.status_code == 200, suffix
        assert not response.cookies, suffix
        assert "public" in response["Cache-Control"]
        assert "attachment" in response["Content-Disposition"]
        (entry,) = parse(response.content.decode(), fmt)
        assert entry.ok, (suffix, entry.errors)
        assert entry.item["title"] == section.title
    data = json.loads(client.get(f"/cite/page-{home.pk}.json").content)
    assert data[0]["title"] == home.title
    assert client.get(f"/cite/page-{section.pk}.exe").status_code == 404


def test_editor_lines_without_a_comma_are_organisations():
    assert editor_names("Ruiz, Ana María\n\nWHO, \n") == [
        {"family": "Ruiz", "given": "Ana María"},
        {"literal": "WHO,"},
    ]
