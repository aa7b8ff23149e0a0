from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from fieldguide.atlas.geography import DATA
from fieldguide.atlas.models import DatePrecision, PolicyRecord
from fieldguide.atlas.models.policy import START_FIRST
from fieldguide.atlas.policy_csv import (
    PolicyImportError,
    export_policy_csv,
    import_policy_csv,
    parse_partial_date,
)

HEADER = (
    "jurisdiction,topic,category,effective_date,end_date,citation,summary,coded_by,coded_on,"
    "source1_url,source1_title,source1_checked_on\n"
)
SOURCE = "https://legislature.vermont.gov/,Vermont General Assembly,2026-11-25"


def row(jurisdiction="vt", category="full-criminalization", start="", end="", source=SOURCE):
    return (
        f"{jurisdiction},selling-sex,{category},{start},{end},13 V.S.A. § 2632,"
        f"Selling sex is a crime.,Tester,2026-11-25,{source}\n"
    )


def errors_of(data: str) -> list[str]:
    with pytest.raises(PolicyImportError) as caught:
        import_policy_csv(data.encode())
    return [str(e) for e in caught.value.errors]


def test_shipped_files_import_every_record_with_sources(atlas):
    result = atlas["policies"]
    shipped = DATA / "policies"
    rows = sum(len(list(csv.DictReader(io.StringIO(f.read_text())))) for f in shipped.glob("*.csv"))
    assert result.created == rows == PolicyRecord.objects.count()
    nevada = PolicyRecord.objects.get(jurisdiction__slug="nv", topic__slug="selling-sex")
    assert nevada.category.code == "legal-regulated-in-part"
    assert "NRS 244.345" in nevada.citation
    assert nevada.sources.get().url == "https://www.leg.state.nv.us/"
    # Nobody has opened the shipped sources and confirmed them: no check date is claimed.
    assert nevada.sources.get().checked_on is None
    assert not PolicyRecord.objects.filter(sources__isnull=True).exists()


def test_partial_dates_keep_their_precision():
    assert parse_partial_date("2023") == (dt.date(2023, 1, 1), DatePrecision.YEAR)
    assert parse_partial_date("2020-03") == (dt.date(2020, 3, 1), DatePrecision.MONTH)
    assert parse_partial_date("2024-09-01") == (dt.date(2024, 9, 1), DatePrecision.DAY)
    with pytest.raises(ValueError, match="'1 Sept 2024' is not a date"):
        parse_partial_date("1 Sept 2024")


def test_reimporting_the_same_file_updates_in_place(atlas):
    data = export_policy_csv()
    before = PolicyRecord.objects.count()
    result = import_policy_csv(data.encode())
    assert (result.created, result.updated, result.unchanged) == (0, 0, before)
    assert PolicyRecord.objects.count() == before
    assert export_policy_csv() == data


def test_changed_rows_update_their_record_and_sources(atlas):
    data = export_policy_csv().replace("https://wyoleg.gov/", "https://wyoleg.gov/statutes")
    result = import_policy_csv(data.encode())
    assert (result.created, result.updated) == (0, 1)
    wyoming = PolicyRecord.objects.get(jurisdiction__slug="wy", topic__slug="selling-sex")
    assert [s.url for s in wyoming.sources.all()] == ["https://wyoleg.gov/statutes"]


def test_export_writes_partial_dates_as_coded(atlas):
    import_policy_csv(HEADER + row("pr", end="2019") + row("pr", "decriminalized", "2019", ""))
    exported = export_policy_csv(PolicyRecord.objects.filter(jurisdiction__slug__in=["pr", "me"]))
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][:5] == ["jurisdiction", "topic", "category", "effective_date", "end_date"]
    assert ["pr", "selling-sex", "full-criminalization", "", "2019"] in [r[:5] for r in rows]
    assert ["pr", "selling-sex", "decriminalized", "2019", ""] in [r[:5] for r in rows]
    # Maine's change is known to the day: P.L. 2023, c. 316 took effect on October 25, 2023.
    assert ["me", "selling-sex", "partial-criminalization", "2023-10-25", ""] in [
        r[:5] for r in rows
    ]


def test_malformed_rows_are_all_reported_and_nothing_is_written(atlas):
    before = PolicyRecord.objects.count()
    data = (
        HEADER
        + row(jurisdiction="vt", category="full-criminalization", start="2030", end="2031")
        + row(jurisdiction="atlantis")
        + row(category="banned")
        + row(start="25/12/2030")
        + row(start="2031", end="2030")
        + row(source="ftp://example,Title,2026-11-25")
        + row(source=",,")
    )
    errors = errors_of(data)
    assert "row 3, column 'jurisdiction': no jurisdiction with slug 'atlantis'" in errors
    assert any(
        e.startswith("row 4, column 'category': 'banned' is not in the codebook of 'selling-sex'")
        for e in errors
    )
    assert (
        "row 5, column 'effective_date': '25/12/2030' is not a date: "
        "use YYYY-MM-DD, YYYY-MM or YYYY" in errors
    )
    assert "row 6, column 'end_date': must be after effective_date" in errors
    assert "row 7, column 'source1_url': 'ftp://example' is not an http(s) URL" in errors
    assert "row 8, column 'source1_url': every record needs at least one source" in errors
    # Row 2 was valid, but the file as a whole was not: nothing is half-written.
    assert PolicyRecord.objects.count() == before


