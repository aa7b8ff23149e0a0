"""BibTeX and BibLaTeX, as Zotero, Mendeley and JabRef export them.

bibtexparser 2 does not raise on a broken entry: it puts it in
`library.failed_blocks`, which are reported here with their line. Names are split
*before* LaTeX is decoded, so a braced organisation such as {World Health
Organization} stays one literal name instead of becoming "Organization, W. H.".

Read: `crossref` (a chapter inherits its book's title, editors, publisher, year),
biblatex's extended names (`family=Berg, prefix=van der, useprefix=true`),
`editortype = {director}` and the other `editor[abc]type` roles, `school` and
`institution`, `date` ranges and `pagetotal`. A value that runs into the next field
(a missing comma) is refused, naming the entry and field. Written: biblatex, with
Zotero-style Extra lines in an `extra` field for what it has no field for.
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
from .extra import apply_lines, date_to_text, differences, lines_for, text_to_date

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
    "audio": "broadcast",
    "music": "song",
    "review": "review",
    "software": "software",
    "standard": "standard",
    "legislation": "legislation",
    "jurisdiction": "legal_case",
    "letter": "personal_communication",
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
    "report": "report",
    "thesis": "thesis",
    "motion_picture": "movie",
    "broadcast": "audio",
    "song": "music",
    "webpage": "online",
    "post-weblog": "online",
    "review": "review",
    "review-book": "review",
    "software": "software",
    "standard": "standard",
    "legislation": "legislation",
    "legal_case": "jurisdiction",
    "personal_communication": "letter",
    "manuscript": "unpublished",
    "dataset": "dataset",
}
#: biblatex's entrysubtype for an @article that is not in a journal.
ARTICLE_SUBTYPES = {"article-newspaper": "newspaper", "article-magazine": "magazine"}
#: biblatex's editor fields, each with its `…type` field naming the role.
EDITOR_FIELDS = ("editor", "editora", "editorb", "editorc")
#: biblatex editor types that are another CSL role (other CSL roles keep their name).
EDITOR_TYPES = {"collaborator": "contributor", "redactor": "editor", "reviser": "editor",
                "founder": "editor", "continuator": "editor"}  # fmt: skip
#: Name fields with a fixed role.
NAME_FIELDS = {"author": "author", "translator": "translator", "bookauthor": "container-author"}
#: biblatex's rule for what a child inherits from its crossref parent: these fields
#: change name (a book's title is a chapter's booktitle); these are never inherited.
CROSSREF_RENAMES = {"title": "booktitle", "subtitle": "booksubtitle", "author": "bookauthor",
                    "titleaddon": "booktitleaddon", "shorttitle": None}  # fmt: skip
CROSSREF_SKIPPED = {"ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label",
                    "options", "presort", "related", "sortkey", "doi", "url", "urldate",
                    "abstract", "keywords", "file", "note", "extra", "pages"}  # fmt: skip
#: Zotero's thesis types by BibTeX entry type.
THESIS_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
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
    "pagetotal": "number-of-pages",
    "version": "version",
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
        extended = _extended_name(raw)
        if extended is not None:
            names.append(extended)
            continue
        parts = parse_single_name_into_parts(raw, strict=False)
        name = {"family": _text(" ".join(parts.last))}
        if parts.first:
            name["given"] = _text(" ".join(parts.first))
        if parts.von:
            name["non-dropping-particle"] = _text(" ".join(parts.von))
        if parts.jr:
            name["suffix"] = _text(" ".join(parts.jr))
        names.append(name)
    return names


_EXTENDED_KEY = re.compile(r"^\s*(family|given|prefix|suffix|useprefix)\s*=\s*(.*)$", re.S | re.I)


def _extended_name(raw: str) -> dict | None:
    """A CSL name from biblatex's extended format (family=…, given=…, prefix=…), or None."""
    parts = _split_top(raw, ",")
    matches = [_EXTENDED_KEY.match(part) for part in parts]
    if not parts or not all(matches):
        return None
    values = {m.group(1).lower(): _text(m.group(2)) for m in matches}
    if not values.get("family"):
        return None
    name = {"family": values["family"]}
    if values.get("given"):
        name["given"] = values["given"]
    if values.get("prefix"):
        kept = values.get("useprefix", "").strip().lower() in ("true", "")
        kept = kept if "useprefix" in values else True
        name["non-dropping-particle" if kept else "dropping-particle"] = values["prefix"]
    if values.get("suffix"):
        name["suffix"] = values["suffix"]
    return name


