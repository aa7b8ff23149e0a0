"""Rate limits: the client address behind proxies, the counter store, and the forms."""

from __future__ import annotations

import hashlib
import ipaddress
import time
from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.test import RequestFactory

from fieldguide.core import ratelimit
from fieldguide.core.models import RateCounter
from fieldguide.editorial.models import ResourceSuggestion
from fieldguide.guide.models import ContactMessage, SectionPage
from tests.core.conftest import redis_db_url

REDIS_DB_BASE = 8  # databases 8-11, one per test worker (see conftest)


def address(remote_addr: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return ratelimit.client_address(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **extra))


# Client address ------------------------------------------------------------------------


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ""
    assert address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = "10.0.0.1"
    assert address("203.0.113.9", "198.51.100.1, 10.0.0.1") == "203.0.113.9"


def test_the_header_is_read_right_to_left_skipping_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8,127.0.0.1"
    # The reader forged the first entry; the proxies appended the rest.
    assert address("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3") == "198.51.100.7"
    assert address("127.0.0.1", "10.1.2.3") == "10.1.2.3"
    assert address("127.0.0.1") == "127.0.0.1"


def test_a_hop_count_takes_that_many_entries_from_the_right(settings):
    settings.TRUSTED_PROXIES = "2"
    assert address("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.1") == "198.51.100.7"
    assert address("10.0.0.2", "198.51.100.7") == "198.51.100.7"
    assert address("10.0.0.2") == "10.0.0.2"


def test_a_unix_socket_peer_shares_one_name_unless_trusted(settings):
    settings.TRUSTED_PROXIES = ""
    assert address("", "198.51.100.7") == "unix"
    settings.TRUSTED_PROXIES = "unix"
    assert address("", "198.51.100.7") == "198.51.100.7"


