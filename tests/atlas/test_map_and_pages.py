from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from fieldguide.atlas import status
from fieldguide.atlas.geography import states_and_territories
from fieldguide.atlas.models import Category, Jurisdiction, PolicyRecord, Topic


@pytest.fixture
def selling_page(client, atlas):
    response = client.get("/atlas/topics/selling-sex/")
    assert response.status_code == 200
    return response.content.decode()


def test_map_has_every_state_dc_and_territory_as_a_named_link(selling_page):
    start = selling_page.index("<svg viewBox")
    svg = selling_page[start : selling_page.index("</svg>", start)]
    links = re.findall(
        r'<a href="/atlas/places/([a-z]{2})/" aria-label="([^"]+)" class="atlas-state">'
        r"<title>([^<]+)</title>",
        svg,
    )
    tiles = selling_page[selling_page.index('<ul class="atlas-tiles"') :]
    tiles = tiles[: tiles.index("</ul>")]
    links += re.findall(
        r'<a href="/atlas/places/([a-z]{2})/" aria-label="([^"]+)" class="atlas-tile" '
        r'title="([^"]+)">',
        tiles,
    )
    assert len(links) == 56
    assert {slug for slug, _, _ in links} == {s.abbr.lower() for s in states_and_territories()}
    named = {slug: label for slug, label, _ in links}
    assert all(label == title for _, label, title in links)
    assert named["nv"] == "Nevada: Legal and regulated in part"
    assert named["me"] == "Maine: Partial criminalization (End Demand)"
    assert named["tx"] == "Texas: Full criminalization"
    assert named["pr"] == "Puerto Rico: Not yet coded"
    # 50 states drawn from outlines; DC and the 5 territories as labelled tiles (links
    # big enough to tap whatever the map's scale; DC's outline is a few pixels wide).
    assert len(re.findall(r'<path d="M[^"]+" fill="url\(#atlas-fill-\d\)"', svg)) == 50
    assert re.findall(r'class="atlas-tile__label" aria-hidden="true">([A-Z]{2})<', tiles) == [
        "AS",
        "DC",
        "GU",
        "MP",
        "PR",
        "VI",
    ]
    assert 'role="group" aria-labelledby="atlas-map-title"' in svg


def test_map_uses_patterns_and_the_legend_names_every_category(selling_page):
    legend = selling_page[selling_page.index('<ul class="atlas-legend"') :]
    legend = legend[: legend.index("</ul>")]
    labels = re.findall(r'<span class="atlas-legend__label">([^<]+)</span>', legend)
    assert labels == [
        "Full criminalization",
        "Partial criminalization (End Demand)",
        "Legal and regulated in part",
        "Decriminalized",
        "Non-prosecution policy",
        "Not yet coded",
    ]
    for style in range(0, 6):
        assert f'<pattern id="atlas-fill-{style}"' in selling_page
    assert 'fill="url(#atlas-fill-3)"' in selling_page  # Nevada


def test_reader_pages_have_no_inline_styles_or_scripts(client, atlas, selling_page):
    pages = [selling_page] + [
        client.get(url).content.decode()
        for url in ("/atlas/", "/atlas/places/md/", "/atlas/lookup/?place=21201", "/atlas/bills/")
    ]
    for page in pages:
        html = page[page.index("<main") : page.index("</main>")]  # the atlas's own markup
        assert " style=" not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        for link in re.findall(r'<a href="https?://[^"]+"[^>]*>', html):
            assert 'rel="noopener noreferrer"' in link, link


