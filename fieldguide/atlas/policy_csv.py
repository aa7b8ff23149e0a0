"""Bulk import and export of policy records as CSV (the format is in docs/atlas.md).

Import is all-or-nothing: every row is checked first, every problem is reported as
"row N, column C: reason", and the database is only touched when the whole file is
valid. A row whose jurisdiction, topic and effective date match an existing record
updates that record (so re-importing a file is safe); anything else that overlaps an
existing record's dates is rejected rather than silently rewriting history.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from fieldguide.core.spreadsheet_cells import protect_row, unprotect

from .models import (
    Category,
    DatePrecision,
    Jurisdiction,
    PolicyRecord,
    PolicySource,
    Topic,
)
from .models.policy import spans_overlap

REQUIRED_COLUMNS = [
    "jurisdiction",
    "topic",
    "category",
    "effective_date",
    "end_date",
    "citation",
    "summary",
    "coded_by",
    "coded_on",
]
OPTIONAL_COLUMNS = ["citation_url"]
COLUMNS = REQUIRED_COLUMNS[:6] + OPTIONAL_COLUMNS + REQUIRED_COLUMNS[6:]
SOURCE_FIELDS = ("url", "title")
# Written by the export so the open data shows who checked what; never read back: a
# check is recorded in the admin by the person who opened the source, not typed.
CHECK_FIELDS = ("checked_on", "checked_by")
SOURCE_COLUMN = re.compile(r"^source(\d+)_(url|title|checked_on|checked_by)$")
MAX_ROWS = 20_000
_validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


class PolicyImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ParsedRow:
    row: int
    jurisdiction: Jurisdiction
    topic: Topic
    category: Category
    effective: tuple[dt.date | None, str]
    end: tuple[dt.date | None, str]
    citation: str
    citation_url: str
    summary: str
    coded_by: str
    coded_on: dt.date
    sources: list[dict] = field(default_factory=list)

    @property
    def key(self) -> tuple[int, int, dt.date | None]:
        return (self.jurisdiction.pk, self.topic.pk, self.effective[0])

    @property
    def span(self) -> tuple[dt.date | None, dt.date | None]:
        return (self.effective[0], self.end[0])


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int = 0


def parse_partial_date(value: str) -> tuple[dt.date | None, str]:
    """'2023', '2023-10' or '2023-10-25' -> (first day of that period, precision)."""
    value = value.strip()
    if not value:
        return None, DatePrecision.DAY
    for pattern, precision in (
        (r"^\d{4}$", DatePrecision.YEAR),
        (r"^\d{4}-\d{2}$", DatePrecision.MONTH),
        (r"^\d{4}-\d{2}-\d{2}$", DatePrecision.DAY),
    ):
        if re.match(pattern, value):
            parts = [int(p) for p in value.split("-")] + [1, 1]
            return dt.date(parts[0], parts[1], parts[2]), precision
    raise ValueError(f"'{value}' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")


def format_partial_date(value: dt.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


class _RowReader:
    """Checks one CSV row, collecting every problem rather than stopping at the first."""

    def __init__(self, number: int, data: dict[str, str], lookups: dict):
        self.number = number
        self.data = {k: unprotect((v or "").strip()) for k, v in data.items() if k is not None}
        self.lookups = lookups
        self.errors: list[RowError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, max_length: int) -> str:
        value = self.data.get(column, "")
        if not value:
            self.error(column, "is required")
        elif len(value) > max_length:
            self.error(column, f"is {len(value)} characters long; the limit is {max_length}")
        return value

    def lookup(self, column: str, table: str):
        value = self.data.get(column, "")
        if not value:
            self.error(column, "is required")
            return None
        found = self.lookups[table].get(value)
        if found is None:
            self.error(column, f"no {table} with slug '{value}'")
        return found

    def partial_date(self, column: str) -> tuple[dt.date | None, str]:
        try:
            return parse_partial_date(self.data.get(column, ""))
        except ValueError as exc:
            self.error(column, str(exc))
            return None, DatePrecision.DAY

    def full_date(self, column: str) -> dt.date | None:
        value = self.data.get(column, "")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(column, f"'{value}' is not a date in the form YYYY-MM-DD")
            return None

    def url(self, column: str) -> str:
        """An optional http(s) URL of at most 1,000 characters."""
        value = self.data.get(column, "")
        if not value:
            return ""
        if len(value) > 1000:
            self.error(column, f"is {len(value)} characters long; the limit is 1000")
            return ""
        try:
            _validate_url(value)
        except ValidationError:
            self.error(column, f"'{value}' is not an http(s) URL")
            return ""
        return value

    def sources(self, numbers: list[int]) -> list[dict]:
        sources = []
        for n in numbers:
            columns = {name: f"source{n}_{name}" for name in SOURCE_FIELDS}
            values = {name: self.data.get(col, "") for name, col in columns.items()}
            if not any(values.values()):
                continue
            for name in ("url", "title"):
                if not values[name]:
                    self.error(columns[name], f"is required when any source{n} column is filled in")
            if values["url"]:
                try:
                    _validate_url(values["url"])
                except ValidationError:
                    self.error(columns["url"], f"'{values['url']}' is not an http(s) URL")
            sources.append({"url": values["url"], "title": values["title"][:300]})
        if not sources:
            self.error("source1_url", "every record needs at least one source")
        return sources

    def read(self, source_numbers: list[int]) -> ParsedRow | None:
        jurisdiction = self.lookup("jurisdiction", "jurisdiction")
        topic = self.lookup("topic", "topic")
        category = None
        code = self.data.get("category", "")
        if not code:
            self.error("category", "is required")
        elif topic is not None:
            category = self.lookups["category"].get((topic.pk, code))
            if category is None:
                codes = ", ".join(c for (t, c) in self.lookups["category"] if t == topic.pk)
                self.error(
                    "category", f"'{code}' is not in the codebook of '{topic.slug}' ({codes})"
                )
        effective = self.partial_date("effective_date")
        end = self.partial_date("end_date")
        if effective[0] and end[0] and end[0] <= effective[0]:
            self.error("end_date", "must be after effective_date")
        citation = self.text("citation", 300)
        citation_url = self.url("citation_url")
        summary = self.text("summary", 5000)
        coded_by = self.text("coded_by", 120)
        coded_on = self.full_date("coded_on")
        sources = self.sources(source_numbers)
        if self.errors:
            return None
        return ParsedRow(
            self.number,
            jurisdiction,
            topic,
            category,
            effective,
            end,
            citation,
            citation_url,
            summary,
            coded_by,
            coded_on,
            sources,
        )


def _lookups() -> dict:
    return {
        "jurisdiction": {j.slug: j for j in Jurisdiction.objects.all()},
        "topic": {t.slug: t for t in Topic.objects.all()},
        "category": {(c.topic_id, c.code): c for c in Category.objects.all()},
    }


def _check_header(fieldnames: list[str] | None) -> tuple[list[int], list[RowError]]:
    if not fieldnames:
        return [], [RowError(1, "", "the file is empty; the first row must name the columns")]
    errors = []
    missing = [c for c in REQUIRED_COLUMNS if c not in fieldnames]
    if missing:
        errors.append(RowError(1, "", f"missing column(s): {', '.join(missing)}"))
    numbers = set()
    for name in fieldnames:
        match = SOURCE_COLUMN.match(name or "")
        if match:
            numbers.add(int(match.group(1)))
        elif name not in COLUMNS:
            errors.append(
                RowError(1, name or "", "unknown column (see the codebook in docs/atlas.md)")
            )
    if not numbers:
        errors.append(RowError(1, "", "no source columns (source1_url, source1_title)"))
    return sorted(numbers), errors


def _cross_check(rows: list[ParsedRow]) -> list[RowError]:
    """Duplicates and overlapping spans within the file and against the database."""
    errors = []
    seen: dict[tuple, ParsedRow] = {}
    by_place: dict[tuple[int, int], list[ParsedRow]] = {}
    for row in rows:
        if row.key in seen:
            errors.append(
                RowError(
                    row.row,
                    "effective_date",
                    f"duplicate of row {seen[row.key].row} "
                    "(same jurisdiction, topic and effective date)",
                )
            )
            continue
        seen[row.key] = row
        by_place.setdefault(row.key[:2], []).append(row)
    for (jurisdiction_id, topic_id), group in by_place.items():
        for i, row in enumerate(group):
            for other in group[:i]:
                if spans_overlap(row.span, other.span):
                    errors.append(
                        RowError(
                            row.row,
                            "effective_date",
                            f"dates overlap row {other.row} for "
                            f"{row.jurisdiction.slug} / {row.topic.slug}",
                        )
                    )
        keys = {row.effective[0] for row in group}
        existing = PolicyRecord.objects.filter(jurisdiction_id=jurisdiction_id, topic_id=topic_id)
        for record in existing:
            if record.effective_date in keys:
                continue  # this row updates that record
            for row in group:
                if spans_overlap(row.span, (record.effective_date, record.end_date)):
                    errors.append(
                        RowError(
                            row.row,
                            "effective_date",
                            f"dates overlap the stored record {record.span_display()} "
                            f"({record.category}) for {row.jurisdiction.slug} / {row.topic.slug}",
                        )
                    )
    return errors


def parse_policy_csv(data: bytes | str) -> list[ParsedRow]:
    """Every row checked; raises PolicyImportError listing all problems."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PolicyImportError(
                [RowError(1, "", f"the file is not UTF-8 text ({exc.reason} at byte {exc.start})")]
            ) from exc
    reader = csv.DictReader(io.StringIO(data, newline=""))
    try:
        numbers, errors = _check_header(reader.fieldnames)
    except csv.Error as exc:
        raise PolicyImportError([RowError(1, "", f"not a readable CSV file: {exc}")]) from exc
    if errors:
        raise PolicyImportError(errors)
    lookups = _lookups()
    rows: list[ParsedRow] = []
    try:
        for index, data_row in enumerate(reader, start=2):
            if index > MAX_ROWS + 1:
                errors.append(RowError(index, "", f"more than {MAX_ROWS} rows; split the file"))
                break
            if None in data_row:
                errors.append(RowError(index, "", "more values than there are columns"))
                continue
            if not any((v or "").strip() for v in data_row.values()):
                continue
            row_reader = _RowReader(index, data_row, lookups)
            parsed = row_reader.read(numbers)
            errors.extend(row_reader.errors)
            if parsed:
                rows.append(parsed)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, "", f"not a readable CSV row: {exc}"))
    if not errors:
        errors = _cross_check(rows)
    if errors:
        raise PolicyImportError(errors)
    if not rows:
        raise PolicyImportError([RowError(2, "", "the file has no records")])
    return rows


