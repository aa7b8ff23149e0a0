"""Imports: real files, bad entries reported per entry, duplicates, Crossref by DOI."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fieldguide.library import crossref
from fieldguide.library.formats import parse
from fieldguide.library.models import Resource

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "library"


def test_real_endnote_ris_export_is_read():
    entries = parse((FIXTURES / "endnote_export.ris").read_text(), "ris")
    assert [e.errors for e in entries] == [[]]
    item = entries[0].item
    assert item["title"] == "EndNote: The Only Reference I Can Remember"
    assert item["author"][0] == {"family": "Smith", "given": "A. Nonymous"}
    assert item["DOI"] == "10.1234/endnote.joke.2024"
    assert item["container-title"] == "Journal of Reference Management"
    assert item["issued"] == {"date-parts": [[2024]]}


def test_malformed_ris_reports_each_bad_record_and_keeps_good_ones():
    text = (
        "TY  - JOUR\nTI  - No end\nAU  - Doe, Jane\n"
        "TY  - BOOK\nTI  - A good book\nPY  - 2020\nER  - \n"
        "AU  - Orphan, Tag\nER  - \n"
        "TY  - RPRT\nPY  - 2021\nER  - \n"
    )
    entries = parse(text, "ris")
    assert [(e.index, e.ok) for e in entries] == [(1, False), (2, True), (3, False), (4, False)]
    assert entries[0].errors == [
        "ER: missing (the record starting on line 1 has no ER line before the next TY on line 4)"
    ]
    assert entries[0].label == "line 1: No end"
    assert entries[2].errors == ["TY: missing (tags from line 8 are outside any record)"]
    assert entries[3].errors == ["title: missing or empty"]


def test_broken_bibtex_entry_is_reported_with_its_line():
    text = "@book{ok, title={Fine}, year={2001}}\n\n@article{bad,\n  title = {Unclosed\n"
    entries = parse(text, "bibtex")
    assert entries[0].ok and entries[0].item["title"] == "Fine"
    assert not entries[1].ok
    assert entries[1].label.startswith("line 3")


def test_bibtex_braced_organisation_stays_one_literal_name():
    text = "@techreport{who, author={{World Health Organization}}, title={T}, year=2022}"
    assert parse(text, "bibtex")[0].item["author"] == [{"literal": "World Health Organization"}]


def test_csl_json_bad_entries_name_field_and_reason():
    text = (
        '[{"type": "book", "title": "Good"},'
        ' {"title": "No type", "issued": {"date-parts": [[2020, 13]]}}, 3]'
    )
    entries = parse(text, "csljson")
    assert entries[0].ok
    assert entries[1].errors == [
        "type: missing (every CSL item needs a type, e.g. article-journal)",
        "issued: month 13 is not 1-12",
    ]
    assert entries[2].errors == ["not an object but int"]
    assert parse("{not json", "csljson")[0].errors[0].startswith("file: not valid JSON (line 1")


@pytest.mark.django_db
def test_import_command_imports_good_entries_and_reports_bad(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(
        '[{"type": "report", "title": "A good report", "author": [{"literal": "WHO"}],'
        ' "issued": {"date-parts": [[2022]]}}, {"type": "book"}]'
    )
    out, err = StringIO(), StringIO()
    # Any failed entry makes the command exit non-zero (issue #10); the good ones are in.
    with pytest.raises(CommandError, match="1 entry failed"):
        call_command("import_resources", str(path), stdout=out, stderr=err)
    assert Resource.objects.filter(title="A good report").count() == 1
    assert "entry 2: not imported: title: missing or empty" in err.getvalue()
    assert "1 added, 0 merged, 0 skipped, 1 failed" in out.getvalue()


@pytest.mark.django_db
def test_dry_run_changes_nothing_and_duplicates_are_skipped_or_merged(tmp_path, guide):
    path = tmp_path / "dup.ris"
    path.write_text(
        "TY  - JOUR\nTI  - Associations between sex work laws and sex workers' health\n"
        "AU  - Platt, Lucy\nPY  - 2018\nDO  - 10.1371/journal.pmed.1002680\nSP  - e1002680\n"
        "LA  - en\nCY  - San Francisco\nER  - \n"
    )
    out = StringIO()
    call_command("import_resources", str(path), "--dry-run", "--on-duplicate", "merge", stdout=out)
    assert (
        "would merge (duplicate of platt-2018: same DOI 10.1371/journal.pmed.1002680)"
        in out.getvalue()
    )
    assert Resource.objects.get(key="platt-2018").language == ""
    call_command("import_resources", str(path), stdout=StringIO())
    assert Resource.objects.count() == 1
    call_command("import_resources", str(path), "--on-duplicate", "merge", stdout=StringIO())
    merged = Resource.objects.get(key="platt-2018")
    assert (merged.language, merged.publisher_place, merged.pages) == (
        "en",
        "San Francisco",
        "e1002680",
    )
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_import_doi_from_recorded_crossref_and_unknown_doi(crossref_server):
    out, err = StringIO(), StringIO()
    call_command(
        "import_doi",
        "https://doi.org/10.7554/elife.01567",
        "10.9999/unknown",
        "nonsense",
        stdout=out,
        stderr=err,
    )
    resource = Resource.objects.get(doi="10.7554/elife.01567")
    assert resource.title.startswith("Automated quantitative histology reveals")
    assert resource.container == "eLife"
    assert (resource.issued_year, resource.issued_month, resource.issued_day) == (2014, 2, 11)
    assert [c.family for c in resource.creators.all()][:2] == ["Sankar", "Nieminen"]
    assert (
        "entry 2 (10.9999/unknown): not imported: "
        "DOI 10.9999/unknown: Crossref does not know this DOI" in err.getvalue()
    )
    assert "entry 3 (nonsense): not imported: DOI 'nonsense': not a DOI" in err.getvalue()
    assert "mailto:editors@fieldguide.test" in crossref_server.user_agents[0]


@pytest.mark.django_db
def test_crossref_user_agent_has_no_mailto_unless_configured(crossref_server, settings):
    settings.CROSSREF_MAILTO = ""
    call_command("import_doi", "10.7554/elife.01567", stdout=StringIO(), stderr=StringIO())
    assert crossref_server.user_agents == ["Fieldguide/1.0"]


def test_crossref_goes_through_the_outbound_client(crossref_server, settings):
    """A Crossref URL that is not public (and not allowed) is refused, never fetched."""
    settings.FIELDGUIDE_OUTBOUND_ALLOW = []
    with pytest.raises(crossref.CrossrefError) as refused:
        crossref.fetch("10.7554/elife.01567")
    assert str(refused.value) == (
        "DOI 10.7554/elife.01567: Crossref could not be reached (Refused to fetch from "
        "127.0.0.1: it is a loopback address (this server itself).)"
    )
    assert crossref_server.user_agents == []


def test_real_zotero_better_bibtex_exports_are_read():
    """Zotero + Better BibTeX exports: double-brace protection, month macros, en dashes."""
    article = parse((FIXTURES / "zotero_bbt_article.bib").read_text(), "bibtex")[0].item
    assert article["type"] == "article-journal"
    assert article["container-title"] == "American psychologist"
    assert (article["volume"], article["issue"], article["page"]) == ("55", "1", "122")
    assert [a["family"] for a in article["author"]] == ["Baltes", "Staudinger"]
    chapter = parse((FIXTURES / "zotero_bbt_inbook.bib").read_text(), "bibtex")[0].item
    assert chapter["type"] == "chapter"
    assert chapter["container-title"].startswith("High Performance Parallelism Pearls")
    assert chapter["publisher"] == "Morgan Kaufmann"
    assert chapter["publisher-place"] == "Waltham, MA, USA"
    assert chapter["issued"] == {"date-parts": [[2015, 1]]}
    # "457--476": a range reads as CSL writes ranges, with a hyphen, whichever dash the
    # file used, so a BibTeX export of it reads back the same (test_roundtrip.py).
    assert chapter["page"] == "457-476"


def test_real_zotero_better_csl_json_export_is_read_as_plain_titles():
    entries = parse((FIXTURES / "zotero_better_csl.json").read_text(), "csljson")
    assert [e.errors for e in entries] == [[], [], [], []]
    titles = [e.item["title"] for e in entries]
    assert (
        titles[0] == "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru"
    )
    assert titles[3].startswith(
        "The Gospel according to St. Matthew, from the St. Germain ms. (g1)"
    )
    assert entries[1].item["DOI"] == "10.1484/J.SE.2.303788"
    assert entries[3].item["editor"] == [{"family": "Wordsworth", "given": "John"}]
