"""The shipped policy coding: every file imports, the documented counts are the real ones,
the codebooks carry the categories coders apply, and a place in a Nevada county is told the
county's rule before the state's."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils.html import escape

from fieldguide.atlas.geography import DATA, states_and_territories
from fieldguide.atlas.models import PolicyRecord, Topic
from fieldguide.atlas.policy_csv import import_policy_csv

DOCS = Path(__file__).resolve().parents[2] / "docs" / "atlas.md"
POLICIES = DATA / "policies"
STATES_AND_DC = {s.abbr.lower() for s in states_and_territories() if not s.is_territory}

# The categories each codebook must offer (issue 12: real law needs these distinctions).
CODEBOOKS = {
    "drug-possession": ["felony", "misdemeanor", "decriminalized", "non-prosecution"],
    "syringe-services": [
        "authorized-statewide",
        "authorized-local-approval",
        "not-prohibited",
        "prohibited",
    ],
    "drug-checking-equipment": [
        "all-equipment-excluded",
        "fentanyl-test-strips-only",
        "no-exemption",
    ],
}


def documented_counts() -> dict[str, int]:
    """The 'states and DC coded' column of the coverage table in docs/atlas.md."""
    rows = re.findall(r"^\| [^|]+\(`([a-z-]+)`\) \| (\d+) \|", DOCS.read_text(), re.MULTILINE)
    return {slug: int(count) for slug, count in rows}


def test_every_shipped_row_imports_and_is_loaded(atlas):
    """Each file re-imports cleanly (the importer checks every row before saving) and
    changes nothing, so what `load_atlas` loaded is exactly what the files say."""
    rows = 0
    for path in sorted(POLICIES.glob("*.csv")):
        result = import_policy_csv(path.read_bytes())
        assert (result.created, result.updated) == (0, 0), path.name
        rows += result.unchanged
    assert rows == PolicyRecord.objects.count()
    # No shipped record claims a check nobody made.
    assert not PolicyRecord.objects.filter(sources__checked_on__isnull=False).exists()
    for record in PolicyRecord.objects.prefetch_related("sources"):
        assert record.citation and record.summary and record.sources.exists(), record

    # The per-topic counts in docs/atlas.md are the shipped ones (one database load for
    # both checks keeps the suite fast).
    documented = documented_counts()
    assert set(documented) == set(Topic.objects.values_list("slug", flat=True))
    for slug, count in documented.items():
        coded = set(
            PolicyRecord.objects.filter(topic__slug=slug).values_list(
                "jurisdiction__slug", flat=True
            )
        )
        assert len(coded & STATES_AND_DC) == count, slug
    assert documented["drug-possession"] >= 10
    assert documented["syringe-services"] >= 20


def test_codebooks_offer_each_category_and_the_map_uses_them(client, atlas):
    for slug, codes in CODEBOOKS.items():
        topic = Topic.objects.get(slug=slug)
        categories = list(topic.categories.all())
        assert [c.code for c in categories] == codes
        assert all(len(c.definition) > 60 for c in categories), slug
        page = client.get(f"/atlas/topics/{slug}/").content.decode()
        for category in categories:
            assert escape(category.label) in page
            assert escape(category.definition) in page
    docs = DOCS.read_text()
    for codes in CODEBOOKS.values():
        for code in codes:
            assert f"| `{code}` |" in docs, code

    # The drug-possession map no longer shows only Oregon in a crime colour.
    html = client.get("/atlas/topics/drug-possession/").content.decode()
    named = dict(re.findall(r'href="/atlas/places/([a-z]{2})/" aria-label="[^:"]+: ([^"]+)"', html))
    assert named["or"] == "Misdemeanour"
    assert named["tx"] == named["fl"] == named["nj"] == "Felony"
    crime = [abbr for abbr, label in named.items() if label in {"Felony", "Misdemeanour"}]
    assert len(crime) >= 10
    # The legend names both crime categories and the map uses both of their fills.
    felony, misdemeanour = (
        Topic.objects.get(slug="drug-possession").categories.filter(code=c).get().style
        for c in ("felony", "misdemeanor")
    )
    assert f'fill="url(#atlas-fill-{felony})"' in html
    assert f'fill="url(#atlas-fill-{misdemeanour})"' in html


def test_las_vegas_reader_is_told_the_county_rule_first(client, atlas):
    nevada = escape(
        PolicyRecord.objects.get(jurisdiction__slug="nv", topic__slug="selling-sex").summary
    )
    for place in ("89101", "Las Vegas NV"):
        html = client.get("/atlas/lookup/", {"place": place, "topic": "selling-sex"}).content
        html = html.decode()
        assert html.index("Brothels are not legal in Clark County") < html.index(nevada), place
    state_page = client.get("/atlas/places/nv/").content.decode()
    section = state_page[state_page.index('id="topic-selling-sex"') :]
    section = section[: section.index("</section>")]
    assert "In Nevada this depends on where you are. 5 local jurisdictions have a rule" in section
    assert (
        section.index("Clark County")
        < section.index("Storey County")
        < section.index("State law in Nevada")
        < section.index(nevada)
    )
    # Shown once: the local rules in force are not repeated under "Local policies".
    assert state_page.count("Brothels are not legal in Clark County") == 1
    # Only a rule in force is put first: Maryland's ended Baltimore policy is not.
    maryland = client.get("/atlas/places/md/").content.decode()
    assert "this depends on where you are" not in maryland
