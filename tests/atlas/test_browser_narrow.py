"""Phones: no sideways scroll at 320 and 375 CSS px, and DC and the territories are
markers big enough to tap (44 x 44 CSS px), in real Chromium."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PAGES = (
    "/atlas/topics/selling-sex/",
    "/atlas/places/md/",
    "/atlas/lookup/?place=21201&topic=selling-sex",
)


@pytest.mark.django_db(transaction=True)
def test_narrow_screens_do_not_scroll_sideways_and_small_places_are_tappable(
    chromium, live_server, artifacts
):
    call_command("load_atlas", verbosity=0)
    for width in (320, 375):
        context = chromium.new_context(viewport={"width": width, "height": 740})
        page = context.new_page()
        for path in PAGES:
            page.goto(live_server.url + path)
            scroll, inner = page.evaluate(
                "[document.scrollingElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= inner, f"{path} at {width}px: {scroll} > {inner}"
        page.goto(live_server.url + PAGES[0])
        tiles = page.locator(".atlas-tile")
        assert tiles.count() == 6
        for i in range(6):
            box = tiles.nth(i).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
        # The table scrolls inside its own container, not the page.
        region = page.get_by_role("region", name="Selling sex: the policy in force today")
        assert region.evaluate("el => getComputedStyle(el).overflowX") == "auto"
        dc = page.get_by_role("link", name="District of Columbia: Full criminalization")
        assert dc.inner_text() == "DC"
        if width == 320:
            page.screenshot(path=str(artifacts / "atlas-topic-320.png"), full_page=True)
        dc.click()
        page.wait_for_url("**/atlas/places/dc/")
        context.close()
