"""The one outbound client, against real HTTP servers on loopback.

Each refusal is asserted from the server's side too: a refused fetch must not even
open a connection to the address it refuses.
"""

from __future__ import annotations

import ipaddress
import socket

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from fieldguide.core import outbound
from fieldguide.linkhealth.checker import run_sync
from tests.conftest import IN_CI
from tests.servers import RecordingServer, trickle


@pytest.fixture
def target():
    """A server at a loopback address nobody allows: what an attacker wants reached."""
    with RecordingServer() as server:
        server.page("/", b"<title>Internal admin</title>")
        yield server


@pytest.fixture
def allowed(settings):
    """A test server the setting lets through, as every fetching test's server is."""
    with RecordingServer() as server:
        server.page("/ok", b"<title>Public page</title>")
        settings.FIELDGUIDE_OUTBOUND_ALLOW = [server.origin]
        yield server


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything looks up a name or opens a connection."""
    calls: list[tuple] = []

    def forbidden(name):
        def record(*args, **kwargs):
            calls.append((name, args))
            raise AssertionError(f"{name} called with {args}")

        return record

    monkeypatch.setattr(socket, "getaddrinfo", forbidden("getaddrinfo"))
    monkeypatch.setattr(socket, "create_connection", forbidden("create_connection"))
    return calls


@pytest.mark.parametrize(
    "netloc, reason",
    [
        ("127.0.0.1:{port}", "loopback"),
        ("localhost:{port}", "this server or its local network"),
        ("LOCALHOST.:{port}", "this server or its local network"),
        ("admin.localhost:{port}", "this server or its local network"),
        ("0.0.0.0:{port}", "reaches this server itself"),
        ("2130706433:{port}", "non-standard way"),
        ("0x7f.1:{port}", "non-standard way"),
        ("0x7f000001:{port}", "non-standard way"),
        ("0177.0.0.1:{port}", "non-standard way"),
        ("127.1:{port}", "non-standard way"),
        ("[::ffff:127.0.0.1]:{port}", "loopback"),
        ("[::ffff:7f00:1]:{port}", "loopback"),
    ],
)
def test_loopback_in_every_spelling_is_refused_without_a_connection(target, netloc, reason):
    url = f"http://{netloc.format(port=target.port)}/"
    with pytest.raises(outbound.OutboundRefused, match=reason) as refused:
        outbound.fetch(url)
    host = netloc.split(":{port}")[0].strip("[]").lower()
    assert str(refused.value).startswith(f"Refused to fetch from {host}: ")
    assert target.connections == 0


def test_ipv6_loopback_is_refused_without_a_connection():
    try:
        server = RecordingServer("::1")
    except OSError:
        if IN_CI:
            pytest.fail("this machine has no IPv6 loopback and CI=true")
        pytest.skip("this machine has no IPv6 loopback")
    with server:
        with pytest.raises(outbound.OutboundRefused, match=r"::1: it is a loopback address"):
            outbound.fetch(server.url("/"))
        assert server.connections == 0


@pytest.mark.parametrize(
    "host, reason",
    [
        ("169.254.169.254", "link-local"),
        ("[fe80::1]", "link-local"),
        ("10.1.2.3", "private network"),
        ("172.16.0.1", "private network"),
        ("192.168.1.1", "private network"),
        ("[fc00::1]", "private network"),
        ("[fd12:3456::1]", "private network"),
        ("100.64.0.1", "shared address"),
        ("224.0.0.1", "multicast"),
        ("[ff02::1]", "multicast"),
        ("192.0.2.10", "documentation"),
        ("198.18.0.1", "benchmarks"),
        ("[2001:db8::1]", "documentation"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("[::]", "reaches this server itself"),
        ("[::ffff:169.254.169.254]", "link-local"),
        ("[::ffff:10.0.0.1]", "private network"),
        ("[2002:a9fe:a9fe::1]", "IPv6 form of 169.254.169.254"),
        ("[64:ff9b::a00:1]", "IPv6 form of 10.0.0.1"),
        ("printer.local", "local network"),
        ("db.internal", "local network"),
        ("router.home.arpa", "local network"),
        ("intranet", "one-word host name"),
    ],
)
def test_non_public_addresses_are_refused_before_any_lookup(no_network, host, reason):
    with pytest.raises(outbound.OutboundRefused, match=reason):
        outbound.fetch(f"http://{host}/latest/meta-data/")
    assert no_network == []


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1"])
def test_public_addresses_pass(address):
    assert outbound.address_refusal(ipaddress.ip_address(address)) == ""


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "gopher://x.org/"])
def test_only_http_and_https_are_fetched(no_network, url):
    with pytest.raises(outbound.OutboundRefused, match="only http and https"):
        outbound.fetch(url)


def test_an_allowed_test_server_is_fetched(allowed):
    page = outbound.fetch(allowed.url("/ok"))
    assert (page.status_code, page.content) == (200, b"<title>Public page</title>")
    assert page.url == allowed.url("/ok") and page.redirects == []


def test_the_allow_setting_is_exact_host_and_port(allowed, target):
    with pytest.raises(outbound.OutboundRefused, match="loopback"):
        outbound.fetch(target.url("/"))
    with pytest.raises(outbound.OutboundRefused, match="local network"):
        outbound.fetch(f"http://localhost:{allowed.port}/ok")
    assert allowed.connections == target.connections == 0


def test_a_malformed_allow_entry_is_a_clear_configuration_error(settings):
    settings.FIELDGUIDE_OUTBOUND_ALLOW = ["127.0.0.1"]
    with pytest.raises(ImproperlyConfigured, match="'127.0.0.1' is not host:port"):
        outbound.Policy.from_settings()


def test_redirect_to_a_loopback_port_not_allowed_is_refused(allowed, target):
    url = allowed.redirect("/away", target.url("/"))
    with pytest.raises(
        outbound.OutboundRefused, match=r"^Refused to fetch from 127\.0\.0\.1: it is a loopback"
    ):
        outbound.fetch(url)
    assert allowed.paths == ["/away"]
    assert target.connections == 0


@pytest.mark.parametrize(
    "location, reason",
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://localhost/", "local network"),
        ("http://2130706433/", "non-standard way"),
        ("http://[::1]/", "loopback"),
    ],
)
def test_redirects_to_internal_addresses_are_refused(allowed, location, reason):
    with pytest.raises(outbound.OutboundRefused, match=reason):
        outbound.fetch(allowed.redirect("/away", location))


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.org/", "gopher://x/"])
def test_redirect_that_changes_scheme_is_refused(allowed, location):
    with pytest.raises(outbound.OutboundRefused, match="only http and https are fetched"):
        outbound.fetch(allowed.redirect("/away", location))


def test_https_may_not_redirect_to_http_but_http_may_upgrade():
    with pytest.raises(outbound.OutboundRefused, match="from https to http"):
        outbound.check_redirect("https://example.org/a", "http://example.org/b")
    outbound.check_redirect("http://example.org/a", "https://example.org/b")


def test_redirects_are_capped_by_the_setting(allowed, settings):
    settings.FIELDGUIDE_OUTBOUND_MAX_REDIRECTS = 3
    for n in range(4):
        allowed.redirect(f"/hop{n}", f"/hop{n + 1}")
    allowed.page("/hop4", b"end")
    with pytest.raises(outbound.OutboundRefused, match="redirects more than 3 times"):
        outbound.fetch(allowed.url("/hop0"))
    page = outbound.fetch(allowed.url("/hop1"))
    assert page.content == b"end" and len(page.redirects) == 3


def test_the_default_redirect_cap_is_five(allowed):
    for n in range(6):
        allowed.redirect(f"/hop{n}", f"/hop{n + 1}")
    allowed.page("/hop6", b"end")
    assert len(outbound.fetch(allowed.url("/hop1")).redirects) == 5
    with pytest.raises(outbound.OutboundRefused, match="more than 5 times"):
        outbound.fetch(allowed.url("/hop0"))


def test_an_answer_larger_than_the_cap_is_refused_or_cut(allowed, settings):
    allowed.page("/big", b"x" * 50_000, "text/plain")
    with pytest.raises(outbound.OutboundRefused, match="larger than 10,000 bytes"):
        outbound.fetch(allowed.url("/big"), max_bytes=10_000)
    assert len(outbound.fetch(allowed.url("/big"), max_bytes=10_000, truncate=True).content) == (
        10_000
    )
    settings.FIELDGUIDE_OUTBOUND_MAX_BYTES = 20_000
    with pytest.raises(outbound.OutboundRefused, match="larger than 20,000 bytes"):
        outbound.fetch(allowed.url("/big"), max_bytes=10**9)


def test_a_trickling_answer_is_cut_off_at_the_total_time(allowed):
    """Each byte comes well within the read timeout; the whole does not."""
    allowed.routes["/slow"] = trickle(chunks=40, pause=0.05)
    with pytest.raises(httpx.TimeoutException, match="did not finish answering within 0.5 s"):
        outbound.fetch(allowed.url("/slow"), timeout=0.5)


def test_a_name_is_checked_on_the_address_actually_connected_to(monkeypatch, target):
    """DNS rebinding: the name looks public when checked, then answers 127.0.0.1."""
    real = socket.getaddrinfo
    answers = iter(["93.184.215.14", "127.0.0.1"])

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.example":
            return real(next(answers), port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://rebind.example:{target.port}/"
    outbound.validate_url(url, resolve=True)
    with pytest.raises(
        outbound.OutboundRefused, match="rebind.example: it resolves to 127.0.0.1, a loopback"
    ):
        outbound.fetch(url)
    assert target.connections == 0


def test_the_client_connects_to_the_address_it_checked(monkeypatch):
    looked_up, connected = [], []

    def resolve(host, port, *args, **kwargs):
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    def connect(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("not in this test")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    with pytest.raises(httpx.ConnectError):
        outbound.fetch("http://public.example/")
    assert looked_up == ["public.example"]
    assert connected == [("93.184.215.14", 80)]


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, no_network):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(outbound.OutboundRefused, match="resolves to 10.0.0.7, a private"):
        outbound.validate_url("https://intranet.example/", resolve=True)
    with pytest.raises(outbound.OutboundRefused, match="resolves to 10.0.0.7, a private"):
        outbound.fetch("https://intranet.example/")


def test_httpx_following_redirects_itself_still_gets_each_hop_checked(allowed, target):
    with outbound.client() as http, pytest.raises(outbound.OutboundRefused, match="loopback"):
        http.get(allowed.redirect("/away", target.url("/")), follow_redirects=True)
    assert target.connections == 0


def test_the_async_client_refuses_the_same_way(allowed, target):
    async def run():
        async with outbound.async_client() as http:
            ok = await http.get(allowed.url("/ok"))
            with pytest.raises(outbound.OutboundRefused, match="loopback"):
                await http.get(target.url("/"))
            with pytest.raises(outbound.OutboundRefused, match="link-local"):
                await http.get("http://169.254.169.254/")
            return ok.status_code

    assert run_sync(run) == 200
    assert target.connections == 0


def test_the_async_client_checks_the_address_it_connects_to(monkeypatch, target):
    real = socket.getaddrinfo

    def to_loopback(host, port, *args, **kwargs):
        if host in ("sneaky.example", b"sneaky.example"):
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", to_loopback)

    async def run():
        async with outbound.async_client() as http:
            await http.get(f"http://sneaky.example:{target.port}/")

    with pytest.raises(outbound.OutboundRefused, match="resolves to 127.0.0.1"):
        run_sync(run)
    assert target.connections == 0


def test_proxy_settings_in_the_environment_are_ignored(allowed, monkeypatch):
    """A proxy would resolve names itself, out of the check's sight."""
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")
    assert outbound.fetch(allowed.url("/ok")).status_code == 200
