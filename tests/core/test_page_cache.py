"""Readers get cached pages, and never a stale one after an editor publishes."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import caches
from django.http import QueryDict
from wagtail.models import Page, PageViewRestriction

from fieldguide.core import page_cache
from fieldguide.core.page_cache import canonical_query, current_generation
from fieldguide.editorial.models import SectionReview
from fieldguide.guide.models import ContactMessage, GlossaryTerm, SectionPage
from fieldguide.library.models import Resource
from fieldguide.linkhealth.models import Link
from fieldguide.linkhealth.runner import run_checks
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


def test_publishing_a_section_refreshes_it_and_every_page_that_lists_it(client, guide, committed):
    for url in ("/", "/section-1/", "/section-2/", "/about/"):
        get(client, url)
    section = SectionPage.objects.get(slug="section-1")
    section.title = "Renamed section"
    with committed():
        section.save_revision().publish()
    for url in ("/", "/section-1/", "/section-2/", "/about/"):
        response = get(client, url)
        assert response["X-Page-Cache"] == "miss", url
    assert "Renamed section" in get(client, "/").content.decode()
    assert "Renamed section" in get(client, "/section-2/").content.decode()


def test_editing_a_shared_resource_refreshes_every_section_that_shows_it(client, guide, committed):
    for url in ("/section-1/", "/section-2/"):
        get(client, url)
    resource = Resource.objects.get(key="platt-2018")
    resource.title = "A corrected title"
    with committed():
        resource.save()
    for url in ("/section-1/", "/section-2/"):
        assert "A corrected title" in get(client, url).content.decode(), url


def test_glossary_edit_refreshes_the_glossary(client, guide, committed):
    get(client, "/glossary/")
    term = GlossaryTerm.objects.get(slug="harm-reduction")
    term.attribution = "A newer source"
    with committed():
        term.save()
    assert "A newer source" in get(client, "/glossary/").content.decode()


def test_unpublishing_removes_the_page_at_once(client, guide, committed):
    get(client, "/section-2/")
    with committed():
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


def test_second_guide_load_does_not_leave_stale_pages(client, db, committed):
    make_guide(sections=1)
    get(client, "/")
    assert get(client, "/")["X-Page-Cache"] == "hit"
    with committed():
        SectionPage.objects.get(slug="section-1").delete()
    assert "Section 1" not in get(client, "/").content.decode()


def test_made_up_query_parameters_are_served_from_the_same_entry(client, guide):
    first = get(client, "/section-1/")
    assert first["X-Page-Cache"] == "miss"
    for url in ("/section-1/?utm_source=x", "/section-1/?utm=a&fbclid=b", "/section-1/?sent=1"):
        response = get(client, url)
        assert response["X-Page-Cache"] == "hit", url
        assert response.content == first.content


def test_declared_parameters_are_keyed_with_the_values_the_view_acts_on():
    declared = page_cache.QUERY_PARAMETERS["guide.contactpage"]
    assert canonical_query(QueryDict("sent=1&utm_source=x"), declared) == "sent=1"
    assert canonical_query(QueryDict("sent=made-up"), declared) == ""
    assert canonical_query(QueryDict("utm=1"), declared) == ""


def test_search_and_lookup_are_private_never_cached_never_labelled(client, guide):
    for url in ("/search/?q=zebraquokka", "/atlas/lookup/?place=zebraquokka"):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response, url
            assert "private" in response["Cache-Control"], url
            assert "no-store" in response["Cache-Control"], url
    stored = caches["default"]._cache  # local memory: pickled values by key
    assert not any(b"zebraquokka" in value for value in stored.values())


def test_a_restricted_page_is_never_served_from_the_cache(client, guide, committed):
    assert get(client, "/section-1/")["X-Page-Cache"] == "miss"
    assert get(client, "/section-1/")["X-Page-Cache"] == "hit"
    with committed():
        PageViewRestriction.objects.create(
            page=Page.objects.get(slug="section-1"),
            restriction_type=PageViewRestriction.PASSWORD,
            password="secret",
        )
    for _ in range(2):
        response = client.get("/section-1/")
        assert "X-Page-Cache" not in response
        assert "Harm reduction meets people" not in response.content.decode()


def test_a_page_under_a_restricted_ancestor_is_not_cached(client, guide, settings, committed):
    with committed():
        PageViewRestriction.objects.create(
            page=Page.objects.get(slug="test-guide"), restriction_type=PageViewRestriction.LOGIN
        )
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/section-2/")


def test_saves_readers_never_see_leave_the_cache_alone(guide, committed):
    before = current_generation()
    resource = Resource.objects.get(key="platt-2018")
    section = SectionPage.objects.get(slug="section-1")
    with committed():
        resource.save()  # nothing changed
        Resource.objects.get(pk=resource.pk).save()
        GlossaryTerm.objects.get(slug="harm-reduction").save()
        section.title = "A draft nobody sees yet"
        section.save_revision()  # a draft
        ContactMessage.objects.create(name="A reader", message="Hello")
    assert current_generation() == before
    # Section pages show the latest review's date (issue 14), so a review is seen.
    with committed():
        SectionReview.objects.create(page=section, note="Still accurate")
    assert current_generation() == before + 1


def test_a_change_readers_see_moves_the_generation(guide, committed):
    before = current_generation()
    resource = Resource.objects.get(key="platt-2018")
    resource.title = "A corrected title"
    with committed():
        resource.save()
    assert current_generation() == before + 1


def test_a_link_check_run_that_finds_nothing_new_leaves_the_cache_alone(
    guide,
    local_site,
    fast_config,
    committed,
):
    resource = Resource.objects.get(key="platt-2018")
    resource.url = local_site.url("/ok")
    resource.doi = ""
    with committed():
        resource.save()
        run_checks(config=fast_config)  # the first run records the links' state
    assert Link.objects.filter(url=local_site.url("/ok")).exists()
    before = current_generation()
    with committed():
        run_checks(config=fast_config)
        run_checks(config=fast_config)
    assert current_generation() == before
    with committed():
        Link.objects.filter(url=local_site.url("/ok")).get().delete()
    assert current_generation() == before + 1


def test_every_model_of_the_content_apps_is_classified():
    """A new model must be put in READER_VISIBLE or NOT_SHOWN, never left to chance."""
    unclassified = [
        m._meta.label_lower
        for app in page_cache.CONTENT_APPS
        for m in apps.get_app_config(app).get_models()
        if page_cache._shown(m) is None and m._meta.label_lower not in page_cache.NOT_SHOWN
    ]
    assert unclassified == []
