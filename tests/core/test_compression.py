"""Reader pages leave compressed (Brotli or gzip), and nothing that may carry a secret does."""

from __future__ import annotations

import gzip

import brotli
import pytest

pytestmark = pytest.mark.django_db

DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}


def fetch(client, url, encoding, **headers):
    return client.get(url, HTTP_ACCEPT_ENCODING=encoding, **headers)


@pytest.mark.parametrize("url", ["/section-1/", "/glossary/", "/search/?q=harm"])
def test_brotli_and_gzip_bodies_decompress_to_the_identical_html(client, guide, url):
    plain = fetch(client, url, "identity")
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain
    for accept, encoding in (
        ("br, gzip", "br"),
        ("gzip, deflate", "gzip"),
        ("gzip;q=1, br;q=0", "gzip"),
    ):
        response = fetch(client, url, accept)
        assert response["Content-Encoding"] == encoding, (url, accept)
        assert int(response["Content-Length"]) == len(response.content)
        assert DECOMPRESS[encoding](response.content) == plain.content
        assert "Accept-Encoding" in response["Vary"]


def test_each_encoding_has_its_own_etag_and_answers_if_none_match(client, guide):
    etags = {}
    for accept in ("identity", "gzip", "br"):
        response = fetch(client, "/section-1/", accept)
        etags[accept] = response["ETag"]
        again = fetch(client, "/section-1/", accept, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert again["ETag"] == response["ETag"]
        assert not again.content
    assert len(set(etags.values())) == 3
    other = fetch(client, "/section-1/", "br", HTTP_IF_NONE_MATCH=etags["gzip"])
    assert other.status_code == 200


def test_anonymous_search_is_compressed_but_never_cached(client, guide):
    """No credentials in, so no secret out: the page holds only the words of its own URL."""
    response = fetch(client, "/search/?q=harm", "br")
    assert response["Content-Encoding"] == "br"
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


@pytest.mark.urls("tests.core.compression_urls")
@pytest.mark.parametrize(
    "url", ["/test/sets-cookie/", "/test/reads-session/", "/test/renders-token/"]
)
def test_a_response_that_may_carry_a_secret_is_not_compressed(client, db, url):
    response = fetch(client, url, "br, gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"Harm reduction meets people" in response.content


def test_a_signed_in_editor_gets_nothing_compressed(admin_client, guide):
    for url in ("/search/?q=harm", "/section-1/", "/admin/"):
        response = fetch(admin_client, url, "br, gzip")
        assert response.status_code == 200, url
        assert "Content-Encoding" not in response, url
        assert "X-Page-Cache" not in response, url
