"""Fifty concurrent contact messages against the production server (gunicorn, two workers
of four threads, as `make serve` runs it) on the suite's database, then on Redis.

The suite's database is handed to the server: on SQLite a file copy of the test
database (`VACUUM INTO`), so every server thread has a connection of its own and real
file locking; on PostgreSQL the test database itself.
"""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.core.conftest import redis_db_url
from tests.factories import make_guide

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB_BASE = 12  # databases 12-15, one per test worker (see conftest)
CONTACT_LIMIT = 5
CONCURRENT = 50


@pytest.fixture
def database_url(transactional_db, tmp_path) -> str:
    make_guide()
    if connection.vendor == "sqlite":
        copy = tmp_path / "served.sqlite3"
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(copy)])
        # As `make migrate` leaves it: WAL is persistent, set once before serving.
        with sqlite3.connect(copy) as db:
            db.execute("PRAGMA journal_mode=WAL")
        return f"sqlite:///{copy}"
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def served_counts(database_url: str) -> tuple[int, list[tuple]]:
    """Messages stored and counter rows, read from the server's own database."""
    if database_url.startswith("sqlite:///"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            messages = db.execute("SELECT count(*) FROM guide_contactmessage").fetchone()[0]
            rows = db.execute("SELECT digest, count, expires_at FROM core_ratecounter").fetchall()
        return messages, rows
    from fieldguide.core.models import RateCounter
    from fieldguide.guide.models import ContactMessage

    rows = list(RateCounter.objects.values_list("digest", "count", "expires_at"))
    return ContactMessage.objects.count(), rows


class Server:
    def __init__(self, database_url: str, var_dir: Path, redis_url: str = "") -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.log = var_dir / "gunicorn.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "FIELDGUIDE_VAR_DIR": str(var_dir),
            "SECRET_KEY": settings.SECRET_KEY,
            "TRUSTED_PROXIES": "127.0.0.1",
            "CONTACT_RATE": f"{CONTACT_LIMIT}/h",
            "PAGE_CACHE_SECONDS": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CONN_MAX_AGE": "0",
        }
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603
            [str(gunicorn), "fieldguide.wsgi:application", "--bind", f"fd://{self.sock.fileno()}"]
            + ["--workers", "2", "--threads", "4", "--timeout", "120", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            pass_fds=[self.sock.fileno()],
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 300  # a loaded two-core machine
        while True:
            try:
                if httpx.get(self.url + "/contact/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gunicorn did not start:\n" + self.log.read_text()[-3000:])
            time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.sock.close()


@pytest.fixture
def serve(database_url, tmp_path):
    servers: list[Server] = []

    def start(redis_url: str = "") -> Server:
        var_dir = tmp_path / f"var{len(servers)}"
        var_dir.mkdir()
        servers.append(Server(database_url, var_dir, redis_url))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def post_all(server: Server, addresses: list[str]) -> Counter:
    """POST one message per address, all at once, through the proxy header."""
    page = httpx.get(server.url + "/contact/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    data = {"csrfmiddlewaretoken": token.group(1)} if token else {}
    cookie = "; ".join(f"{name}={value}" for name, value in page.cookies.items())
    start = threading.Barrier(len(addresses))

    def send(n_address: tuple[int, str]) -> int:
        n, address = n_address
        start.wait()
        response = httpx.post(
            server.url + "/contact/",
            data={**data, "message": f"Message {n} sent at once."},
            headers={
                "Cookie": cookie,
                "X-Forwarded-For": address,
                "Origin": server.url,
                "Referer": server.url + "/contact/",
                "Sec-Fetch-Site": "same-origin",
            },
            timeout=120,
        )
        return response.status_code

    with ThreadPoolExecutor(len(addresses)) as pool:
        return Counter(pool.map(send, enumerate(addresses)))


def check(server: Server, database_url: str) -> None:
    fresh = [f"198.51.100.{n}" for n in range(1, CONCURRENT + 1)]
    assert post_all(server, fresh) == Counter({302: CONCURRENT}), server.log.read_text()[-2000:]
    one = ["203.0.113.77"] * CONCURRENT
    assert post_all(server, one) == Counter({302: CONTACT_LIMIT, 429: CONCURRENT - CONTACT_LIMIT})
    messages, _rows = served_counts(database_url)
    assert messages == CONCURRENT + CONTACT_LIMIT


def test_fifty_concurrent_posts_on_the_database_store(serve, database_url):
    server = serve()
    check(server, database_url)
    _messages, rows = served_counts(database_url)
    assert len(rows) == CONCURRENT + 1
    stored = repr(rows)
    assert "198.51.100." not in stored and "203.0.113." not in stored
    assert "database is locked" not in server.log.read_text()


def test_fifty_concurrent_posts_on_redis(serve, database_url, worker_id):
    url = redis_db_url(REDIS_DB_BASE, worker_id)
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        server = serve(url)
        check(server, database_url)
        keys = client.keys("fieldguide:rate:*")
        assert len(keys) == CONCURRENT + 1
        assert all(b"198.51.100." not in key and b"203.0.113." not in key for key in keys)
        assert served_counts(database_url)[1] == []
    finally:
        client.flushdb()