def test_ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4(settings):
    settings.TRUSTED_PROXIES = ""
    assert address("2001:db8:1:2:aaaa::1") == address("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert address("::ffff:198.51.100.7") == "198.51.100.7"


def test_bad_settings_get_a_clear_message():
    with pytest.raises(ValueError, match="TRUSTED_PROXIES: 'nginx'"):
        ratelimit.parse_trusted_proxies("nginx")
    with pytest.raises(ValueError, match="CONTACT_RATE='five'"):
        ratelimit.parse_rate("five", "CONTACT_RATE")
    assert ratelimit.parse_rate("3/15m") == ratelimit.Rate(3, 900)


# Counter store -------------------------------------------------------------------------


@pytest.fixture
def redis_store(settings, db, worker_id):
    url = redis_db_url(REDIS_DB_BASE, worker_id)
    client = redis.Redis.from_url(url)
    client.flushdb()
    settings.REDIS_URL = url
    yield client
    client.flushdb()


@pytest.fixture(params=["database", "redis"])
def store(request, settings, db):
    if request.param == "redis":
        return request.getfixturevalue("redis_store")
    settings.REDIS_URL = ""
    return None


def test_the_counter_lets_through_exactly_the_limit(store):
    rate = ratelimit.Rate(3, 3600)
    assert [ratelimit.hit("t", "198.51.100.7", rate) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert ratelimit.hit("t", "198.51.100.8", rate)
    assert ratelimit.hit("other-scope", "198.51.100.7", rate)


def test_undo_gives_a_use_back(store):
    rate = ratelimit.Rate(1, 3600)
    assert ratelimit.hit("t", "a", rate)
    ratelimit.undo("t", "a", rate)
    assert ratelimit.hit("t", "a", rate)
    assert not ratelimit.hit("t", "a", rate)


def test_a_window_ends(store):
    rate = ratelimit.Rate(1, 1)
    time.sleep(1 - time.time() % 1 + 0.01)  # start of a window
    assert ratelimit.hit("t", "a", rate)
    assert not ratelimit.hit("t", "a", rate)
    time.sleep(1.05)
    assert ratelimit.hit("t", "a", rate)


def _forms_of(ip: str) -> set[str]:
    parsed = ipaddress.ip_address(ip)
    forms = {ip, parsed.packed.hex(), str(int(parsed)), parsed.exploded}
    for scope in ("", "contact", "login"):
        for algorithm in ("md5", "sha1", "sha256"):
            forms.add(hashlib.new(algorithm, (scope + ip).encode()).hexdigest())
    return forms


def test_no_counter_holds_the_address_in_any_form(store, settings):
    addresses = [f"198.51.100.{n}" for n in range(1, 40)]
    for ip in addresses:
        ratelimit.hit("contact", ip, ratelimit.Rate(5, 3600))
    if store is None:
        rows = list(RateCounter.objects.values_list("digest", "count", "expires_at"))
        stored = " ".join(f"{d} {c} {e.isoformat()}" for d, c, e in rows)
    else:
        rows = store.keys("*")
        stored = " ".join(key.decode() + " " + store.get(key).decode() for key in rows)
    assert len(rows) == len(addresses)
    for ip in addresses:
        for form in _forms_of(ip):
            assert form not in stored, (ip, form)
    # The digest is keyed: without SECRET_KEY nobody can recompute it from a guess.
    digest = ratelimit._digest("contact", "198.51.100.1", ratelimit.Rate(5, 3600), 1)
    settings.SECRET_KEY = "another key"
    assert ratelimit._digest("contact", "198.51.100.1", ratelimit.Rate(5, 3600), 1) != digest


def test_expired_counter_rows_are_deleted(db, settings):
    settings.REDIS_URL = ""
    rate = ratelimit.Rate(5, 3600)
    for ip in ("198.51.100.1", "198.51.100.2"):
        ratelimit.hit("contact", ip, rate)
    RateCounter.objects.update(expires_at=datetime.now(UTC) - timedelta(seconds=1))
    ratelimit.hit("contact", "198.51.100.3", rate)
    assert RateCounter.objects.count() == 1


def test_redis_counters_expire_with_their_window(redis_store):
    ratelimit.hit("contact", "198.51.100.1", ratelimit.Rate(5, 3600))
    (key,) = redis_store.keys("*")
    assert 0 < redis_store.ttl(key) <= 3600


def test_a_broken_store_fails_closed(db, settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:9/3"  # nothing listens on the discard port
    ratelimit._redis.cache_clear()
    assert not ratelimit.hit("contact", "198.51.100.1", ratelimit.Rate(5, 3600))
    assert "Rate-limit store failed for contact" in caplog.text
    assert "198.51.100.1" not in caplog.text


# Forms ---------------------------------------------------------------------------------


def test_a_contact_form_with_errors_does_not_use_up_the_quota(client, guide, settings):
    settings.CONTACT_RATE = "2/h"
    for _ in range(4):
        assert client.post("/contact/", {"message": "  ", "email": "nope"}).status_code == 400
        assert client.post("/contact/", {"message": "Spam", "website": "x"}).status_code == 302
    for n in range(2):
        assert client.post("/contact/", {"message": f"Message {n}"}).status_code == 302
    assert client.post("/contact/", {"message": "One too many"}).status_code == 429
    assert ContactMessage.objects.count() == 2


def test_a_suggestion_with_errors_does_not_use_up_the_quota(client, guide, settings):
    settings.SUGGEST_RATE = "1/h"
    url = f"/suggest/{SectionPage.objects.get(slug='section-1').pk}/"
    good = {"url": "https://www.example.org/a", "reason": "It fits."}
    for _ in range(4):
        assert client.post(url, {"url": "not a url", "reason": ""}).status_code == 400
        assert client.post(url, {**good, "website": "http://spam.example"}).status_code == 302
    assert client.post(url, good).status_code == 302
    assert client.post(url, {**good, "url": "https://www.example.org/b"}).status_code == 429
    assert ResourceSuggestion.objects.count() == 1


def test_contact_limits_are_per_client_behind_a_proxy(client, guide, settings):
    settings.CONTACT_RATE = "1/h"
    settings.TRUSTED_PROXIES = "127.0.0.1"
    for n in range(5):
        response = client.post(
            "/contact/", {"message": f"Hello {n}"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
        assert response.status_code == 302
    again = client.post("/contact/", {"message": "Again"}, HTTP_X_FORWARDED_FOR="198.51.100.0")
    assert again.status_code == 429


def test_unreadable_settings_stop_manage_py_with_the_setting_named(settings):
    settings.LOGIN_ACCOUNT_RATE = "5 per hour"
    settings.TRUSTED_PROXIES = "10.0.0.0/33"
    messages = [error.msg for error in ratelimit.check_settings()]
    assert any(m.startswith("LOGIN_ACCOUNT_RATE='5 per hour' is not a rate") for m in messages)
    assert any(m.startswith("TRUSTED_PROXIES: '10.0.0.0/33'") for m in messages)