def _values(row: ParsedRow) -> dict:
    return {
        "category_id": row.category.pk,
        "effective_precision": row.effective[1],
        "end_date": row.end[0],
        "end_precision": row.end[1],
        "citation": row.citation,
        "citation_url": row.citation_url,
        "summary": row.summary,
        "coded_by": row.coded_by,
        "coded_on": row.coded_on,
    }


def _sources_of(record: PolicyRecord) -> list[dict]:
    return [{"url": s.url, "title": s.title} for s in record.sources.all()]


@transaction.atomic
def import_policy_csv(data: bytes | str) -> ImportResult:
    """Check the whole file, then create new records and update changed ones.

    Rows identical to the stored record are left alone, so re-running an import (or
    ``load_atlas``) writes nothing and adds no revisions or reference-index work.
    """
    rows = parse_policy_csv(data)
    stored = {
        (r.jurisdiction_id, r.topic_id, r.effective_date): r
        for r in PolicyRecord.objects.filter(
            jurisdiction__in={row.jurisdiction for row in rows}
        ).prefetch_related("sources")
    }
    result = ImportResult(0, 0)
    for row in rows:
        previous: dict[str, PolicySource] = {}
        values = _values(row)
        record = stored.get(row.key)
        if record is not None:
            same = all(getattr(record, k) == v for k, v in values.items())
            if same and _sources_of(record) == row.sources:
                result.unchanged += 1
                continue
            for key, value in values.items():
                setattr(record, key, value)
            record.save()
            previous = {s.url: s for s in record.sources.all()}
            record.sources.all().delete()
            result.updated += 1
        else:
            record = PolicyRecord.objects.create(
                jurisdiction=row.jurisdiction,
                topic=row.topic,
                effective_date=row.effective[0],
                **values,
            )
            result.created += 1
        new_sources = []
        for i, source in enumerate(row.sources):
            new = PolicySource(record=record, sort_order=i, **source)
            new.keep_check_of(previous.get(new.url))
            new_sources.append(new)
        PolicySource.objects.bulk_create(new_sources)
    return result


