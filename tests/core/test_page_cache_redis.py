"""The page cache on Redis under a publish with concurrent reads, through a live server.

The race is made deterministic: a ``page_published`` receiver holds the publish inside
its transaction, before the commit, while reader threads fetch the page over HTTP. They
see the committed (old) page; once the publish commits, the next reader must get the
new one, never the old page stored during the publish.
"""

from __future__ import annotations

import os
import threading
import uuid

import httpx
import pytest
import redis
from django.db import transaction
from wagtail.signals import page_published

from fieldguide.guide.models import SectionPage
from tests.conftest import IN_CI
from tests.factories import make_guide

REDIS_URL = os.environ.get("FIELDGUIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
NEW_TITLE = "Renamed while readers were reading"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_caches(settings):
    """Both caches on Redis, under a key prefix of this test's own (nothing else flushed)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if IN_CI:
            pytest.fail(f"Redis is not reachable at {REDIS_URL} and CI=true")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"fieldguide-test-{uuid.uuid4().hex}"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    settings.CACHES = {
        "default": {**backend, "KEY_PREFIX": prefix},
        "shared": {**backend, "KEY_PREFIX": prefix},
    }
    yield
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def fetch(url: str) -> httpx.Response:
    response = httpx.get(url, headers={"Accept-Encoding": "br, gzip"}, timeout=60)
    assert response.status_code == 200
    return response


# In-memory SQLite shares the test's connection with the live server, so a reader would
# see the uncommitted publish: the race can only be staged on PostgreSQL.
@pytest.mark.postgres_only
def test_a_read_during_a_publish_is_not_served_after_the_commit(redis_caches, live_server):
    make_guide()
    url = f"{live_server.url}/section-1/"
    assert NEW_TITLE not in fetch(url).text
    assert fetch(url).headers["X-Page-Cache"] == "hit"
    during: list[httpx.Response] = []

    def read_while_publishing(**kwargs) -> None:
        readers = [threading.Thread(target=lambda: during.append(fetch(url))) for _ in range(4)]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=120)

    page_published.connect(read_while_publishing, weak=False, dispatch_uid="test-reader")
    try:
        section = SectionPage.objects.get(slug="section-1")
        section.title = NEW_TITLE
        with transaction.atomic():  # as load_guide and "Update everywhere" publish
            section.save_revision().publish()
    finally:
        page_published.disconnect(dispatch_uid="test-reader")
    assert len(during) == 4
    assert not any(NEW_TITLE in response.text for response in during)
    after = fetch(url)
    assert NEW_TITLE in after.text
    assert NEW_TITLE in fetch(f"{live_server.url}/").text
