"""Hostile and crashing resources in editions, the bake, and real Chromium.

The resources come from tests/library/test_citation_safety.py: one whose stored
title, names, publisher and container carry markup (a meta refresh, scripts, an
onerror image, an svg onload) and a ``javascript:`` URL; one that makes citeproc-py
raise. Editions still build (the EPUB passes epubcheck), the bake succeeds and every
baked page carries the reader CSP, and Chromium neither navigates away nor runs a
script, live or baked.
"""

from __future__ import annotations

import functools
import http.server
import io
import threading
from pathlib import Path

import pytest
from django.core.management import call_command

from fieldguide.exports.static_site import HEADERS_PATH, csp_meta_policy
from tests.library.test_citation_safety import (
    WORD,
    add_to_section,
    crashing_resource,
    hostile_resource,
    injected_markup,
)

from .tools import epubcheck

# Long enough for a meta refresh of 0 s or an onerror handler to have fired.
SETTLE_MS = 1500


def _add_bad_resources() -> str:
    section = add_to_section(hostile_resource())
    section.selected_resources.add(
        section.selected_resources.model(resource=crashing_resource(), note="Crashes APA.")
    )
    section.save_revision().publish()
    return section.url


@pytest.mark.django_db
def test_editions_build_with_hostile_and_crashing_resources(client, guide, tmp_path):
    _add_bad_resources()
    for url in ("/editions/guide.pdf", "/editions/sections/section-1.pdf"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    response = client.get("/editions/guide.epub")
    assert response.status_code == 200
    path = tmp_path / "guide.epub"
    path.write_bytes(b"".join(response.streaming_content))
    result = epubcheck(path)
    assert result.returncode == 0, result.stdout + result.stderr


def _assert_page_is_inert(page, url: str) -> None:
    page.goto(url)
    page.wait_for_timeout(SETTLE_MS)
    assert page.url == url, "the page navigated away"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert WORD in page.content()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_live_section_page_stays_put_and_runs_no_injected_script(
    live_server, guide, browser_context
):
    path = _add_bad_resources()
    page = browser_context.new_page()
    _assert_page_is_inert(page, f"{live_server.url}{path}")
    _assert_page_is_inert(page, f"{live_server.url}/search/?q={WORD}")


def _serve(root: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.django_db
def test_bake_has_a_csp_on_every_page_and_hostile_metadata_is_inert(
    guide, tmp_path, browser_context
):
    path = _add_bad_resources()
    root = tmp_path / "site"
    call_command("bake_static", str(root), stdout=io.StringIO())

    meta = 'http-equiv="Content-Security-Policy"'
    pages = list(root.rglob("*.html"))
    assert pages
    for file in pages:
        html = file.read_text()
        assert meta in html, file
        assert injected_markup(html) == [], file
        assert html.index(meta) < html.index("<style"), file  # governs the inline styles
    assert "frame-ancestors" not in csp_meta_policy()
    headers = (root / HEADERS_PATH.lstrip("/")).read_text()
    assert "/*\n" in headers
    for line in (
        "Content-Security-Policy: default-src 'none';",
        "frame-ancestors 'none'",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        "Referrer-Policy: same-origin",
        "Permissions-Policy: ",
    ):
        assert line in headers, line

    server = _serve(root)
    try:
        host = f"http://127.0.0.1:{server.server_address[1]}"
        page = browser_context.new_page()
        refused: list[str] = []
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and refused.append(message.text)
            ),
        )
        _assert_page_is_inert(page, f"{host}{path}")
        page.goto(f"{host}/search/?q=harm+reduction")
        page.wait_for_selector("#static-search-results li")
        assert refused == [], refused
    finally:
        server.shutdown()
        server.server_close()
