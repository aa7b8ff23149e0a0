"""RIS, the tagged format EndNote, Zotero and Mendeley all export.

rispy reads and writes the tags, but `rispy.loads` silently drops a record with no
TY or no ER line, so records are first split here, line by line, and each broken
one is reported with its line number.

Tags follow Zotero's RIS translator: `SP` is a book's or thesis's page count and a
film's running time, not a page range; a film's `AU` is its director; `C2` is the
author of the book a chapter is in; `SE` the section; `M2` Zotero's Extra lines
(formats/extra.py), which carry whatever else an item has, so an export reads back
the same.
"""

from __future__ import annotations

import re

import rispy
from rispy.writer import RisWriter

from ..models import normalise_doi
from . import ParsedEntry, label_for
from .extra import apply_lines, differences, lines_for
from .names import person

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
DATE = re.compile(r"^\s*(\d{4})(?:[/-](\d{1,2}))?(?:[/-](\d{1,2}))?")

RIS_TO_CSL_TYPE = {
    "JOUR": "article-journal",
    "EJOUR": "article-journal",
    "JFULL": "article-journal",
    "ABST": "article-journal",
    "INPR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "RPRT": "report",
    "GOVDOC": "report",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "VIDEO": "motion_picture",
    "MPCT": "motion_picture",
    "MUSIC": "song",
    "PCOMM": "personal_communication",
    "MANSCPT": "manuscript",
    "STAND": "standard",
    "ADVS": "motion_picture",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "DATA": "dataset",
    "DBASE": "dataset",
    "THES": "thesis",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "SOUND": "broadcast",
    "BILL": "bill",
    "STAT": "legislation",
    "CASE": "legal_case",
    "GEN": "document",
}
CSL_TO_RIS_TYPE = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "report": "RPRT",
    "book": "BOOK",
    "chapter": "CHAP",
    "motion_picture": "MPCT",
    "broadcast": "SOUND",
    "song": "MUSIC",
    "personal_communication": "PCOMM",
    "manuscript": "MANSCPT",
    "standard": "STAND",
    "interview": "PCOMM",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "thesis": "THES",
    "paper-conference": "CPAPER",
    "bill": "BILL",
    "legislation": "STAT",
    "legal_case": "CASE",
}
#: rispy key -> CSL variable, for the plain text fields.
TEXT_FIELDS = {
    "volume": "volume",
    "number": "issue",
    "publisher": "publisher",
    "place_published": "publisher-place",
    "edition": "edition",
    "language": "language",
    "type_of_work": "genre",
    "abstract": "abstract",
    "short_title": "title-short",
    "tertiary_title": "collection-title",
    "section": "section",
}
#: rispy's tags plus Zotero's M2 (Extra) and C2 (a chapter's book author).
MAPPING = {**rispy.TAG_KEY_MAPPING, "M2": "extra", "C2": "container_authors"}
LIST_TAGS = [*rispy.config.LIST_TYPE_TAGS, "M2", "C2"]
RIS_OPTIONS = {"mapping": MAPPING, "list_tags": LIST_TAGS, "delimiter_tags_mapping": {}}
#: Name tags and the CSL role each holds, by CSL type ("*" for all others).
NAME_TAGS = {
    "*": {"authors": "author", "secondary_authors": "editor",
          "tertiary_authors": "collection-editor", "subsidiary_authors": "translator",
          "container_authors": "container-author"},
    "motion_picture": {"authors": "director", "tertiary_authors": "producer",
                       "subsidiary_authors": "translator"},
}  # fmt: skip
#: CSL types whose SP is a count: number of pages, or running time.
SP_COUNTS = {"book": "number-of-pages", "thesis": "number-of-pages", "motion_picture": "dimensions"}