def _split_top(text: str, separator: str) -> list[str]:
    """`text` split at `separator` where no brace is open."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _date(fields: dict) -> dict | None:
    if fields.get("date"):
        whole = text_to_date(fields["date"])
        if whole:
            return whole
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


def _fields(entry) -> dict[str, str]:
    return {f.key.lower(): f.value for f in entry.fields}


def bib_to_csl(entry, fields: dict[str, str] | None = None) -> dict:
    """The CSL item for a parsed entry (`fields`: its fields with crossref resolved)."""
    fields = _fields(entry) if fields is None else fields
    entry_type = entry.entry_type.lower()
    csl_type = BIB_TO_CSL_TYPE.get(entry_type, "document")
    if csl_type == "document" and fields.get("url"):
        csl_type = "webpage"
    subtype = fields.get("entrysubtype", "").strip().lower()
    if csl_type == "article-journal" and subtype in ("newspaper", "magazine"):
        csl_type = f"article-{subtype}"
    item: dict = {"id": entry.key, "type": csl_type}
    for field, variable in TEXT_FIELDS.items():
        if fields.get(field) and variable not in item:
            item[variable] = _text(fields[field])
    for field, role in NAME_FIELDS.items():
        if fields.get(field):
            item[role] = _names(fields[field])
    for field in EDITOR_FIELDS:
        if fields.get(field):
            kind = _text(fields.get(f"{field}type", "")).lower() or "editor"
            role = EDITOR_TYPES.get(kind, kind if kind in NAME_VARIABLES else "editor")
            item.setdefault(role, []).extend(_names(fields[field]))
    container = fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle")
    if container:
        item["container-title"] = _text(container)
    institution = fields.get("institution") or fields.get("school")
    if csl_type in ("report", "thesis") and institution:
        item.setdefault("publisher", _text(institution))
    if csl_type in ("report", "thesis"):
        if fields.get("number"):
            item["number"] = _text(fields["number"])
            item.pop("issue", None)
        genre = _text(fields["type"]) if fields.get("type") else THESIS_GENRES.get(entry_type)
        if genre:
            item["genre"] = genre
    elif csl_type in ("broadcast", "motion_picture", "song") and fields.get("number"):
        item["number"] = _text(fields["number"])
        item.pop("issue", None)
    if fields.get("pages"):
        item["page"] = re.sub(r"\s*(?:-{1,2}|–)\s*", "-", _text(fields["pages"]))
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
    if fields.get("extra"):
        apply_lines(item, _unescape(fields["extra"]).splitlines())
    return item


def _with_crossref(fields: dict[str, str], parents: dict[str, dict[str, str]]) -> dict:
    """`fields` with what biblatex would inherit from the entry its `crossref` names."""
    parent = parents.get(fields.get("crossref", "").strip().lower())
    if parent is None:
        return fields
    merged = dict(fields)
    for name, value in parent.items():
        if name in CROSSREF_SKIPPED:
            continue
        target = CROSSREF_RENAMES.get(name, name)
        if target and target not in merged:
            merged[target] = value
    return merged


#: A field name and "=" right after a value's closing brace or quote (or after a bare
#: number or macro): the value ran into the next field because a comma is missing.
_NEXT_FIELD = re.compile(r"^\s*([A-Za-z][\w-]*)\s*=")
_BARE_THEN_FIELD = re.compile(r"^[\w.:-]+\s+([A-Za-z][\w-]*)\s*=")


def run_together(value: str) -> str | None:
    """The name of the field `value` runs into, if a comma is missing after it.

    bibtexparser removes a value's enclosing braces or quotes only when they enclose
    all of it; a value that still starts with one, closed before its end and followed
    by `name =`, is two fields run together.
    """
    if value[:1] not in ("{", '"'):
        match = _BARE_THEN_FIELD.match(value)
        return match.group(1) if match else None
    depth = 0
    for position, char in enumerate(value):
        if value[0] == '"':
            closed = position > 0 and char == '"'
        else:
            depth += {"{": 1, "}": -1}.get(char, 0)
            closed = depth == 0
        if closed:
            match = _NEXT_FIELD.match(value[position + 1 :])
            return match.group(1) if match else None
    return None


def parse(text: str) -> list[ParsedEntry]:
    library = bibtexparser.parse_string(text.lstrip("\ufeff"))
    parents = {entry.key.lower(): _fields(entry) for entry in library.entries}
    found = []
    for entry in library.entries:
        fields = _fields(entry)
        broken = [
            f"{f.key}: runs into the field {nxt!r} (line {f.start_line + 1}): a comma is "
            f"missing after this field's value in entry {entry.key}"
            for f in entry.fields
            if (nxt := run_together(f.value))
        ]
        crossref = fields.get("crossref", "").strip()
        if crossref and crossref.lower() not in parents:
            broken.append(f"crossref: no entry with key {crossref!r} in this file")
        item = bib_to_csl(entry, _with_crossref(fields, parents))
        errors = broken + validate_item(item)
        label = f"line {entry.start_line + 1}: {label_for(item)}"
        if broken:
            label = f"line {entry.start_line + 1}: {entry.key}"
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


def _unescape(value: str) -> str:
    for char, escaped in _SPECIAL.items():
        value = value.replace(escaped, char)
    return value


def _bib_name(name: dict) -> str:
    if isinstance(name, str):  # malformed extra data: a bare string is a literal name
        name = {"literal": name}
    if name.get("literal"):
        return "{" + _escape(name["literal"]) + "}"
    if name.get("dropping-particle") or name.get("non-dropping-particle") or name.get("suffix"):
        # biblatex's extended name format says exactly which part is which.
        parts = [("family", name.get("family", "")), ("given", name.get("given", ""))]
        prefix = name.get("non-dropping-particle") or name.get("dropping-particle")
        if prefix:
            parts.append(("prefix", prefix))
            kept = "true" if name.get("non-dropping-particle") else "false"
            parts.append(("useprefix", kept))
        parts.append(("suffix", name.get("suffix", "")))
        return ", ".join(
            f"{key}={value}" if key == "useprefix" else f"{key}={{{_escape(value)}}}"
            for key, value in parts
            if value
        )
    family = _escape(name.get("family", ""))
    if " " in family or family[:1].islower():
        family = "{" + family + "}"
    parts = [family]
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


def _native_fields(item: dict) -> tuple[str, list[tuple[str, str]]]:
    csl_type = item.get("type")
    bib_type = CSL_TO_BIB_TYPE.get(csl_type, "online" if item.get("URL") else "misc")
    fields: list[tuple[str, str]] = []
    names = lambda role: " and ".join(_bib_name(n) for n in item[role])  # noqa: E731
    for field, role in NAME_FIELDS.items():
        if item.get(role):
            fields.append((field, names(role)))
    # editor, then director, then any other role biblatex has no field for, as
    # editor/editora/editorb/editorc with an editortype naming the CSL role.
    others = [r for r in NAME_VARIABLES if r not in NAME_FIELDS.values() and item.get(r)]
    others.sort(key=lambda r: (r != "editor", r != "director"))
    for field, role in zip(EDITOR_FIELDS, others, strict=False):
        fields.append((field, names(role)))
        if role != "editor":
            fields.append((f"{field}type", role))
    if csl_type in ARTICLE_SUBTYPES:
        fields.append(("entrysubtype", ARTICLE_SUBTYPES[csl_type]))
    # Title: double braces keep the capitalisation as entered.
    fields.append(("title", "{" + _escape(item.get("title", "")) + "}"))
    container = item.get("container-title")
    if container and bib_type in ("incollection", "inproceedings"):
        fields.append(("booktitle", _escape(container)))
    elif container and bib_type in ("article", "review"):
        fields.append(("journal", _escape(container)))
    dated = date_to_text(item.get("issued"))
    if dated:
        fields.append(("date", dated))
        fields.append(("year", dated[:4]))
    simple = {
        "volume": "volume",
        "edition": "edition",
        "publisher-place": "location",
        "collection-title": "series",
        "ISBN": "isbn",
        "ISSN": "issn",
        "language": "language",
        "container-title-short": "shortjournal",
        "note": "note",
        "abstract": "abstract",
        "number-of-pages": "pagetotal",
        "version": "version",
    }
    if item.get("publisher"):
        field = "institution" if bib_type in ("report", "thesis") else "publisher"
        fields.append((field, _escape(item["publisher"])))
    if item.get("issue"):
        fields.append(("number", _escape(item["issue"])))
    elif item.get("number"):
        fields.append(("number", _escape(item["number"])))
    if item.get("genre") and bib_type in ("report", "thesis"):
        fields.append(("type", _escape(item["genre"])))
    for variable, field in simple.items():
        if item.get(variable):
            fields.append((field, _escape(item[variable])))
    if item.get("page"):
        fields.append(("pages", _escape(re.sub(r"\s*[-–]+\s*", "--", str(item["page"])))))
    if item.get("DOI"):
        fields.append(("doi", item["DOI"].replace("}", "").replace("{", "")))
    if item.get("URL"):
        fields.append(("url", item["URL"].replace("}", "%7D").replace("{", "%7B")))
    accessed = ((item.get("accessed") or {}).get("date-parts") or [[]])[0]
    if len(accessed) == 3:
        fields.append(("urldate", "{:04d}-{:02d}-{:02d}".format(*accessed)))
    if item.get("keyword"):
        fields.append(("keywords", _escape(item["keyword"])))
    return bib_type, fields


def _entry(bib_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{bib_type}{{{key},\n{body}\n}}\n"


def csl_to_bib(item: dict, key: str) -> str:
    """The biblatex entry for `item`; what its fields cannot hold goes into `extra`."""
    bib_type, fields = _native_fields(item)
    read = parse(_entry(bib_type, key, fields))[0].item or {}
    left = differences({**item, "id": key}, {**read, "id": key})
    if left:
        fields.append(("extra", _escape("\n".join(lines_for(left)))))
    return _entry(bib_type, key, fields)


def dump(items: list[dict]) -> str:
    used: set[str] = set()
    return "\n".join(csl_to_bib(item, _key(item, used)) for item in items)
