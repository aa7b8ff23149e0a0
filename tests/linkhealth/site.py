"""A real HTTP server on 127.0.0.1 that misbehaves on purpose, for the link checker.

Used by the tests and by bench/linkcheck.py. It counts requests in flight per Host so
politeness can be asserted from the server's side.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = (
    "<!doctype html><html><head><title>Harm reduction works</title></head><body>"
    "<main><h1>Harm reduction works</h1>"
    + "<p>Evidence from many cities shows that services which meet people where they are "
    "reduce overdose deaths and infections.</p>" * 20 + "</main></body></html>"
)
SOFT_404 = (
    "<!doctype html><html><head><title>Page not found | Example Health</title></head>"
    "<body><h1>Sorry</h1><p>The page you requested could not be found.</p></body></html>"
)
PARKED = (
    "<!doctype html><html><head><title>example-campaign.org</title></head>"
    "<body><h1>This domain is for sale!</h1><p>Make an offer today.</p></body></html>"
)
TINY = "<!doctype html><html><head><title>Health</title></head><body><p>Hi</p></body></html>"
ROBOTS = "User-agent: *\nDisallow: /private/\n"

# path -> (status, headers, body); a callable gets the handler and returns the same.
ROUTES: dict[str, tuple[int, dict[str, str], str]] = {
    "/robots.txt": (200, {"Content-Type": "text/plain"}, ROBOTS),
    "/ok": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/ok2": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/ok3": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/ok4": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/tiny": (200, {"Content-Type": "text/html; charset=utf-8"}, TINY),
    "/report.pdf": (200, {"Content-Type": "application/pdf"}, "%PDF-1.4"),
    "/moved-301": (301, {"Location": "/moved-308"}, ""),
    "/moved-308": (308, {"Location": "/ok"}, ""),
    "/temporary": (302, {"Location": "/ok"}, ""),
    "/missing": (404, {"Content-Type": "text/html"}, "<h1>Not found</h1>"),
    "/gone": (410, {"Content-Type": "text/html"}, "<h1>Gone</h1>"),
    "/error": (500, {"Content-Type": "text/html"}, "<h1>Server error</h1>"),
    "/busy": (429, {"Content-Type": "text/html", "Retry-After": "0"}, "<h1>Slow down</h1>"),
    "/forbidden": (403, {"Content-Type": "text/html"}, "<h1>Forbidden</h1>"),
    "/loop-a": (302, {"Location": "/loop-b"}, ""),
    "/loop-b": (302, {"Location": "/loop-a"}, ""),
    "/soft-404": (200, {"Content-Type": "text/html"}, SOFT_404),
    "/parked": (200, {"Content-Type": "text/html"}, PARKED),
    "/private/report": (200, {"Content-Type": "text/html"}, ARTICLE),
}


class MisbehavingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle's algorithm and
    # the client's delayed ACK add ~40 ms to every answer with a body.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def _answer(self, with_body: bool) -> None:
        server: LocalSite = self.server  # type: ignore[assignment]
        host = (self.headers.get("Host") or "").split(":")[0]
        path = self.path.split("?")[0]
        server.record(self.command, path, self.headers.get("User-Agent", ""))
        with server.lock:
            server.in_flight[host] += 1
            server.peak[host] = max(server.peak[host], server.in_flight[host])
        try:
            if server.latency:
                time.sleep(server.latency)
            status, headers, body = self._route(server, path)
        finally:
            # Counted out before the answer is sent: a client cannot start its next
            # request on this slot until it has the answer, so the count never overstates.
            with server.lock:
                server.in_flight[host] -= 1
        data = body.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if with_body:
            self.wfile.write(data)

    def _route(self, server: LocalSite, path: str) -> tuple[int, dict[str, str], str]:
        if path == "/slow":
            time.sleep(server.slow_seconds)
            return ROUTES["/ok"]
        if path == "/no-head" and self.command == "HEAD":
            return 405, {"Allow": "GET"}, ""
        if path == "/no-head":
            return ROUTES["/ok"]
        if path == "/flaky":
            server.flaky_calls += 1
            if server.flaky_calls <= 1:
                return 503, {"Retry-After": "0"}, "busy"
            return ROUTES["/ok"]
        if path.startswith("/bench/"):
            return ROUTES["/ok"]
        return server.routes.get(path, (404, {"Content-Type": "text/html"}, "<h1>Not found</h1>"))

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(with_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(with_body=True)


class LocalSite(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1", latency: float = 0.0, slow_seconds: float = 3.0):
        super().__init__((host, 0), MisbehavingHandler)
        self.latency = latency
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        self.in_flight: Counter = Counter()
        self.peak: Counter = Counter()
        self.requests: list[tuple[str, str, str]] = []
        self.flaky_calls = 0
        self.routes = dict(ROUTES)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def record(self, method: str, path: str, agent: str) -> None:
        with self.lock:
            self.requests.append((method, path, agent))

    @property
    def base(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def origin(self) -> str:
        """host:port, as FIELDGUIDE_OUTBOUND_ALLOW names a server it lets through."""
        host, port = self.server_address[:2]
        return f"{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def closed_port_url() -> str:
    """An address where nothing listens: the port was bound, then released."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/"
