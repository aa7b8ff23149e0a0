"""Reader side: the Cite disclosure, the citation page and the downloads."""

from __future__ import annotations

import json

import pytest

from fieldguide.guide.models import SectionPage
from fieldguide.library.formats import parse


@pytest.mark.django_db
def test_section_page_has_cite_disclosure_and_section_downloads(client, guide):
    section = SectionPage.objects.get(slug="section-1")
    response = client.get(section.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<details class="cite">' in html
    assert "<dt>APA 7</dt>" in html and "<dt>Vancouver</dt>" in html
    assert "Platt, L. (2018). Associations between sex work laws" in html
    assert f'href="/library/download/section-{section.pk}.ris"' in html
    assert 'href="/library/platt-2018.bib"' in html
    assert "style=" not in html and "<script>" not in html
    assert not response.cookies


@pytest.mark.django_db
def test_resource_page_shows_four_citations(client, guide):
    response = client.get("/library/platt-2018/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Platt L. Associations between sex work laws and sex workers" in html  # AMA
    assert "Platt, Lucy. 2018." in html  # Chicago keeps given names
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize(
    "suffix, fmt, content_type",
    [
        ("ris", "ris", "application/x-research-info-systems"),
        ("bib", "bibtex", "application/x-bibtex"),
        ("json", "csljson", "application/vnd.citationstyles.csl+json"),
    ],
)
def test_downloads_parse_back(client, guide, suffix, fmt, content_type):
    section = SectionPage.objects.get(slug="section-1")
    for url in (
        f"/library/platt-2018.{suffix}",
        f"/library/download/library.{suffix}",
        f"/library/download/section-{section.pk}.{suffix}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(content_type)
        assert "attachment" in response["Content-Disposition"]
        entries = parse(response.content.decode(), fmt)
        assert [e.errors for e in entries] == [[]]
        item = entries[0].item
        assert item["title"] == "Associations between sex work laws and sex workers' health"
        assert item["DOI"] == "10.1371/journal.pmed.1002680"
        assert item["author"] == [{"family": "Platt", "given": "Lucy"}]


@pytest.mark.django_db
def test_bad_downloads_are_404_not_500(client, guide):
    assert client.get("/library/platt-2018.docx").status_code == 404
    assert client.get("/library/no-such-resource/").status_code == 404
    assert client.get("/library/download/section-999999.ris").status_code == 404


@pytest.mark.django_db
def test_csl_json_download_is_the_resource_csl(client, guide):
    from fieldguide.library.models import Resource

    data = json.loads(client.get("/library/platt-2018.json").content)
    assert data == [Resource.objects.get(key="platt-2018").to_csl()]
