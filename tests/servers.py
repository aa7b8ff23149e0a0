"""A real HTTP server on loopback that counts connections: proof a fetch never happened.

The outbound client must refuse internal addresses *before* connecting, so the tests
stand a server at such an address and assert it saw no connection at all, not merely
no request.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, dict[str, str], bytes]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        server: RecordingServer = self.server  # type: ignore[assignment]
        path = self.path.split("?")[0]
        with server.lock:
            server.paths.append(path)
        route = server.routes.get(path)
        if callable(route):
            route(self)
            return
        status, headers, body = route or (404, {"Content-Type": "text/plain"}, b"Not found")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class RecordingServer(ThreadingHTTPServer):
    """Answers ``routes`` (path -> (status, headers, body) or a handler function)."""

    daemon_threads = True

    def __init__(self, host: str = "127.0.0.1") -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, 0), _Handler)
        self.lock = threading.Lock()
        self.connections = 0
        self.paths: list[str] = []
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], None]] = {}
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def get_request(self):
        accepted = super().get_request()
        with self.lock:
            self.connections += 1
        return accepted

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def origin(self) -> str:
        """host:port as FIELDGUIDE_OUTBOUND_ALLOW names it."""
        host = self.server_address[0]
        return f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"http://{self.origin}{path}"

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Make ``path`` redirect to ``location``; returns the full URL of ``path``."""
        self.routes[path] = (status, {"Location": location}, b"")
        return self.url(path)

    def page(self, path: str, body: bytes, content_type: str = "text/html") -> str:
        self.routes[path] = (200, {"Content-Type": content_type}, body)
        return self.url(path)

    def __enter__(self) -> RecordingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def trickle(chunks: int, pause: float) -> Callable[[BaseHTTPRequestHandler], None]:
    """A route that sends its body one byte at a time, ``pause`` seconds apart."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", str(chunks))
        handler.end_headers()
        try:
            for _ in range(chunks):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass

    return answer