def _split_records(text: str) -> list[tuple[int, list[str], list[str]]]:
    """(first line number, lines, problems) for each record in the file."""
    records: list[tuple[int, list[str], list[str]]] = []
    current: tuple[int, list[str], list[str]] | None = None
    orphan_start = None
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        match = TAG_LINE.match(line.rstrip())
        tag = match.group(1) if match else None
        if tag == "TY":
            if current:
                current[2].append(
                    f"ER: missing (the record starting on line {current[0]} has no ER line "
                    f"before the next TY on line {number})"
                )
                records.append(current)
            current = (number, [line], [])
            orphan_start = None
        elif tag == "ER":
            if current:
                current[1].append(line)
                records.append(current)
                current = None
            elif orphan_start is not None:
                orphan_start = None
            else:
                records.append(
                    (
                        number,
                        [],
                        [
                            f"TY: missing (the ER line on line {number} closes a record "
                            "that never started)"
                        ],
                    )
                )
        elif current:
            current[1].append(line)
        elif match and orphan_start is None:
            orphan_start = number
            records.append(
                (number, [line], [f"TY: missing (tags from line {number} are outside any record)"])
            )
    if current:
        current[2].append(f"ER: missing (the record starting on line {current[0]} is not closed)")
        records.append(current)
    return records


def parse(text: str) -> list[ParsedEntry]:
    entries = []
    for index, (line_number, lines, problems) in enumerate(_split_records(text), 1):
        chunk = "\n".join(lines + ([] if problems else []))
        if problems:
            title = next(
                (
                    m.group(2)
                    for m in map(TAG_LINE.match, lines)
                    if m and m.group(1) in ("TI", "T1")
                ),
                "",
            )
            entries.append(
                ParsedEntry(
                    index,
                    f"line {line_number}" + (f": {title[:80]}" if title else ""),
                    errors=problems,
                )
            )
            continue
        records = rispy.loads(chunk, **RIS_OPTIONS)
        if not records:
            entries.append(
                ParsedEntry(index, f"line {line_number}", errors=["record: could not be read"])
            )
            continue
        item = ris_to_csl(records[0])
        from .csljson import validate_item

        errors = validate_item(item)
        entries.append(
            ParsedEntry(
                index, f"line {line_number}: {label_for(item)}", None if errors else item, errors
            )
        )
    if not entries:
        entries.append(
            ParsedEntry(
                0, "", errors=["file: no RIS records (a record starts with a 'TY  - ' line)"]
            )
        )
    return entries


def _name(value: str) -> dict:
    """A CSL name from "Family, Given, Suffix" (or an organisation's name, no comma)."""
    value = value.strip()
    if "," not in value:
        return {"literal": value}
    family, _, rest = (part.strip() for part in value.partition(","))
    given, _, suffix = (part.strip() for part in rest.partition(","))
    return person(family, given, suffix)


def _date(value: str | None) -> dict | None:
    match = DATE.match(value or "")
    if not match:
        return None
    parts = [int(match.group(1))]
    for group in (2, 3):
        if match.group(group) and int(match.group(group)):
            parts.append(int(match.group(group)))
        else:
            break
    return {"date-parts": [parts]}


def ris_to_csl(record: dict) -> dict:
    ris_type = record.get("type_of_reference", "GEN")
    csl_type = RIS_TO_CSL_TYPE.get(ris_type, "document")
    item: dict = {"type": csl_type}
    if record.get("id"):
        item["id"] = record["id"]
    title = record.get("title") or record.get("primary_title")
    if title:
        item["title"] = title
    if record.get("first_authors") and not record.get("authors"):
        record = {**record, "authors": record["first_authors"]}
    for tag, role in NAME_TAGS.get(csl_type, NAME_TAGS["*"]).items():
        if record.get(tag):
            item[role] = [_name(a) for a in record[tag]]
    container = (
        record.get("secondary_title")
        or record.get("journal_name")
        or record.get("alternate_title3")
    )
    if container:
        item["container-title"] = container
    short = record.get("alternate_title1") or record.get("alternate_title2")
    if short:
        item["container-title-short"] = short
    for ris_key, variable in TEXT_FIELDS.items():
        if record.get(ris_key):
            item[variable] = str(record[ris_key])
    start, end = record.get("start_page"), record.get("end_page")
    if start and not end and csl_type in SP_COUNTS:
        # Zotero writes a book's or thesis's page count and a film's running time here.
        item[SP_COUNTS[csl_type]] = str(start).strip()
    elif start:
        item["page"] = f"{start}-{end}" if end and end != start else str(start)
    issued = (
        _date(record.get("date"))
        or _date(record.get("year"))
        or _date(record.get("publication_year"))
    )
    date_full = _date(record.get("date"))
    year = _date(record.get("year"))
    if date_full and year and date_full["date-parts"][0][0] != year["date-parts"][0][0]:
        issued = year
    if issued:
        item["issued"] = issued
    accessed = _date(record.get("access_date"))
    if accessed:
        item["accessed"] = accessed
    if record.get("doi"):
        item["DOI"] = normalise_doi(record["doi"])
    urls = [
        u for u in record.get("urls") or [] if u and "doi.org/" not in u or not record.get("doi")
    ]
    if urls:
        item["URL"] = urls[0].strip()
    if record.get("issn"):
        serial = record["issn"].strip()
        if csl_type == "report" and not re.match(r"^[\d-]{9,}X?$", serial):
            item["number"] = serial
        else:
            item["ISBN" if csl_type in ("book", "chapter") else "ISSN"] = serial
    if record.get("note") and csl_type == "report":
        item.setdefault("number", str(record["note"]))
    if record.get("keywords"):
        item["keyword"] = ", ".join(record["keywords"])
    if record.get("notes"):
        item["note"] = "\n".join(record["notes"])
    extra = record.get("extra") or []
    apply_lines(item, [extra] if isinstance(extra, str) else extra)
    return item