def test_duplicate_rows_are_rejected(atlas):
    errors = errors_of(
        HEADER + row(jurisdiction="pr", start="2030") + row(jurisdiction="pr", start="2030")
    )
    assert errors == [
        "row 3, column 'effective_date': duplicate of row 2 "
        "(same jurisdiction, topic and effective date)"
    ]
    assert not PolicyRecord.objects.filter(jurisdiction__slug="pr").exists()


def test_overlapping_dates_in_the_file_are_rejected(atlas):
    errors = errors_of(
        HEADER
        + row(jurisdiction="pr", start="2030", end="2035")
        + row(jurisdiction="pr", start="2033")
    )
    assert errors == ["row 3, column 'effective_date': dates overlap row 2 for pr / selling-sex"]


def test_overlap_with_a_stored_record_is_rejected(atlas):
    # Vermont's stored record has no start or end date, so any new span overlaps it.
    errors = errors_of(HEADER + row(jurisdiction="vt", category="decriminalized", start="2030"))
    assert len(errors) == 1
    assert errors[0].startswith("row 2, column 'effective_date': dates overlap the stored record")
    assert "for vt / selling-sex" in errors[0]


def test_a_change_is_imported_as_history(atlas):
    """Ending the stored record and adding its successor in one file keeps both."""
    data = (
        HEADER
        + row(jurisdiction="vt", end="2030-07-01")
        + row(jurisdiction="vt", category="decriminalized", start="2030-07-01")
    )
    result = import_policy_csv(data.encode())
    assert (result.created, result.updated) == (1, 1)
    history = list(
        PolicyRecord.objects.filter(jurisdiction__slug="vt", topic__slug="selling-sex").order_by(
            START_FIRST
        )
    )
    assert [r.category.code for r in history] == ["full-criminalization", "decriminalized"]
    assert history[0].end_date == dt.date(2030, 7, 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "row 1: the file is empty; the first row must name the columns"),
        (
            "jurisdiction,topic\nvt,selling-sex\n",
            "row 1: missing column(s): category, effective_date",
        ),
        (HEADER.strip() + ",colour\n", "row 1, column 'colour': unknown column"),
        (HEADER, "row 2: the file has no records"),
        (HEADER + row().rstrip("\n") + ",extra\n", "row 2: more values than there are columns"),
    ],
)
def test_file_level_problems_are_reported(db, data, message):
    with pytest.raises(PolicyImportError) as caught:
        import_policy_csv(data.encode())
    assert any(str(e).startswith(message) for e in caught.value.errors), caught.value.errors


def test_non_utf8_file_is_rejected(db):
    with pytest.raises(PolicyImportError, match="row 1: the file is not UTF-8 text"):
        import_policy_csv(HEADER.encode() + "Montréal".encode("latin-1"))


def test_citation_url_and_unchecked_sources_round_trip(atlas):
    header = (
        "jurisdiction,topic,category,effective_date,end_date,citation,citation_url,summary,"
        "coded_by,coded_on,source1_url,source1_title\n"
    )
    row = (
        "wy,selling-sex,full-criminalization,,,Wyo. Stat. § 6-4-101,"
        "https://wyoleg.gov/statutes/compress/title06.pdf,Both are crimes.,Tester,2026-12-01,"
        "https://wyoleg.gov/,Wyoming Legislature\n"
    )
    PolicyRecord.objects.filter(jurisdiction__slug="wy").delete()
    import_policy_csv(header + row)
    record = PolicyRecord.objects.get(jurisdiction__slug="wy", topic__slug="selling-sex")
    assert record.citation_url == "https://wyoleg.gov/statutes/compress/title06.pdf"
    assert record.sources.get().checked_on is None
    exported = export_policy_csv(PolicyRecord.objects.filter(pk=record.pk))
    assert exported.splitlines()[0].split(",")[6] == "citation_url"
    assert import_policy_csv(exported).unchanged == 1


def test_a_bad_citation_url_is_named(atlas):
    bad = (
        "jurisdiction,topic,category,effective_date,end_date,citation,citation_url,summary,"
        "coded_by,coded_on,source1_url,source1_title\n"
        "wy,selling-sex,full-criminalization,,,X,javascript:alert(1),S,T,2026-12-01,"
        "https://wyoleg.gov/,W\n"
    )
    with pytest.raises(PolicyImportError) as caught:
        import_policy_csv(bad)
    assert "row 2, column 'citation_url': 'javascript:alert(1)' is not an http(s) URL" in [
        str(e) for e in caught.value.errors
    ]
