"""In Chromium: the broken-link notice and the suggestion form are accessible and CSP-clean."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fieldguide.guide.models import SectionPage
from fieldguide.library.models import Resource
from fieldguide.linkhealth.models import Link, LinkStatus
from tests.axe import violations
from tests.factories import make_guide

pytestmark = pytest.mark.browser


@pytest.fixture
def served_guide(transactional_db, live_server):
    make_guide()
    resource = Resource.objects.get()
    Link.objects.create(
        url=resource.link,
        status=LinkStatus.BROKEN,
        http_status=404,
        confirmed_broken_at=timezone.now(),
    )
    return live_server.url


def _watch(page) -> tuple[list[str], list[str]]:
    console, outside = [], []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on(
        "request",
        lambda req: outside.append(req.url) if not req.url.startswith("http://localhost") else None,
    )
    return console, outside


def test_section_with_broken_link_notice_is_accessible(browser_context, served_guide):
    page = browser_context.new_page()
    console, outside = _watch(page)
    page.goto(served_guide + "/section-1/")
    notice = page.locator(".link-notice a")
    assert "archived copy" in notice.inner_text()
    assert notice.get_attribute("rel") == "noopener noreferrer"
    assert violations(page) == []
    assert console == []
    assert [url for url in outside if "127.0.0.1" not in url] == []
    assert browser_context.cookies() == []


def test_suggestion_form_with_errors_is_accessible_and_keyboard_usable(
    browser_context,
    served_guide,
):
    page = browser_context.new_page()
    console, _ = _watch(page)
    section = SectionPage.objects.get(slug="section-1")
    page.goto(served_guide + "/section-1/")
    page.get_by_role("link", name="Suggest a resource for this section").click()
    assert page.url.endswith(f"/suggest/{section.pk}/")
    page.get_by_label("DOI (for an article or report that has one)").fill("not-a-doi")
    page.get_by_label("Why it fits this section").fill("Shows the evidence.")
    page.get_by_role("button", name="Send suggestion").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Why it fits this section").input_value() == "Shows the evidence."
    assert (
        page.get_by_label("DOI (for an article or report that has one)").get_attribute(
            "aria-invalid"
        )
        == "true"
    )
    assert violations(page) == []
    assert console == []


def _inside(box: dict, width: int) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_admin_link_list_at_1280_and_375(browser_context, transactional_db, live_server, artifacts):
    """One visit: the list, its bulk controls and a link's actions at desktop and phone width."""
    from django.contrib.auth import get_user_model

    from fieldguide.linkhealth.collect import sync_usages

    make_guide()
    get_user_model().objects.create_superuser("chief", "chief@fieldguide.test", "pw")
    long_path = "/reports/" + "harm-reduction-evaluation-" * 4 + "final.pdf"
    Resource.objects.update(url="https://www.example.org" + long_path)
    for link in sync_usages():
        link.status, link.http_status = LinkStatus.BROKEN, 404
        link.error = "The server says the page is not there (HTTP 404)."
        link.save()
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/admin/link-health/")
    region = page.get_by_role("region", name="Links table")
    assert region.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.screenshot(path=str(artifacts / "linkhealth-admin-375.png"), full_page=True)
    # The page itself does not scroll sideways; the table scrolls in its own container.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # The wrapper or the table itself (the admin's phone CSS makes tables scroll boxes).
    assert region.evaluate(
        "el => [el, el.querySelector('table')].some(box => box.scrollWidth > box.clientWidth)"
    )
    first = page.locator("input[name=links]").first
    first.scroll_into_view_if_needed()
    assert _inside(first.bounding_box(), 375)
    status = page.locator(".status-tag").first
    assert _inside(status.bounding_box(), 375) and status.inner_text() == "Broken"
    apply = page.get_by_role("button", name="Apply")
    apply.scroll_into_view_if_needed()
    assert _inside(apply.bounding_box(), 375)

    first.check()
    page.get_by_label("With the ticked links").select_option("dismiss")
    apply.click()
    assert "1 link dismissed" in page.locator(".messages").inner_text()
    assert Link.objects.exclude(dismissed_at=None).count() == 1

    page.locator("table a[href*='/admin/link-health/']").first.click()
    for name in ("Check again now", "List it again", "Save choice"):
        button = page.get_by_role("button", name=name)
        button.scroll_into_view_if_needed()
        assert _inside(button.bounding_box(), 375), name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert errors == []
