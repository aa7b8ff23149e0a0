"""Reading and writing the reference formats reference managers exchange.

Every reader returns one `ParsedEntry` per record it found, good or bad, so an import
can report each bad record (its index, key or title, field and reason) and still
import the good ones. Every writer takes CSL-JSON items (`Resource.to_csl()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMATS = {
    "ris": ("RIS", "application/x-research-info-systems", "ris"),
    "bibtex": ("BibTeX", "application/x-bibtex", "bib"),
    "csljson": ("CSL-JSON", "application/vnd.citationstyles.csl+json", "json"),
}
# Where a record starts, to count a file's records before parsing it.
_RECORD_STARTS = {
    "bibtex": re.compile(r"^[ \t]*@(?!(?:comment|string|preamble)\b)\w+[ \t]*[{(]", re.M | re.I),
    "ris": re.compile(r"^TY  -", re.M),
}
EXTENSIONS = {"ris": "ris", "txt": "ris", "bib": "bibtex", "bibtex": "bibtex", "json": "csljson"}


@dataclass
class ParsedEntry:
    """One record of an import file: its CSL item, or why it could not be read."""

    index: int
    label: str
    item: dict | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.item is not None and not self.errors

    def describe(self) -> str:
        return f"entry {self.index} ({self.label})" if self.label else f"entry {self.index}"


def parse(text: str, fmt: str) -> list[ParsedEntry]:
    """Parse a whole file in one of FORMATS; never raises on bad content."""
    from . import bibtex, csljson, ris

    readers = {"ris": ris.parse, "bibtex": bibtex.parse, "csljson": csljson.parse}
    if fmt not in readers:
        raise ValueError(f"Unknown format {fmt!r}: use one of {', '.join(readers)}.")
    return readers[fmt](text)


def count_records(text: str, fmt: str) -> int | None:
    """How many records `text` holds, counted without parsing; None if not countable so."""
    pattern = _RECORD_STARTS.get(fmt)
    return len(pattern.findall(text)) if pattern else None


def dump(items: list[dict], fmt: str) -> str:
    from . import bibtex, csljson, ris

    writers = {"ris": ris.dump, "bibtex": bibtex.dump, "csljson": csljson.dump}
    return writers[fmt](items)


def guess_format(filename: str, text: str) -> str | None:
    """The format a file is in, from its extension, else from its first characters."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in EXTENSIONS and extension != "txt":
        return EXTENSIONS[extension]
    start = text.lstrip("\ufeff \t\r\n")[:20]
    if start.startswith(("[", "{")):
        return "csljson"
    if start.startswith("@") or "\n@" in text[:2000]:
        return "bibtex"
    if start.startswith("TY  -") or "\nTY  -" in text[:2000]:
        return "ris"
    return None


def label_for(item: dict) -> str:
    """A short name for an entry in reports: its key or id, else its title."""
    title = item.get("title")
    key = item.get("id")
    if isinstance(key, str) and key and isinstance(title, str) and title:
        return f"{key}: {title[:80]}"
    if isinstance(title, str) and title:
        return title[:80]
    return str(key or "")
