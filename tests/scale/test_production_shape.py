"""Two app instances on PostgreSQL and Redis behind Varnish: a publish is seen at once,
an instance can stop under load, and a purge the front cache missed is sent again.

One test, in phases, because starting the shape costs most of its time.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection

from .production import Shape, free_port, get, shape_env

# django_db: so that the test database (the copied template) is set up for this module.
pytestmark = [pytest.mark.scale, pytest.mark.postgres_only, pytest.mark.django_db]

# Pages that show the section's title (the contents and the neighbour's navigation).
AFFECTED = ("/", "/section-1/", "/section-2/")
REDIS_DB = 6  # no other test uses it; keys carry a per-run prefix as well

SETUP = """
from tests.factories import make_guide
make_guide()
"""

PUBLISH = """
import time
from django.db import transaction
from fieldguide.guide.models import SectionPage
from fieldguide.core.models import PendingPurge
with transaction.atomic():
    page = SectionPage.objects.get(slug="section-1")
    page.title = {title!r}
    page.save_revision().publish()
print("published-at", time.time())
print("pending", PendingPurge.objects.count())
"""


def _database_url(name: str) -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{name}"
    )


@pytest.fixture(scope="module")
def shape(tmp_path_factory, django_db_setup, django_db_blocker):
    if not shutil.which("varnishd") and not os.path.exists("/usr/sbin/varnishd"):
        if os.environ.get("CI") == "true":
            pytest.fail("varnishd is missing (.ci/run installs Debian's varnish)")
        pytest.skip("varnishd is not installed (apt-get install varnish)")
    # A copy of this worker's migrated test database (its cache table too), filled by
    # the instances' own code: migrating from scratch would double the test's time.
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            template = cursor.fetchone()[0]
        name = f"{template}_scale"[:60]
        admin_url = _database_url("postgres")
        connection.close()  # a template may have no open connection
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    workdir = tmp_path_factory.mktemp("shape")
    front_port = free_port()
    env = shape_env(workdir, _database_url(name), f"redis://127.0.0.1:6379/{REDIS_DB}", front_port)
    running = Shape(workdir, env, [free_port(), free_port()], front_port)
    try:
        running.manage(script=SETUP, timeout=120)
        running.start_app(0)
        running.start_app(1)
        running.start_varnish()
        running.wait_app(0)
        running.wait_app(1)
        running.wait_front()
        yield running
    finally:
        running.stop()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _through_front(shape: Shape, path: str):
    return get(shape.front_port, path, {"Accept-Encoding": "br"})


def _warm(shape: Shape) -> None:
    deadline = time.monotonic() + 10
    for path in AFFECTED:
        while True:
            reply = _through_front(shape, path)
            assert reply.status == 200, (path, reply.status)
            if reply.headers.get("X-Cache") == "HIT":
                break
            assert time.monotonic() < deadline, (path, reply.headers)


class Readers:
    """Threads reading every affected page through the front, noting old or new."""

    def __init__(self, shape: Shape, old: bytes, new: bytes) -> None:
        self.shape, self.old, self.new = shape, old, new
        self.seen: list[tuple[float, str, str, int]] = []  # (started, path, old/new, status)
        self.stopped = threading.Event()
        self.threads = [threading.Thread(target=self._read, args=(p,)) for p in AFFECTED]

    def _read(self, path: str) -> None:
        while not self.stopped.is_set():
            started = time.time()
            reply = get(self.shape.front_port, path, {"Accept-Encoding": "identity"})
            text = "new" if self.new in reply.body else "old" if self.old in reply.body else "?"
            self.seen.append((started, path, text, reply.status))
            time.sleep(0.02)

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join()


def published_generation(shape: Shape) -> str:
    return _through_front(shape, "/section-1/").headers["X-Fieldguide-Generation"]


def _published_at(output: str) -> tuple[float, int]:
    lines = dict(line.split(" ", 1) for line in output.splitlines() if " " in line)
    return float(lines["published-at"]), int(lines["pending"])


def test_production_shape(shape: Shape):
    # Shared pages are cacheable by the front, tagged with the generation, compressed.
    _warm(shape)
    _through_front(shape, "/about/")
    hit = _through_front(shape, "/section-1/")
    assert hit.headers["X-Cache"] == "HIT"
    assert hit.headers["Content-Encoding"] == "br"
    assert "public" in hit.headers["Cache-Control"]
    assert "X-Fieldguide-Url" not in hit.headers
    search = _through_front(shape, "/search/?q=harm")
    assert search.headers["X-Cache"] == "PASS" and "no-store" in search.headers["Cache-Control"]
    # Nobody but the purgers' ACL may ban: the ACL is loopback, so here we only check
    # that a ban without a target is refused rather than banning everything.
    from urllib.request import Request, urlopen

    with pytest.raises(Exception, match="400"):
        urlopen(Request(f"http://127.0.0.1:{shape.front_port}/", method="BAN"), timeout=5)

    # 1. A publish through one instance's code is seen on every page within a second,
    # and no request started after it returns gets the page from before.
    with Readers(shape, b"Section 1", b"Renamed at scale") as readers:
        time.sleep(0.3)
        output = shape.manage(script=PUBLISH.format(title="Renamed at scale"))
        published_at, pending = _published_at(output)
        time.sleep(1.3)
    assert pending == 0, output
    assert all(status == 200 for *_, status in readers.seen)
    # A page that does not show the title was dropped by the same one ban.
    about = _through_front(shape, "/about/")
    assert about.headers["X-Fieldguide-Generation"] == published_generation(shape)
    for path in AFFECTED:
        mine = [s for s in readers.seen if s[1] == path]
        assert any(s[2] == "new" for s in mine), (path, {s[2] for s in mine}, output)
        first_new = min(started for started, _, text, _ in mine if text == "new")
        assert first_new - published_at <= 1.0, (path, first_new - published_at)
        late_old = [s for s in mine if s[2] == "old" and s[0] > published_at]
        assert not late_old, (path, late_old[:3])
    _warm(shape)

    # 2. A ban sent while the front cache is down is kept, and sent again once it is back.
    shape.stop_varnish()
    output = shape.manage(script=PUBLISH.format(title="Renamed twice"))
    assert _published_at(output)[1] == 2, output  # the ban and the page's own purge
    assert "ban of" in output and "kept for retry" in output
    shape.start_varnish()
    shape.wait_front()
    _warm(shape)
    report = shape.manage("check_front_cache", "--retry", "--path", "/section-2/")
    assert "2 sent, 0 still failing" in report, report
    assert "purge took effect" in report, report
    assert "Purges kept for retry: 0." in report, report
    assert b"Renamed twice" in _through_front(shape, "/section-2/").body

    # 3. One instance stops under load: readers of cached pages get no error, and nor do
    # readers of pages the front must fetch (it asks the instance still running).
    _warm(shape)
    errors: list[tuple[str, int]] = []
    count = [0]
    stop = threading.Event()

    def load(paths: tuple[str, ...]) -> None:
        n = 0
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                status = _through_front(shape, path).status
            except OSError as error:
                errors.append((path, str(error)))
                continue
            count[0] += 1
            if status != 200:
                errors.append((path, status))

    threads = [threading.Thread(target=load, args=(AFFECTED,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    shape.stop_app(1)
    time.sleep(1.5)
    stop.set()
    for thread in threads:
        thread.join()
    assert count[0] > 100
    assert not errors, errors[:5]
    uncached = _through_front(shape, "/glossary/?fresh=1")
    assert uncached.status == 200, uncached.status

    # 4. Both instances down: cached pages are still served.
    shape.stop_app(0)
    for path in AFFECTED:
        reply = _through_front(shape, path)
        assert reply.status == 200 and reply.headers["X-Cache"] == "HIT", path
    assert urlsplit(shape.env["FRONT_CACHE_URL"]).port == shape.front_port
