"""A local stand-in for Crossref: recorded works records served over real HTTP."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "library"
RECORDED_WORKS = {"/works/10.7554/elife.01567": FIXTURES / "crossref_work_elife.01567.json"}


class _CrossrefHandler(http.server.BaseHTTPRequestHandler):
    """Answers like api.crossref.org: the recorded record, else 404."""

    user_agents: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).user_agents.append(self.headers.get("User-Agent", ""))
        recorded = RECORDED_WORKS.get(self.path.lower())
        if recorded:
            body = recorded.read_bytes()
            self.send_response(200)
        else:
            body = b"Resource not found."
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def crossref_server(settings):
    """A Crossref API on 127.0.0.1; `.user_agents` lists the User-Agent of each request."""
    _CrossrefHandler.user_agents = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CrossrefHandler)
    server.user_agents = _CrossrefHandler.user_agents
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CROSSREF_API_URL = f"http://127.0.0.1:{server.server_port}"
    # The outbound client refuses loopback; let this one test server through.
    settings.FIELDGUIDE_OUTBOUND_ALLOW = [f"127.0.0.1:{server.server_port}"]
    settings.CROSSREF_MAILTO = "editors@fieldguide.test"
    yield server
    server.shutdown()
    server.server_close()
