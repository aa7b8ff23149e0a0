"""Large import files built from the recorded exports in tests/fixtures/library.

Each copy of the fixtures' records gets its own keys and a numbered title, so a file
of any size holds distinct records as Zotero and EndNote write them.
"""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "library"
BIBTEX_FIXTURES = (
    "zotero_bbt_article.bib",
    "zotero_bbt_inbook.bib",
    "zotero_bbt_inproceedings.bib",
)


def _grow(template: str, size: int, renumber) -> str:
    copies, total, n = [], 0, 0
    while total < size:
        copy = renumber(template, n)
        copies.append(copy)
        total += len(copy.encode())
        n += 1
    return "".join(copies)


def large_bibtex(size: int) -> str:
    """At least `size` bytes of BibTeX: copies of the Zotero (Better BibTeX) exports."""
    template = "\n".join((FIXTURES / name).read_text() for name in BIBTEX_FIXTURES) + "\n"

    def renumber(text: str, n: int) -> str:
        text = re.sub(r"(@\w+\{)([^,]+),", rf"\g<1>\g<2>-{n},", text)
        return re.sub(r"(\btitle = \{)", rf"\g<1>Copy {n}: ", text)

    return _grow(template, size, renumber)


def large_ris(size: int) -> str:
    """At least `size` bytes of RIS: copies of the EndNote export."""
    template = (FIXTURES / "endnote_export.ris").read_text().strip() + "\n\n"

    def renumber(text: str, n: int) -> str:
        return re.sub(r"^(TI  - )", rf"\g<1>Copy {n}: ", text, flags=re.M)

    return _grow(template, size, renumber)
