"""Print seconds to read 0.3, 1 and 3 MB BibTeX and RIS imports, old path and new.

Run: .venv/bin/python bench/imports.py
Files are built from the recorded exports in tests/fixtures/library
(tests/library/samples.py). "old" is the BibTeX reader as it was before issue 9: every
field through pylatexenc, which rebuilt its macro table for each one. "new" is the
reader as it is. RIS's reader did not change; its figure shows where it stands.
The cap column says whether the admin import would refuse the file before parsing
it (LIBRARY_IMPORT_LIMITS). Figures are CPU time (time.process_time): the shared
cores make wall-clock figures swing with other people's load.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldguide.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from pylatexenc.latex2text import LatexNodes2Text  # noqa: E402

from fieldguide.library.formats import bibtex, count_records, parse  # noqa: E402
from tests.library.samples import large_bibtex, large_ris  # noqa: E402

SIZES_MB = (0.3, 1, 3)
_old_latex = LatexNodes2Text()


def old_text(value: str) -> str:
    """formats.bibtex._text before issue 9."""
    return re.sub(r"\s+", " ", _old_latex.latex_to_text(value)).strip()


def seconds(text: str, fmt: str) -> tuple[float, int]:
    start = time.process_time()
    entries = parse(text, fmt)
    return time.process_time() - start, len(entries)


def main() -> None:
    cap = settings.LIBRARY_IMPORT_LIMITS["max_entries"]
    print(f"{'format':8} {'MB':>5} {'entries':>8} {'old s':>8} {'new s':>8}  cap ({cap} entries)")
    for fmt, build in (("bibtex", large_bibtex), ("ris", large_ris)):
        for size in SIZES_MB:
            text = build(int(size * 1024 * 1024))
            new, count = seconds(text, fmt)
            old = "="
            if fmt == "bibtex":
                new_text, bibtex._text = bibtex._text, old_text
                try:
                    old = f"{seconds(text, fmt)[0]:8.2f}"
                finally:
                    bibtex._text = new_text
            refused = "refused before parsing" if count_records(text, fmt) > cap else "parsed"
            print(f"{fmt:8} {size:5} {count:8} {old:>8} {new:8.2f}  {refused}")


if __name__ == "__main__":
    main()
