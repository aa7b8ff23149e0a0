"""Citation format of every shipped record (no database: the files themselves)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fieldguide.atlas.geography import DATA

FILES = sorted((DATA / "policies").glob("*.csv"))
ROWS = [
    (f"{path.name}:{number}", row)
    for path in FILES
    for number, row in enumerate(csv.DictReader(path.open(encoding="utf-8")), start=2)
]
# Government hosts, and the few official legislature sites that are not under .gov.
OFFICIAL = re.compile(r"(^|\.)([a-z0-9-]+\.)*(gov|us)$|^(www\.)?mainelegislature\.org$")
# Claims about buying sex that need a buying statute in the citation.
BUYING_CLAIM = re.compile(r"buying sex (is|was|remains) (also )?a crime", re.I)
SECTION = re.compile(r"§+|\bsection\b|\bch(apter|\.)|\bc\. \d|ILCS|\bRSA\b|\bNRS\b", re.I)
# Files whose home-page sources are titled as such: every shipped file.
RETITLED = {path.name for path in FILES}


def test_there_are_shipped_records():
    assert FILES and len(ROWS) >= 58


@pytest.mark.parametrize(("where", "row"), ROWS, ids=[w for w, _ in ROWS])
def test_every_record_cites_a_section_and_links_only_to_it(where, row):
    citation = row["citation"].strip()
    assert citation and not citation.startswith("http"), where
    url = row["citation_url"].strip()
    if url:
        parts = urlsplit(url)
        assert parts.scheme == "https" or parts.hostname == "mainelegislature.org", where
        assert OFFICIAL.search(parts.hostname or ""), f"{where}: {parts.hostname} is not official"
        # A legislature's home page is not a link to the section.
        assert parts.path.strip("/") or parts.query or parts.fragment, f"{where}: {url}"
    for n in range(1, 10):
        source = row.get(f"source{n}_url", "")
        if source:
            title = row[f"source{n}_title"]
            home = urlsplit(source).path.strip("/") in {"", "rcw"} and not urlsplit(source).query
            # A home page is never titled as if it were the statute itself.
            if where.split(":")[0] in RETITLED:
                assert not home or "home page" in title, f"{where}: source{n} {title!r}"
        assert not row.get(f"source{n}_checked_on"), f"{where}: a shipped file claims a check"


@pytest.mark.parametrize(("where", "row"), ROWS, ids=[w for w, _ in ROWS])
def test_a_claim_that_buying_is_a_crime_cites_the_buying_statute(where, row):
    """'Full criminalization' records used to cite only the selling statute."""
    if BUYING_CLAIM.search(row["summary"]):
        sections = len(SECTION.findall(row["citation"]))
        assert sections >= 2 or " and " in row["citation"], f"{where}: {row['citation']}"


def test_the_corrected_citations():
    by_place: dict[str, list[dict]] = {}
    for _, row in ROWS:
        if row["topic"] == "selling-sex":
            by_place.setdefault(row["jurisdiction"], []).append(row)
    utah = {r["effective_date"]: r for r in by_place["ut"]}
    assert utah[""]["end_date"] == "2025-05-07" and "76-10-1302" in utah[""]["citation"]
    assert "chapter 5d" in utah["2025-05-07"]["citation"]
    maine = {r["effective_date"]: r for r in by_place["me"]}
    assert maine["2023-10-25"]["citation"].startswith("P.L. 2023, c. 316")
    assert maine[""]["end_date"] == "2023-10-25"
    [baltimore] = by_place["md-baltimore-city-states-attorney"]
    assert (baltimore["effective_date"], baltimore["end_date"]) == ("2020-03-18", "2023-01-03")


def test_the_shipped_folder_is_what_load_atlas_reads():
    assert Path(DATA / "policies" / "selling-sex.csv") in FILES
