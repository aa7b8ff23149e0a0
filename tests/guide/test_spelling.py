"""One spelling convention, US English, in the reader templates and the default guide.

A word list of British forms that readers would see in prose. Atlas data files may keep
official names and are not checked; admin templates are not reader prose.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BRITISH = re.compile(
    r"\b(\w*(?:organis|realis|recognis|criminalis|marginalis|prioritis|mobilis|stigmatis"
    r"|minimis|summaris|categoris|apologis|utilis|specialis|authoris|hospitalis|normalis"
    r"|legalis|penalis|politicis|capitalis|civilis|centralis|characteris|visualis)\w*"
    r"|emphasis(?:e|ed|es|ing)|analys(?:e|ed|ing)"
    r"|\w*(?:colour|behaviour|labour|neighbour|favour|honour|humour|harbour|endeavour)\w*"
    r"|programmes?|centres?|defence|offence|licences?|catalogue|travell\w+|counsell\w+"
    r"|judgement|whilst|amongst|enrol|enrols|enrolment)\b",
    re.I,
)


def _reader_files() -> list[Path]:
    files = sorted((ROOT / "content" / "default").rglob("*"))
    for templates in sorted((ROOT / "fieldguide").glob("*/templates")):
        files += [
            p for p in templates.rglob("*.html") if "admin" not in p.relative_to(templates).parts
        ]
    return [p for p in files if p.suffix in {".md", ".yaml", ".html"}]


def test_word_list_finds_british_forms():
    text = "Organisations favour a programme; the licence, behaviour and labour centre."
    assert len(BRITISH.findall(text)) == 7
    assert BRITISH.findall("Organizations favor a program; the license and behavior.") == []


def test_reader_templates_and_default_content_use_us_spelling():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in _reader_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in BRITISH.finditer(line)
    ]
    assert len(_reader_files()) > 60
    assert found == []
