"""The one outbound HTTP client: every fetch Fieldguide makes goes through here.

A reader can suggest any address, any page can redirect anywhere, and an import can
name any URL. A careless fetch from this server reaches what only this server can
reach: itself (127.0.0.1, localhost), its private network, the cloud metadata service
at 169.254.169.254. So this client

- fetches only ``http`` and ``https``, and refuses hosts that are not public internet
  names: ``localhost`` and ``*.localhost``, private-use names (``.local``, ``.internal``,
  ``.home.arpa``), single-label names (completed by the resolver's search domains), and
  IP addresses written in decimal, octal or hexadecimal (``2130706433``, ``0x7f.1``);
- resolves each name itself, refuses it if any of its addresses is not public (see
  :func:`address_refusal`), and connects to the checked address only, keeping the name
  for the Host header and TLS (SNI and certificate), so a name that answers differently
  the second time (DNS rebinding) gains nothing;
- follows redirects itself (:func:`fetch`), checks every hop the same way, allows at
  most ``FIELDGUIDE_OUTBOUND_MAX_REDIRECTS`` of them, and lets a redirect go from http to
  https but never back, nor to any other scheme;
- reads at most ``FIELDGUIDE_OUTBOUND_MAX_BYTES`` and gives up after
  ``FIELDGUIDE_OUTBOUND_TIMEOUT`` seconds in all (callers may ask for less);
- ignores ``HTTP_PROXY``/``HTTPS_PROXY``: a proxy resolves names itself, out of sight of
  the check.

``FIELDGUIDE_OUTBOUND_ALLOW`` names exact ``host:port`` pairs let through anyway (a test
server, a bench, a mirror the operator trusts); it is empty by default.

A refusal raises :class:`OutboundRefused`, whose message names the host and the reason.
Network failures stay httpx errors, so callers tell "could not" from "would not".
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import anyio
import certifi
import httpcore
import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Names that never leave the local network (RFC 6761, RFC 6762, RFC 8375, ICANN 2024).
LOCAL_NAMES = ("localhost", "local", "internal", "home.arpa")
# Every label a number: decimal, octal (leading 0) or hex (0x); resolvers read such a
# host as an IPv4 address however it is written ("127.1", "2130706433", "0x7f.1").
NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
SHARED_CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
DOCUMENTATION = tuple(
    ipaddress.ip_network(net)
    for net in (
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "198.18.0.0/15",  # benchmarking
        "2001:db8::/32",
        "3fff::/20",
    )
)
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class OutboundRefused(Exception):
    """A fetch this client will not make; the message names the host and why, plainly."""

    def __init__(self, host: str, reason: str) -> None:
        self.host = host
        self.reason = reason
        super().__init__(f"Refused to fetch from {host}: {reason}.")


def address_refusal(ip: IPAddress) -> str:
    """What makes ``ip`` not a public internet address, as a noun phrase; "" if it is one.

    IPv6 forms that carry an IPv4 address (IPv4-mapped, 6to4, NAT64) are judged by the
    IPv4 address they reach.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_refusal(ip.ipv4_mapped)
        embedded = ip.sixtofour or (
            ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in NAT64 else None
        )
        if embedded is not None and address_refusal(embedded):
            return f"an IPv6 form of {embedded}, {address_refusal(embedded)}"
    if ip.is_loopback:
        return "a loopback address (this server itself)"
    if ip.is_unspecified or ip in THIS_NETWORK:
        return "an unspecified address, which reaches this server itself"
    if ip.is_link_local:
        return "a link-local address, where cloud servers answer with their own secrets"
    if ip in SHARED_CGNAT:
        return "a shared address (100.64.0.0/10) inside a carrier's or cloud's network"
    if ip.is_multicast:
        return "a multicast address"
    if any(ip in net for net in DOCUMENTATION):
        return "an address reserved for documentation and benchmarks"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private network address"
    if not ip.is_global:
        return "not a public internet address"
    return ""


def _parse_allow(entry: str) -> tuple[str, int]:
    try:
        parts = urlsplit(f"//{entry.strip()}")
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if not host or port is None:
        raise ImproperlyConfigured(
            f"FIELDGUIDE_OUTBOUND_ALLOW: {entry!r} is not host:port "
            "(for example 127.0.0.1:8000 or [::1]:8000)."
        )
    return host.lower().rstrip("."), port


@dataclass(frozen=True)
class Policy:
    """What the client lets through; :meth:`from_settings` reads it from settings."""

    max_redirects: int
    max_bytes: int
    timeout: float
    allow: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    @classmethod
    def from_settings(cls, *, extra_allow: Iterable[str] = ()) -> Policy:
        entries = [*settings.FIELDGUIDE_OUTBOUND_ALLOW, *extra_allow]
        return cls(
            max_redirects=settings.FIELDGUIDE_OUTBOUND_MAX_REDIRECTS,
            max_bytes=settings.FIELDGUIDE_OUTBOUND_MAX_BYTES,
            timeout=settings.FIELDGUIDE_OUTBOUND_TIMEOUT,
            allow=frozenset(_parse_allow(entry) for entry in entries),
        )

    def allows(self, host: str, port: int) -> bool:
        return (host.lower().rstrip("."), port) in self.allow


