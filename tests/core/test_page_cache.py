"""Readers get cached pages, and never a stale one after an editor publishes."""

from __future__ import annotations

import pytest

from fieldguide.guide.models import GlossaryTerm, SectionPage
from fieldguide.library.models import Resource
from tests.factories import make_guide

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_second_request_is_served_from_the_cache(client, guide):
    assert get(client, "/section-1/")["X-Page-Cache"] == "miss"
    assert get(client, "/section-1/")["X-Page-Cache"] == "hit"


def test_cached_response_keeps_security_headers(client, guide):
    get(client, "/")
    hit = get(client, "/")
    assert hit["X-Page-Cache"] == "hit"
    assert "frame-ancestors 'none'" in hit["Content-Security-Policy"]
    assert hit["Referrer-Policy"] == "same-origin"
    assert not hit.cookies


def test_publishing_a_section_refreshes_it_and_every_page_that_lists_it(client, guide):
    for url in ("/", "/section-1/", "/section-2/", "/about/"):
        get(client, url)
    section = SectionPage.objects.get(slug="section-1")
    section.title = "Renamed section"
    section.save_revision().publish()
    for url in ("/", "/section-1/", "/section-2/", "/about/"):
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
    assert "Renamed section" in get(client, "/").content.decode()
    assert "Renamed section" in get(client, "/section-2/").content.decode()


def test_editing_a_shared_resource_refreshes_every_section_that_shows_it(client, guide):
    for url in ("/section-1/", "/section-2/"):
        get(client, url)
    resource = Resource.objects.get(key="platt-2018")
    resource.title = "A corrected title"
    resource.save()
    for url in ("/section-1/", "/section-2/"):
        assert "A corrected title" in get(client, url).content.decode(), url


def test_glossary_edit_refreshes_the_glossary(client, guide):
    get(client, "/glossary/")
    term = GlossaryTerm.objects.get(slug="harm-reduction")
    term.attribution = "A newer source"
    term.save()
    assert "A newer source" in get(client, "/glossary/").content.decode()


def test_unpublishing_removes_the_page_at_once(client, guide):
    get(client, "/section-2/")
    SectionPage.objects.get(slug="section-2").unpublish()
    assert client.get("/section-2/").status_code == 404


def test_requests_with_cookies_bypass_the_cache(client, guide):
    client.cookies["sessionid"] = "abc"
    response = get(client, "/section-1/")
    assert "X-Page-Cache" not in response


def test_contact_page_sets_no_cookie_and_its_posts_skip_the_cache(client, guide):
    first = client.get("/contact/")
    assert not first.cookies
    sent = client.post("/contact/", {"message": "Hello"})
    assert sent.status_code == 302 and "X-Page-Cache" not in sent


def test_query_strings_are_cached_separately(client, guide):
    a = get(client, "/search/?q=harm").content
    b = get(client, "/search/?q=section").content
    assert a != b


def test_second_guide_load_does_not_leave_stale_pages(client, db):
    make_guide(sections=1)
    get(client, "/")
    assert get(client, "/")["X-Page-Cache"] == "hit"
    SectionPage.objects.get(slug="section-1").delete()
    assert "Section 1" not in get(client, "/").content.decode()
