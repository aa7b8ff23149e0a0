"""HTTP caching on the wire: shared reader pages say so and revalidate; nothing else does."""

from __future__ import annotations

import pytest
from django.utils.http import http_date, parse_http_date

from fieldguide.guide.models import SectionPage

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_a_reader_page_is_public_with_validators(client, guide, settings):
    settings.HTTP_CACHE_BROWSER_SECONDS = 60
    settings.HTTP_CACHE_SHARED_SECONDS = 86400
    for label in ("miss", "hit"):
        response = client.get("/section-1/", HTTP_ACCEPT_ENCODING="br")
        assert response["X-Page-Cache"] == label
        assert cache_control(response) == {"public", "max-age=60", "s-maxage=86400"}
        assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/")
        assert parse_http_date(response["Last-Modified"])
        assert response["Vary"] == "Accept-Encoding"
        assert response["X-Fieldguide-Generation"].isdigit()
        assert not response.cookies


def test_if_none_match_gets_304_with_the_same_headers(client, guide):
    first = client.get("/section-1/")
    again = client.get("/section-1/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    for header in ("ETag", "Cache-Control", "Last-Modified", "Vary"):
        assert again[header] == first[header], header
    other = client.get("/section-1/", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_if_modified_since_gets_304_until_content_changes(client, guide, committed):
    first = client.get("/section-2/")
    since = first["Last-Modified"]
    assert client.get("/section-2/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    earlier = http_date(parse_http_date(since) - 10)
    assert client.get("/section-2/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match wins over the date when both are sent (RFC 9110 13.1.3).
    assert (
        client.get(
            "/section-2/", HTTP_IF_MODIFIED_SINCE=since, HTTP_IF_NONE_MATCH='"stale"'
        ).status_code
        == 200
    )
    section = SectionPage.objects.get(slug="section-2")
    section.title = "A new title"
    with committed():
        section.save_revision().publish()
    changed = client.get("/section-2/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert b"A new title" in changed.content
    assert changed["X-Fieldguide-Generation"] != first["X-Fieldguide-Generation"]


def test_the_etag_differs_per_encoding(client, guide):
    plain = client.get("/section-1/")
    brotli = client.get("/section-1/", HTTP_ACCEPT_ENCODING="br")
    assert brotli["Content-Encoding"] == "br"
    assert plain["ETag"] != brotli["ETag"]
    assert client.get("/section-1/", HTTP_IF_NONE_MATCH=plain["ETag"],
                      HTTP_ACCEPT_ENCODING="br").status_code == 200  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=harm",
        "/atlas/lookup/?place=Baltimore",
        "/admin/login/",
        "/no-such-page/",
        "/section-1",  # the redirect to the slash
    ],
)
def test_everything_else_is_private_no_store(client, guide, url):
    response = client.get(url)
    assert cache_control(response) >= {"private", "no-store"}, url
    assert "public" not in response["Cache-Control"], url
    assert "X-Fieldguide-Generation" not in response, url


def test_a_signed_in_editor_gets_private_pages(admin_client, guide):
    response = admin_client.get("/section-1/")
    assert response.status_code == 200
    assert cache_control(response) >= {"private", "no-store"}
    preview = admin_client.get(
        f"/admin/pages/{SectionPage.objects.get(slug='section-1').pk}/edit/preview/"
    )
    assert "public" not in preview.get("Cache-Control", "private")


def test_a_post_is_private(client, guide):
    response = client.post("/contact/", {}, HTTP_ORIGIN="http://testserver")
    assert cache_control(response) >= {"private", "no-store"}
