"""The "Extra" lines that carry what RIS and BibTeX have no field for.

Zotero keeps CSL variables its item types lack in an item's Extra field, one
`variable: value` line each (names as `role: Family || Given`), and writes that field
to RIS as `M2`. Fieldguide's RIS and BibTeX writers put there whatever the format
cannot hold exactly (a date range, a podcast's host, a film's running time in BibTeX,
the exact CSL type when the format's type is shared), and the readers apply those lines
over what they read from the format's own fields, so an export reads back unchanged.
Lines that are not `csl-variable: value` are kept as a note.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..csl import NAME_VARIABLES

#: CSL 1.0.2 variables (other than names) an Extra line may set.
CSL_VARIABLES = frozenset(
    [
        "abstract",
        "annote",
        "archive",
        "archive_collection",
        "archive_location",
        "archive-place",
        "authority",
        "call-number",
        "chapter-number",
        "citation-key",
        "citation-label",
        "collection-number",
        "collection-title",
        "container-title",
        "container-title-short",
        "dimensions",
        "division",
        "DOI",
        "edition",
        "event",
        "event-place",
        "event-title",
        "first-reference-note-number",
        "genre",
        "ISBN",
        "ISSN",
        "issue",
        "jurisdiction",
        "keyword",
        "language",
        "license",
        "locator",
        "medium",
        "note",
        "number",
        "number-of-pages",
        "number-of-volumes",
        "original-publisher",
        "original-publisher-place",
        "original-title",
        "page",
        "page-first",
        "part-number",
        "part-title",
        "PMCID",
        "PMID",
        "printing-number",
        "publisher",
        "publisher-place",
        "references",
        "reviewed-genre",
        "reviewed-title",
        "scale",
        "section",
        "source",
        "status",
        "supplement-number",
        "title",
        "title-short",
        "translated-title",
        "URL",
        "version",
        "volume",
        "volume-title",
        "year-suffix",
        "accessed",
        "available-date",
        "event-date",
        "issued",
        "original-date",
        "submitted",
        "type",
        "custom",
    ]
)
DATE_VARIABLES = frozenset(
    ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")
)
_LINE = re.compile(r"^([A-Za-z][A-Za-z_-]*):\s?(.*)$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def iso_date(parts: list[int]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def date_to_text(value: Any) -> str | None:
    """A CSL date as ISO 8601 ("2021-03-05", a range "2014-12-31/2015-01-01"), if it is
    plain numbers only."""
    if not isinstance(value, dict) or set(value) != {"date-parts"}:
        return None
    parts = value["date-parts"]
    if not (isinstance(parts, list) and 1 <= len(parts) <= 2):
        return None
    if not all(isinstance(p, list) and 1 <= len(p) <= 3 for p in parts):
        return None
    if not all(type(n) is int and n > 0 for p in parts for n in p):
        return None
    if any(len(p) > 1 and p[1] > 12 for p in parts):  # seasons (21-24) are not ISO
        return None
    return "/".join(iso_date(p) for p in parts)


def text_to_date(text: str) -> dict | None:
    halves = text.strip().split("/")
    if not 1 <= len(halves) <= 2:
        return None
    parts = []
    for half in halves:
        match = _ISO.match(half.strip())
        if not match:
            return None
        parts.append([int(g) for g in match.groups() if g])
    return {"date-parts": parts}


def _name_text(name: dict) -> str | None:
    if set(name) == {"literal"}:
        return name["literal"]
    if set(name) <= {"family", "given"} and "family" in name:
        return f"{name['family']} || {name['given']}" if name.get("given") else name["family"]
    return None


def lines_for(values: dict) -> list[str]:
    """Extra lines for CSL `values` (each kept exactly; JSON where text would not be)."""
    lines = []
    for variable, value in values.items():
        if variable in NAME_VARIABLES and isinstance(value, list):
            texts = [_name_text(n) if isinstance(n, dict) else None for n in value]
            if all(t is not None and "\n" not in t for t in texts):
                lines.extend(f"{variable}: {t}" for t in texts)
                continue
        elif variable in DATE_VARIABLES and date_to_text(value):
            lines.append(f"{variable}: {date_to_text(value)}")
            continue
        elif (
            isinstance(value, str)
            and value
            and "\n" not in value
            and value == value.strip()
            and not value.startswith(("{", "[", '"'))
        ):
            lines.append(f"{variable}: {value}")
            continue
        lines.append(f"{variable}: {json.dumps(value, ensure_ascii=False)}")
    return lines


def apply_lines(item: dict, lines: list[str]) -> None:
    """Set the CSL variables named in Extra `lines` on `item`; other lines become a note."""
    names: dict[str, list[dict]] = {}
    other = []
    for line in lines:
        match = _LINE.match(line.strip())
        variable, text = (match.group(1), match.group(2).strip()) if match else ("", "")
        if variable in NAME_VARIABLES:
            if text.startswith("["):
                try:
                    names[variable] = json.loads(text)
                    continue
                except ValueError:
                    pass
            family, sep, given = text.partition(" || ")
            name = {"family": family.strip(), "given": given.strip()} if sep else {"literal": text}
            names.setdefault(variable, []).append(name)
        elif variable in CSL_VARIABLES:
            value: Any = text
            if text.startswith(("{", "[", '"')):
                try:
                    value = json.loads(text)
                except ValueError:
                    value = text
            elif variable in DATE_VARIABLES:
                value = text_to_date(text) or {"raw": text}
            item[variable] = value
        elif line.strip():
            other.append(line.strip())
    item.update(names)
    if other:
        item["note"] = "\n".join(filter(None, [item.get("note", ""), *other]))


def differences(wanted: dict, read: dict) -> dict:
    """The variables of `wanted` that `read` lacks or holds differently."""
    return {k: v for k, v in wanted.items() if read.get(k) != v}