class _Writer(RisWriter):
    """rispy's writer puts a "1." line before each record; RIS readers choke on it."""

    def set_header(self, count: int) -> str:
        return ""


def _ris_name(name: dict) -> str:
    if isinstance(name, str):  # malformed extra data: a bare string is a literal name
        name = {"literal": name}
    if name.get("literal"):
        return name["literal"]
    family = " ".join(filter(None, (name.get("non-dropping-particle"), name.get("family"))))
    given = " ".join(filter(None, (name.get("given"), name.get("dropping-particle"))))
    parts = [family, given, name.get("suffix", "")]
    while parts and not parts[-1]:
        parts.pop()
    return ", ".join(parts) if len(parts) > 1 else family


def _native_record(item: dict) -> dict:
    csl_type = item.get("type")
    record: dict = {"type_of_reference": CSL_TO_RIS_TYPE.get(csl_type, "GEN")}
    if item.get("id"):
        record["id"] = item["id"]
    record["title"] = item.get("title", "")
    for tag, role in NAME_TAGS.get(csl_type, NAME_TAGS["*"]).items():
        if item.get(role):
            record[tag] = [_ris_name(n) for n in item[role]]
    if item.get("container-title"):
        record["secondary_title"] = item["container-title"]
    if item.get("container-title-short"):
        record["alternate_title1"] = item["container-title-short"]
    for ris_key, variable in TEXT_FIELDS.items():
        if item.get(variable):
            record[ris_key] = str(item[variable])
    count = SP_COUNTS.get(csl_type)
    if item.get("page"):
        start, _, end = str(item["page"]).replace("–", "-").partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    elif count and item.get(count):
        record["start_page"] = str(item[count])
    issued = (item.get("issued") or {}).get("date-parts")
    if issued:
        parts = issued[0]
        record["year"] = str(parts[0])
        record["date"] = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))
    accessed = (item.get("accessed") or {}).get("date-parts")
    if accessed:
        record["access_date"] = "/".join(
            f"{p:02d}" if i else str(p) for i, p in enumerate(accessed[0])
        )
    if item.get("DOI"):
        record["doi"] = item["DOI"]
    if item.get("URL"):
        record["urls"] = [item["URL"]]
    if item.get("number") and item.get("type") == "report":
        record["issn"] = str(item["number"])
    elif item.get("ISBN") or item.get("ISSN"):
        record["issn"] = item.get("ISBN") or item.get("ISSN")
    if item.get("note"):
        record["notes"] = [item["note"]]
    return record


def csl_to_ris(item: dict) -> dict:
    """The RIS record for `item`; what its tags cannot hold goes into M2 Extra lines."""
    record = _native_record(item)
    read = ris_to_csl(rispy.loads(rispy.dumps([record], implementation=_Writer, **RIS_OPTIONS),
                                  **RIS_OPTIONS)[0])  # fmt: skip
    left = differences(item, read)
    if left:
        record["extra"] = lines_for(left)
    return record


def dump(items: list[dict]) -> str:
    return rispy.dumps([csl_to_ris(item) for item in items], implementation=_Writer, **RIS_OPTIONS)
