"""Export -> import loses nothing in RIS and BibTeX (biblatex), as in CSL-JSON.

The items (tests/library/roundtrip_items.json) cover directors and other roles,
name particles and suffixes, days and date ranges, page counts and running times,
sections, an organisation whose name has a comma, and types that must not turn into
one another (film, podcast episode, song, newspaper article, thesis).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldguide.library.formats import dump, parse
from fieldguide.library.models import Resource

ITEMS = json.loads((Path(__file__).parent / "roundtrip_items.json").read_text())
FORMATS = ("ris", "bibtex", "csljson")


def _read_back(items: list[dict], fmt: str) -> list[dict]:
    entries = parse(dump(items, fmt), fmt)
    assert [e.errors for e in entries] == [[] for _ in items]
    return [e.item for e in entries]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_item_reads_back_unchanged(fmt):
    read = _read_back(ITEMS, fmt)
    for wanted, got in zip(ITEMS, read, strict=True):
        assert got == wanted, wanted["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_saved_resource_downloads_and_imports_unchanged(fmt):
    """Through the model too: what the library stores is what a download carries."""
    resources = []
    for item in ITEMS:
        resource = Resource.from_csl(item)
        resource.full_clean(exclude=["topics"])
        resource.save()
        resources.append(Resource.objects.prefetch_related("creators").get(pk=resource.pk))
    assert [r.to_csl() for r in resources] == ITEMS
    # A name with a particle or suffix is a creator row, not extra data.
    assert not any(
        role in r.csl_extra for r in resources for role in ("author", "director", "host")
    )
    assert _read_back([r.to_csl() for r in resources], fmt) == ITEMS


def test_types_survive_in_each_format():
    by_id = {item["id"]: item for item in ITEMS}
    for fmt in ("ris", "bibtex"):
        read = {i["id"]: i["type"] for i in _read_back(ITEMS, fmt)}
        assert read == {key: item["type"] for key, item in by_id.items()}, fmt


def test_formats_use_their_own_fields_first():
    """Only what a format truly lacks goes to its Extra lines (docs/library.md)."""
    film, podcast, news, thesis, chapter, report, book = (
        dump([next(i for i in ITEMS if i["id"] == key)], fmt)
        for key, fmt in (
            ("film-van-der-berg", "ris"),
            ("podcast-episode", "bibtex"),
            ("news-jr-section", "ris"),
            ("thesis", "bibtex"),
            ("chapter-many-roles", "bibtex"),
            ("report-comma-organisation", "ris"),
            ("book-pages", "bibtex"),
        )
    )
    assert "TY  - MPCT" in film and "AU  - van der Berg, Jan" in film
    assert "SP  - 96 min" in film and "A3  - Okafor, Ada" in film
    assert film.count("M2  - ") == 1 and "M2  - medium: Streaming video" in film
    assert "@audio{" in podcast and "editortype = {host}" in podcast
    assert "editoratype = {guest}" in podcast
    assert "TY  - NEWS" in news and "SE  - Metro" in news and "AU  - King, Martin L., Jr." in news
    assert "DA  - 2020/03/26" in news
    assert "@thesis{" in thesis and "institution = {Johns Hopkins University}" in thesis
    assert "pagetotal = {214}" in thesis and "extra" not in thesis
    assert "prefix={van}, useprefix=false" in thesis
    assert "bookauthor = {Jones, Ben}" in chapter and "pages = {45--67}" in chapter
    assert "extra" not in chapter
    assert "M2  - issued: 2014-12-31/2015-01-01" in report
    assert "prefix={de la}, useprefix=true" in book and "suffix={III}" in book
