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