def _host(url: httpx.URL) -> str:
    return url.raw_host.decode("ascii").lower()


def _port(url: httpx.URL) -> int:
    return url.port or DEFAULT_PORTS.get(url.scheme, 0)


def _parse(url: str | httpx.URL) -> httpx.URL:
    if isinstance(url, httpx.URL):
        return url
    try:
        return httpx.URL(url)
    except httpx.InvalidURL:
        host = ""
        with contextlib.suppress(ValueError):
            host = urlsplit(url).hostname or ""
        reason = (_host_refusal(host) if host else "") or "it is not a valid web address"
        raise OutboundRefused(host or url[:80], reason) from None


def _host_refusal(host: str) -> str:
    """Why a host, as written in a URL, is not a public name or address; "" if it is."""
    name = host.rstrip(".")
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        reason = address_refusal(ip)
        return f"it is {reason}" if reason else ""
    if NUMERIC_HOST.match(name):
        return "it is an IP address written in a non-standard way (octal, hex or decimal)"
    if any(name == local or name.endswith(f".{local}") for local in LOCAL_NAMES):
        return "names like this one point at this server or its local network"
    if "." not in name:
        return "a one-word host name is not a public internet name"
    return ""


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _public_addresses(host: str, addresses: list[str]) -> list[str]:
    """``addresses`` when every one is public; else OutboundRefused naming the first bad one."""
    for address in addresses:
        reason = address_refusal(ipaddress.ip_address(address.split("%")[0]))
        if reason:
            raise OutboundRefused(host, f"it resolves to {address}, {reason}")
    return addresses


def validate_url(
    url: str | httpx.URL, policy: Policy | None = None, *, resolve: bool = False
) -> httpx.URL:
    """The parsed URL, or OutboundRefused if the client would refuse to fetch it.

    Without ``resolve`` no network is used: the scheme and the host as written are
    checked (an IP address fully). With it, a name is also looked up and each of its
    addresses checked (a name that does not resolve is not refused: it reaches nothing);
    fetching checks the addresses again when it connects.
    """
    policy = policy or Policy.from_settings()
    parsed = _parse(url)
    host = _host(parsed)
    if parsed.scheme not in SCHEMES:
        shown = host or str(url)[:80]
        raise OutboundRefused(
            shown, f"only http and https addresses are fetched, not {parsed.scheme or 'this'}"
        )
    if not host:
        raise OutboundRefused(str(url)[:80], "the address has no host")
    if policy.allows(host, _port(parsed)):
        return parsed
    reason = _host_refusal(host)
    if reason:
        raise OutboundRefused(host, reason)
    if resolve:
        try:
            addresses = _resolve(host, _port(parsed))
        except httpcore.ConnectError:
            # A name that does not resolve reaches nothing; fetching it fails on its own.
            return parsed
        _public_addresses(host, addresses)
    return parsed


def check_redirect(source: str | httpx.URL, target: str | httpx.URL) -> None:
    """OutboundRefused if a redirect from ``source`` to ``target`` changes scheme unsafely.

    http to https is an upgrade and allowed; https to http, or to anything else, is not.
    """
    before, after = _parse(source), _parse(target)
    if after.scheme not in SCHEMES:
        raise OutboundRefused(
            _host(after) or _host(before),
            f"it redirects to a {after.scheme or 'schemeless'}: address; "
            "only http and https are fetched",
        )
    if before.scheme == "https" and after.scheme == "http":
        raise OutboundRefused(
            _host(after), "it redirects from https to http, which would drop encryption"
        )


