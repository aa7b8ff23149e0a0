"""A reader goes from a guide section to the lookup, picks a place, and sees it made local."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command

from tests.axe import violations

pytestmark = pytest.mark.browser


def test_lookup_flow_from_a_section(browser_context, default_guide, artifacts):
    call_command("load_atlas", verbosity=0)
    page = browser_context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(default_guide + "/sex-trade-criminalization/")
    box = page.get_by_role("complementary", name="Act where you live")
    assert "selling sex" in box.inner_text()
    box.get_by_label("Your ZIP code, city and state, or state").fill("Portland")
    box.get_by_role("button", name="Look up").click()

    page.wait_for_url("**/atlas/lookup/?*")
    assert "There is a place called Portland in" in page.locator("main").inner_text()
    page.get_by_role("link", name="Portland, Maine").click()

    page.wait_for_url("**/atlas/lookup/?*")
    query = parse_qs(urlparse(page.url).query)
    assert query == {
        "topic": ["selling-sex"],
        "section": ["sex-trade-criminalization"],
        "place": ["Portland, ME"],
    }
    assert page.locator("h1").inner_text() == "Portland, Maine"
    main = page.locator("main").inner_text()
    assert "Partial criminalization (End Demand)" in main
    assert "P.L. 2023, c. 316 (L.D. 1435" in main
    assert "Actions from “Sex trade criminalization”, made local" in main
    page.get_by_text("History (2 records)").click()
    assert page.get_by_text("until October 25, 2023").first.is_visible()
    page.screenshot(path=str(artifacts / "atlas-lookup.png"), full_page=True)
    assert violations(page, serious_only=True) == []

    page.get_by_role("link", name="See the map").click()
    page.wait_for_url("**/atlas/topics/selling-sex/")
    nevada = page.get_by_role("link", name="Nevada: Legal and regulated in part")
    assert nevada.count() == 1
    page.screenshot(path=str(artifacts / "atlas-map.png"), full_page=False)
    assert violations(page, serious_only=True) == []
    nevada.click()
    page.wait_for_url("**/atlas/places/nv/")
    assert "NRS 244.345" in page.locator("main").inner_text()

    # Private by default: no cookies, nothing fetched from another host.
    assert browser_context.cookies() == []
    assert all(url.startswith(default_guide) for url in requests), requests


def test_choosing_state_legislative_districts(browser_context, default_guide, artifacts):
    """A ZIP cannot tell the state district: the reader picks it and sees both legislators."""
    call_command("load_atlas", verbosity=0)
    page = browser_context.new_page()
    page.goto(default_guide + "/atlas/lookup/?place=21201")
    assert "Senator Chris Van Hollen" in page.locator("main").inner_text()
    page.get_by_label("Your Senate district").select_option("18")
    page.get_by_label("Your House of Delegates district").select_option("18")
    page.get_by_role("button", name="Show my state legislators").click()
    page.wait_for_url("**/atlas/state/MD/legislators/?*")
    assert parse_qs(urlparse(page.url).query) == {"upper": ["18"], "lower": ["18"]}
    main = page.locator("main").inner_text()
    assert "Senate, district 18" in main and "House of Delegates, district 18" in main
    assert main.count("I am calling Delegate ") == 3
    assert main.count("I am calling State Senator ") == 1
    page.screenshot(path=str(artifacts / "atlas-state-legislators.png"), full_page=True)
    assert violations(page, serious_only=True) == []
    assert browser_context.cookies() == []
