"""Edition builds never fetch anything from the network."""

from __future__ import annotations

import http.server
import threading

import pytest

from fieldguide.exports.editions import EditionFormat, EditionKind, EditionSpec
from fieldguide.exports.errors import EditionBuildError
from fieldguide.exports.store import build_bytes
from fieldguide.guide.models import SectionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracking_server():
    """A real HTTP server on 127.0.0.1 that records every path it is asked for."""
    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            requested.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()
    server.server_close()


@pytest.fixture
def section_with_remote_image(guide, tracking_server):
    base, _ = tracking_server
    section = SectionPage.objects.get(slug="section-1")
    section.introduction = f'<p>Before.</p><p><img src="{base}/pixel.png" alt="A pixel"></p>'
    section.save_revision().publish()
    return section


def test_pdf_build_refuses_remote_files_without_fetching(
    guide, section_with_remote_image, tracking_server
):
    _, requested = tracking_server
    spec = EditionSpec(EditionKind.SECTION, EditionFormat.PDF, "section-1")
    with pytest.raises(
        EditionBuildError, match="section-section-1.pdf: the edition refers to an outside file"
    ):
        build_bytes(guide, spec)
    assert requested == []


def test_failed_build_is_a_clear_503_not_a_server_error(
    client, guide, section_with_remote_image, tracking_server
):
    _, requested = tracking_server
    response = client.get("/editions/guide.pdf")
    assert response.status_code == 503
    assert "This download is not available right now" in response.content.decode()
    assert "guide.pdf" in response.content.decode()
    assert requested == []
    assert client.get("/editions/sections/section-2.pdf").status_code == 200
