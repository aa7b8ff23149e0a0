"""Printing reader pages, and searching the baked static site, in real Chromium."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

pytestmark = pytest.mark.browser


def _hidden(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "el => getComputedStyle(el).display") == "none"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_section_page_prints_without_chrome_and_with_link_addresses(
    live_server, guide, browser_context
):
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/section-1/")
    if not page.query_selector('link[href*="exports/print"], style[data-print]'):
        page.add_style_tag(url=live_server.url + staticfiles_storage.url("exports/print.css"))
    page.emulate_media(media="print")
    for selector in (
        ".quick-exit",
        ".site-search",
        ".toc",
        ".pager",
        ".on-this-page",
        ".downloads",
    ):
        assert _hidden(page, selector), selector
    assert not _hidden(page, "#introduction")
    after = page.eval_on_selector(
        '.action a[href^="http"]', "el => getComputedStyle(el, '::after').content"
    )
    assert "https://example.org/" in after
    assert page.pdf(format="A4")[:5] == b"%PDF-"
    page.emulate_media(media="screen")
    assert not _hidden(page, ".downloads")


@pytest.fixture
def static_host(guide, tmp_path):
    """The baked site served by a plain static file server on 127.0.0.1."""
    root = tmp_path / "site"
    call_command("bake_static", str(root), stdout=io.StringIO())
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_baked_site_searches_in_the_browser_and_loads_nothing_elsewhere(
    static_host, browser_context
):
    page = browser_context.new_page()
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))

    page.goto(f"{static_host}/")
    page.fill("#site-search-q", "harm reduction")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector("#static-search-results li")
    status = page.text_content("#static-search-status")
    assert "for \u201charm reduction\u201d" in status
    links = page.eval_on_selector_all(
        "#static-search-results a", "els => els.map(a => a.getAttribute('href'))"
    )
    assert "/glossary/#harm-reduction" in links
    page.click("#static-search-results a[href='/glossary/#harm-reduction']")
    page.wait_for_url("**/glossary/#harm-reduction")
    assert page.is_visible("#harm-reduction")

    hosts = {urlsplit(url).netloc for url in requested if url.startswith("http")}
    assert hosts == {urlsplit(static_host).netloc}
    assert failed == []