def test_table_repeats_the_map_with_citations(selling_page):
    table = selling_page[selling_page.index('<table class="atlas-table">') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 56
    assert "Maryland Code, Criminal Law § 11-306" in table
    assert "NRS 244.345" in table
    assert 'href="https://www.leg.state.nv.us/"' in table


def test_timeline_lists_dated_changes_newest_first(client, atlas):
    html = client.get("/atlas/topics/drug-possession/").content.decode()
    timeline = html[
        html.index('<ol class="atlas-timeline"') : html.index(
            "</ol>", html.index('<ol class="atlas-timeline"')
        )
    ]
    dates = re.findall(r'<time datetime="([\d-]+)">', timeline)
    assert dates == sorted(dates, reverse=True)
    # Oregon's changes and the end of Baltimore's policy, among every state's dated changes.
    oregon_and_baltimore = ["2024-09-01", "2023-01-03", "2021-02-01", "2017-08-01"]
    assert [d for d in dates if d in oregon_and_baltimore] == oregon_and_baltimore
    assert "Misdemeanour took effect (HB 4002 (2024 regular session))" in timeline
    assert "Non-prosecution policy ended" in timeline


def test_history_shows_each_change_in_order(atlas):
    oregon = Jurisdiction.objects.get(slug="or")
    topic = Topic.objects.get(slug="drug-possession")
    [now] = status.statuses(topic, [oregon])
    assert [r.category.code for r in now.history] == [
        "felony",
        "misdemeanor",
        "decriminalized",
        "misdemeanor",
    ]
    assert now.current.citation == "HB 4002 (2024 regular session)"
    [in_2022] = status.statuses(topic, [oregon], on=dt.date(2022, 6, 1))
    assert in_2022.current.category.code == "decriminalized"
    [in_2020] = status.statuses(topic, [oregon], on=dt.date(2020, 6, 1))
    assert in_2020.current.category.code == "misdemeanor"
    assert in_2020.current.span_display() == "August 2017 to February 1, 2021"
    [in_2016] = status.statuses(topic, [oregon], on=dt.date(2016, 6, 1))
    assert in_2016.current.category.code == "felony"
    assert in_2016.current.span_display() == "until August 2017"


def test_jurisdiction_page_shows_status_history_local_policies_and_sources(client, atlas):
    html = client.get("/atlas/places/md/").content.decode()
    assert "Maryland Code, Criminal Law § 11-306" in html
    assert "Baltimore City State&#x27;s Attorney" in html
    assert (
        "The last coded policy here (non-prosecution policy) ended January 3, 2023. "
        "State law applies." in html
    )
    assert "March 18, 2020 to January 3, 2023" in html
    assert 'href="https://www.wmar2news.com/news/local-news/baltimore-states-attorney' in html
    oregon = client.get("/atlas/places/or/").content.decode()
    assert "History (4 records)" in oregon
    assert (
        oregon.index("until August 2017")
        < oregon.index("August 2017 to February 1, 2021")
        < oregon.index("February 1, 2021 to September 1, 2024")
    )


def test_uncoded_state_says_so_and_never_guesses(client, atlas):
    html = client.get("/atlas/places/gu/").content.decode()
    assert html.count("Not yet coded") == Topic.objects.count()
    assert "This is not a finding about its law." in html
    assert "Full criminalization" not in html


def test_unknown_pages_are_404(client, atlas):
    assert client.get("/atlas/places/atlantis/").status_code == 404
    assert client.get("/atlas/topics/atlantis/").status_code == 404
    assert client.get("/atlas/bills/117/xx/1/").status_code == 404
    assert client.get("/atlas/bills/99999999999/s/1/").status_code == 404
    assert client.get("/atlas/bills/117/s/99999999999999/").status_code == 404


def test_record_validation_rejects_overlap_and_foreign_category(atlas):
    vermont = Jurisdiction.objects.get(slug="vt")
    topic = Topic.objects.get(slug="selling-sex")
    record = PolicyRecord(
        jurisdiction=vermont,
        topic=topic,
        category=topic.categories.get(code="decriminalized"),
        effective_date=dt.date(2030, 1, 1),
        citation="Hypothetical",
        summary="Test",
        coded_by="Tester",
        coded_on=dt.date(2026, 11, 25),
    )
    with pytest.raises(ValidationError, match="Overlaps the existing record"):
        record.full_clean()
    record.category = Category.objects.get(topic__slug="drug-possession", code="felony")
    with pytest.raises(ValidationError, match="is not in the codebook of 'Selling sex'"):
        record.full_clean()


def test_export_is_downloadable_csv(client, atlas):
    response = client.get("/atlas/policies.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode().startswith("jurisdiction,topic,category,effective_date,")
    assert response.content.decode().count("\n") == PolicyRecord.objects.count() + 1


def test_legend_counts_every_category_and_the_uncoded(selling_page):
    legend = selling_page[selling_page.index('<ul class="atlas-legend"') :]
    legend = legend[: legend.index("</ul>")]
    counts = dict(
        re.findall(
            r'<span class="atlas-legend__label">([^<]+)</span> '
            r'<span class="atlas-legend__count">(\d+)</span>',
            legend,
        )
    )
    assert counts == {
        "Full criminalization": "49",  # 48 states and DC
        "Partial criminalization (End Demand)": "1",  # Maine
        "Legal and regulated in part": "1",  # Nevada
        "Decriminalized": "0",
        "Non-prosecution policy": "0",
        "Not yet coded": "5",  # the territories
    }
    assert sum(int(n) for n in counts.values()) == 56


def test_a_topic_with_nothing_coded_says_so_instead_of_a_map(client, atlas):
    topic = Topic.objects.create(slug="empty-topic", name="Empty topic", question="Is it?")
    Category.objects.create(topic=topic, code="yes", label="Yes", definition="It is.")
    html = client.get("/atlas/topics/empty-topic/").content.decode()
    assert "No jurisdiction has been coded for this topic yet, so there is no map" in html
    assert "<svg viewBox" not in html and 'class="atlas-legend"' not in html
    assert html.count('class="atlas-badge atlas-badge--0">Not yet coded') >= 56  # the table


def test_records_show_effective_and_coded_dates(client, atlas):
    html = client.get("/atlas/places/me/").content.decode()
    assert "Effective: October 25, 2023. Coded by Fieldguide editors (starter data) on" in html
    table = client.get("/atlas/topics/selling-sex/").content.decode()
    assert '<th scope="col">Effective</th>' in table and '<th scope="col">Coded</th>' in table
    assert '<div class="atlas-scroll" role="region"' in table