def record_row(record: PolicyRecord) -> dict[str, str]:
    """One record as the CSV columns, sources numbered from 1 (the export's cells)."""
    row = {
        "jurisdiction": record.jurisdiction.slug,
        "topic": record.topic.slug,
        "category": record.category.code,
        "effective_date": format_partial_date(record.effective_date, record.effective_precision),
        "end_date": format_partial_date(record.end_date, record.end_precision),
        "citation": record.citation,
        "citation_url": record.citation_url,
        "summary": record.summary,
        "coded_by": record.coded_by,
        "coded_on": record.coded_on.isoformat(),
    }
    for n, s in enumerate(record.sources.all(), start=1):
        row[f"source{n}_url"] = s.url
        row[f"source{n}_title"] = s.title
        row[f"source{n}_checked_on"] = s.checked_on.isoformat() if s.checked_on else ""
        row[f"source{n}_checked_by"] = s.checked_by_name
    return row


def with_related(records):
    return records.select_related("jurisdiction", "topic", "category").prefetch_related(
        "sources__checked_by"
    )


def write_rows(rows: list[dict[str, str]]) -> str:
    """CSV text of export rows: the import columns, then as many sources as needed."""
    width = max(
        [1] + [sum(1 for k in row if k.endswith("_url") and k != "citation_url") for row in rows]
    )
    columns = COLUMNS + [
        f"source{n}_{f}" for n in range(1, width + 1) for f in SOURCE_FIELDS + CHECK_FIELDS
    ]
    out = io.StringIO()
    # RFC 4180 line ends: with them the writer also quotes a cell holding a bare "\r",
    # which a "\n"-terminated writer left unquoted and the reader then split.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(protect_row([row.get(column, "") for column in columns]))
    return out.getvalue()


def export_policy_csv(records=None) -> str:
    """The same columns the importer reads, so an export re-imports unchanged."""
    records = with_related(records if records is not None else PolicyRecord.objects.all())
    return write_rows([record_row(r) for r in records])
