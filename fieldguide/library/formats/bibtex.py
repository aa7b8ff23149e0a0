"""BibTeX and BibLaTeX, as Zotero, Mendeley and JabRef export them.

bibtexparser 2 does not raise on a broken entry: it puts it in
`library.failed_blocks`, which are reported here with their line. Names are split
*before* LaTeX is decoded, so a braced organisation such as {World Health
Organization} stays one literal name instead of becoming "Organization, W. H.".
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import get_default_latex_context_db

from ..csl import NAME_VARIABLES
from ..models import normalise_doi
from . import ParsedEntry, label_for
from .csljson import validate_item

BIB_TO_CSL_TYPE = {
    "article": "article-journal",
    "book": "book",
    "booklet": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "video": "motion_picture",
    "movie": "motion_picture",
    "dataset": "dataset",
    "manual": "report",
    "unpublished": "manuscript",
    "misc": "document",
}
CSL_TO_BIB_TYPE = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
    "dataset": "misc",
}
#: BibTeX field -> CSL variable, for plain text fields.
TEXT_FIELDS = {
    "title": "title",
    "volume": "volume",
    "number": "issue",
    "edition": "edition",
    "publisher": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "series": "collection-title",
    "isbn": "ISBN",
    "issn": "ISSN",
    "language": "language",
    "abstract": "abstract",
    "note": "note",
    "shortjournal": "container-title-short",
}
MONTHS = {
    name: n
    for n, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_latex = LatexNodes2Text()
# pylatexenc builds its table of known macros afresh for every string it parses unless
# given one: building it was a third of the time of a large import. It is only read.
_LATEX_CONTEXT = get_default_latex_context_db()
# Text with none of these has nothing for LaTeX to change but its braces and white
# space. The pairs are ligatures pylatexenc turns into dashes and quotes.
_LATEX_MARKUP = re.compile(r"[\\$%&~^_#]|--|``|''|!`|\?`")


def _text(value: str) -> str:
    """LaTeX to plain text ("{\\'e}" -> "é", braces dropped), whitespace collapsed.

    Most values are plain text, or plain text with balanced braces protecting
    capitals ("{HIV} testing"); those skip the LaTeX parser, whose result for them is
    the same text without its braces.
    """
    braces = "{" in value or "}" in value
    if _LATEX_MARKUP.search(value) or (braces and not _balanced(value)):
        value = _latex.latex_to_text(value, latex_context=_LATEX_CONTEXT)
    elif braces:
        value = value.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", value).strip()


def _names(value: str) -> list[dict]:
    names = []
    for raw in split_multiple_persons_names(value):
        raw = raw.strip()
        if raw.startswith("{") and raw.endswith("}") and _balanced(raw[1:-1]):
            names.append({"literal": _text(raw[1:-1])})
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        family = " ".join(parts.von + parts.last)
        given = " ".join(parts.first)
        name = {"family": _text(family)}
        if given:
            name["given"] = _text(given)
        if parts.jr:
            name["suffix"] = _text(" ".join(parts.jr))
        names.append(name)
    return names


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _date(fields: dict) -> dict | None:
    if fields.get("date"):
        match = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", fields["date"])
        if match:
            return {"date-parts": [[int(g) for g in match.groups() if g]]}
    year = re.match(r"^\d{4}$", fields.get("year", "").strip())
    if not year:
        return None
    parts = [int(year.group())]
    month = fields.get("month", "").strip().lower()[:3]
    if month in MONTHS:
        parts.append(MONTHS[month])
    elif month.isdigit() and 1 <= int(month) <= 12:
        parts.append(int(month))
    return {"date-parts": [parts]}


def bib_to_csl(entry) -> dict:
    fields = {f.key.lower(): f.value for f in entry.fields}
    entry_type = entry.entry_type.lower()
    csl_type = BIB_TO_CSL_TYPE.get(entry_type, "document")
    if csl_type == "document" and fields.get("url"):
        csl_type = "webpage"
    item: dict = {"id": entry.key, "type": csl_type}
    for field, variable in TEXT_FIELDS.items():
        if fields.get(field) and variable not in item:
            item[variable] = _text(fields[field])
    for role, field in (("author", "author"), ("editor", "editor")):
        if fields.get(field):
            item[role] = _names(fields[field])
    container = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
    if container:
        item["container-title"] = _text(container)
    if entry_type in ("techreport", "report") and fields.get("institution"):
        item.setdefault("publisher", _text(fields["institution"]))
    if entry_type in ("techreport", "report", "thesis", "phdthesis", "mastersthesis"):
        if fields.get("number"):
            item["number"] = _text(fields["number"])
            item.pop("issue", None)
        if fields.get("type"):
            item["genre"] = _text(fields["type"])
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*-{1,2}\s*", "-", _text(fields["pages"]))
    issued = _date(fields)
    if issued:
        item["issued"] = issued
    if fields.get("urldate"):
        accessed = _date({"date": fields["urldate"]})
        if accessed:
            item["accessed"] = accessed
    if fields.get("doi"):
        item["DOI"] = normalise_doi(fields["doi"])
    if fields.get("url"):
        item["URL"] = fields["url"].strip()
    if fields.get("keywords"):
        item["keyword"] = _text(fields["keywords"])
    return item


def parse(text: str) -> list[ParsedEntry]:
    library = bibtexparser.parse_string(text.lstrip("\ufeff"))
    found = []
    for entry in library.entries:
        item = bib_to_csl(entry)
        errors = validate_item(item)
        label = f"line {entry.start_line + 1}: {label_for(item)}"
        found.append((entry.start_line, ParsedEntry(0, label, None if errors else item, errors)))
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        key = getattr(block.ignore_error_block, "key", None) if block.ignore_error_block else None
        raw_start = (block.raw or "").strip().splitlines()[0][:80] if block.raw else ""
        reason = str(block.error) or type(block.error).__name__
        found.append(
            (
                block.start_line or 0,
                ParsedEntry(
                    0,
                    f"line {line}: {key or raw_start}",
                    errors=[f"entry: could not be parsed ({reason})"],
                ),
            )
        )
    found.sort(key=lambda pair: pair[0])
    entries = []
    for index, (_, entry) in enumerate(found, 1):
        entry.index = index
        entries.append(entry)
    if not entries:
        entries.append(
            ParsedEntry(0, "", errors=["file: no BibTeX entries (an entry starts with @type{key,)"])
        )
    return entries


# Writing ------------------------------------------------------------------------

_SPECIAL = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}"}


def _escape(value: str) -> str:
    return "".join(_SPECIAL.get(char, char) for char in str(value))


def _bib_name(name: dict) -> str:
    if name.get("literal"):
        return "{" + _escape(name["literal"]) + "}"
    family = _escape(name.get("family", ""))
    if " " in family:
        family = "{" + family + "}"
    parts = [family]
    if name.get("suffix"):
        parts.append(_escape(name["suffix"]))
    if name.get("given"):
        parts.append(_escape(name["given"]))
    return ", ".join(parts)


def _key(item: dict, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_:-]+", "", str(item.get("id") or "ref")) or "ref"
    key, n = base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return key


def csl_to_bib(item: dict, key: str) -> str:
    csl_type = item.get("type")
    bib_type = CSL_TO_BIB_TYPE.get(csl_type, "online" if item.get("URL") else "misc")
    fields: list[tuple[str, str]] = []
    for role in NAME_VARIABLES[:2]:
        if item.get(role):
            fields.append((role, " and ".join(_bib_name(n) for n in item[role])))
    # Title: double braces keep the capitalisation as entered.
    fields.append(("title", "{" + _escape(item.get("title", "")) + "}"))
    container = item.get("container-title")
    if container:
        fields.append(
            (
                "booktitle" if bib_type in ("incollection", "inproceedings") else "journal",
                _escape(container),
            )
        )
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0]
    if parts:
        fields.append(("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(("month", list(MONTHS)[parts[1] - 1]))
    simple = {
        "volume": "volume",
        "edition": "edition",
        "publisher-place": "address",
        "collection-title": "series",
        "ISBN": "isbn",
        "ISSN": "issn",
        "language": "language",
        "container-title-short": "shortjournal",
        "note": "note",
    }
    if item.get("publisher"):
        fields.append(
            ("institution" if bib_type == "techreport" else "publisher", _escape(item["publisher"]))
        )
    if item.get("issue"):
        fields.append(("number", _escape(item["issue"])))
    elif item.get("number"):
        fields.append(("number", _escape(item["number"])))
    if item.get("genre") and bib_type == "techreport":
        fields.append(("type", _escape(item["genre"])))
    for variable, field in simple.items():
        if item.get(variable):
            fields.append((field, _escape(item[variable])))
    if item.get("page"):
        fields.append(
            (
                "pages",
                _escape(
                    str(item["page"]).replace("–", "--").replace("-", "--").replace("----", "--")
                ),
            )
        )
    if item.get("DOI"):
        fields.append(("doi", item["DOI"].replace("}", "").replace("{", "")))
    if item.get("URL"):
        fields.append(("url", item["URL"].replace("}", "%7D").replace("{", "%7B")))
    accessed = ((item.get("accessed") or {}).get("date-parts") or [[]])[0]
    if len(accessed) == 3:
        fields.append(("urldate", "{:04d}-{:02d}-{:02d}".format(*accessed)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{bib_type}{{{key},\n{body}\n}}\n"


def dump(items: list[dict]) -> str:
    used: set[str] = set()
    return "\n".join(csl_to_bib(item, _key(item, used)) for item in items)