class GuardedBackend(httpcore.NetworkBackend):
    """Connects only to public addresses it resolved and checked itself."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.NetworkStream:
        if self.policy.allows(host, port):
            addresses = [host]
        else:
            addresses = _public_addresses(host, _resolve(host, port))
        error: Exception | None = None
        for address in addresses:
            try:
                return self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(self, *args, **kwargs) -> httpcore.NetworkStream:
        raise OutboundRefused("a unix socket", "only internet addresses are fetched")


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    """The asyncio twin of :class:`GuardedBackend`; the lookup runs off the event loop."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[str]:
        try:
            with anyio.fail_after(timeout):
                infos = await anyio.getaddrinfo(host.encode("ascii"), port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long") from exc
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if self.policy.allows(host, port):
            addresses = [host]
        else:
            addresses = _public_addresses(host, await self._resolve(host, port, timeout))
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error or httpcore.ConnectError(f"{host} has no address")

    async def connect_unix_socket(self, *args, **kwargs) -> httpcore.AsyncNetworkStream:
        raise OutboundRefused("a unix socket", "only internet addresses are fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@functools.cache
def default_tls() -> ssl.SSLContext:
    """One TLS context for the process, trusting certifi's CA bundle."""
    return ssl.create_default_context(cafile=certifi.where())


def _pool_options(limits: httpx.Limits) -> dict:
    return {
        "max_connections": limits.max_connections,
        "max_keepalive_connections": limits.max_keepalive_connections,
        "keepalive_expiry": limits.keepalive_expiry,
    }


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport on a :class:`GuardedBackend`; every request's URL checked first.

    httpx has no argument for the network backend, so the connection pool it builds is
    replaced by the same pool on the guarded backend. Even a caller that lets httpx
    follow redirects gets each hop checked here and at connect time.
    """

    def __init__(
        self,
        policy: Policy,
        verify: ssl.SSLContext | None = None,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        context = verify or default_tls()
        super().__init__(verify=context, limits=limits, trust_env=False)
        self.policy = policy
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, network_backend=GuardedBackend(policy), **_pool_options(limits)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        validate_url(request.url, self.policy)
        return super().handle_request(request)


class AsyncGuardedTransport(httpx.AsyncHTTPTransport):
    """The async twin of :class:`GuardedTransport`."""

    def __init__(
        self,
        policy: Policy,
        verify: ssl.SSLContext | None = None,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        context = verify or default_tls()
        super().__init__(verify=context, limits=limits, trust_env=False)
        self.policy = policy
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            network_backend=AsyncGuardedBackend(policy),
            **_pool_options(limits),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        validate_url(request.url, self.policy)
        return await super().handle_async_request(request)


def _client_options(policy: Policy, options: dict) -> dict:
    """Never follow redirects (fetch checks each hop) and never read proxies from the env."""
    return {"follow_redirects": False, "trust_env": False, "timeout": policy.timeout, **options}


def client(
    policy: Policy | None = None,
    *,
    limits: httpx.Limits = DEFAULT_LIMITS,
    verify: ssl.SSLContext | None = None,
    **options,
) -> httpx.Client:
    """An httpx Client on the guarded transport; it does not follow redirects."""
    policy = policy or Policy.from_settings()
    transport = GuardedTransport(policy, verify=verify, limits=limits)
    return httpx.Client(transport=transport, **_client_options(policy, options))


def async_client(
    policy: Policy | None = None,
    *,
    limits: httpx.Limits = DEFAULT_LIMITS,
    verify: ssl.SSLContext | None = None,
    **options,
) -> httpx.AsyncClient:
    """An httpx AsyncClient on the guarded transport; it does not follow redirects."""
    policy = policy or Policy.from_settings()
    transport = AsyncGuardedTransport(policy, verify=verify, limits=limits)
    return httpx.AsyncClient(transport=transport, **_client_options(policy, options))


@dataclass
class Fetched:
    """A completed fetch: where it ended, the answer, and the addresses it passed through."""

    url: str
    status_code: int
    headers: httpx.Headers
    content: bytes
    redirects: list[str] = field(default_factory=list)


def _read(
    chunks: Iterator[bytes], host: str, limit: int, truncate: bool, deadline: float, timeout: float
) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > limit:
            if truncate:
                return bytes(body[:limit])
            raise OutboundRefused(host, f"the answer is larger than {limit:,} bytes")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout(f"{host} did not finish answering within {timeout:g} s")
    return bytes(body)


def fetch(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    truncate: bool = False,
    policy: Policy | None = None,
) -> Fetched:
    """GET ``url``, following redirects, each hop checked; the body read in full.

    ``timeout`` bounds the whole fetch, redirects included, and ``max_bytes`` the body:
    a larger answer is refused, or cut at ``max_bytes`` when ``truncate`` is set. Both
    are at most the policy's (the settings'). Raises OutboundRefused for what the client
    will not fetch, httpx.HTTPError for what could not be fetched.
    """
    policy = policy or Policy.from_settings()
    timeout = min(timeout or policy.timeout, policy.timeout)
    limit = min(max_bytes or policy.max_bytes, policy.max_bytes)
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    with client(policy, timeout=timeout, headers=headers) as http:
        request = http.build_request("GET", validate_url(url, policy))
        while True:
            host = _host(request.url)
            response = http.send(request, stream=True)
            try:
                following = response.next_request
                if following is None:
                    body = _read(response.iter_bytes(), host, limit, truncate, deadline, timeout)
                    return Fetched(
                        str(response.url), response.status_code, response.headers, body, redirects
                    )
            finally:
                response.close()
            redirects.append(str(request.url))
            if len(redirects) > policy.max_redirects:
                raise OutboundRefused(host, f"it redirects more than {policy.max_redirects} times")
            check_redirect(request.url, following.url)
            validate_url(following.url, policy)
            if time.monotonic() > deadline:
                raise httpx.ConnectTimeout(f"{host}: no answer within {timeout:g} s in all")
            request = following
