"""Chromium walks of the editors' desk, one per role, each through several pages:
menus show only what opens, the suggestion review, the inbox, the side-panel preview,
tables at 375 px, and no request to any other host."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from fieldguide.core.roles import CODERS, EDITORS, MODERATORS, ensure_roles
from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import ContactMessage, SectionPage
from tests.factories import make_guide

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(transactional_db, live_server, allowed_site, django_user_model):
    ContentType.objects.clear_cache()  # ids change when a transactional test flushes
    make_guide()
    ensure_roles()  # a transactional test's flush removed what the migrations made
    section = SectionPage.objects.get(slug="section-1")
    ContactMessage.objects.create(topic="Corrections", email="ana@example.org", message="Hi.")
    ResourceSuggestion.objects.create(
        section=section, url=allowed_site.url("/ok"), reason="Shows the harms.", email="r@x.org"
    )
    return live_server.url, section


def signed_in(browser_context, base: str, django_user_model, role: str, width: int = 1280):
    user = django_user_model.objects.create_user(f"walk-{role}", password="x")
    user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    host = urlsplit(base).hostname
    browser_context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = browser_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url) if urlsplit(r.url).netloc != urlsplit(base).netloc else None
        ),
    )
    return page, elsewhere


def menu_labels(page) -> str:
    return page.locator("nav[aria-label='Main menu'], .sidebar").first.inner_text()


def test_moderator_walk(browser_context, desk, django_user_model, artifacts):
    base, section = desk
    page, elsewhere = signed_in(browser_context, base, django_user_model, MODERATORS)
    page.goto(base + "/admin/")
    assert "1 unread message" in page.locator("main").inner_text()
    assert "Gravatar" not in page.content() and "gravatar.com" not in page.content()

    # The suggestion: fetch, see it as cited with the Title box visible, publish.
    page.goto(base + "/admin/editorial/suggestions/")
    page.get_by_role("link", name="Fetch details and review").click()
    assert "Harm reduction works" in page.get_by_test_id("proposed-citation").inner_text()
    title = page.get_by_label("Title", exact=True)
    box = title.bounding_box()
    assert title.is_visible() and box["width"] > 150 and box["height"] > 20
    page.screenshot(path=str(artifacts / "desk-suggestion-review.png"), full_page=True)
    page.get_by_role("button", name="Add and publish the section").click()
    assert "and the section published" in page.locator("main").inner_text()

    # The inbox: read, reply link, handled.
    page.goto(base + "/admin/snippets/guide/contactmessage/")
    page.locator("main table tbody tr a").first.click()
    assert (
        page.get_by_role("link", name="Reply by email")
        .get_attribute("href")
        .startswith("mailto:ana@example.org")
    )
    page.get_by_role("button", name="Mark handled").click()
    page.get_by_text("Message marked handled.").wait_for()
    assert ContactMessage.objects.get().handled

    # The side-panel preview renders the section inside the admin.
    page.goto(base + f"/admin/pages/{section.pk}/edit/")
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("#w-preview-iframe")
    assert frame.locator("h1").inner_text(timeout=15000) == section.title
    page.screenshot(path=str(artifacts / "desk-preview.png"))
    page.close()  # no request of the preview panel may reach the database being flushed
    assert elsewhere == []


def test_editor_walk_at_375_px(browser_context, desk, django_user_model, artifacts):
    base, _ = desk
    page, elsewhere = signed_in(browser_context, base, django_user_model, EDITORS, width=375)
    page.goto(base + "/admin/editorial/freshness/")
    table = page.locator("main table.listing").first
    overflow = table.evaluate("t => [getComputedStyle(t).overflowX, t.scrollWidth, t.clientWidth]")
    assert overflow[0] == "auto" and overflow[2] <= 375
    button = page.get_by_role("button", name=re.compile("^Reviewed")).first
    button.scroll_into_view_if_needed()
    assert button.is_visible()
    page.screenshot(path=str(artifacts / "desk-freshness-375.png"), full_page=True)
    for url in ("/admin/snippets/library/resource/", "/admin/snippets/guide/glossaryterm/"):
        assert page.goto(base + url).status == 200
    page.goto(base + "/admin/")
    html = page.content()
    assert "/admin/editorial/suggestions/" not in html
    assert "/admin/snippets/guide/contactmessage/" not in html
    page.close()
    assert elsewhere == []


def test_coder_walk(browser_context, desk, django_user_model):
    base, _ = desk
    page, elsewhere = signed_in(browser_context, base, django_user_model, CODERS)
    page.goto(base + "/admin/")
    html = page.content()
    assert "/admin/atlas/import/" in html and "/admin/snippets/library/resource/" not in html
    assert page.goto(base + "/admin/snippets/atlas/policyrecord/").status == 200
    assert page.goto(base + "/admin/atlas/import/").status == 200
    page.close()
    assert elsewhere == []
