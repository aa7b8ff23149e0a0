"""Rate limits: who the client is, and an atomic counter store shared by every process.

Client address
    ``client_address(request)`` is the one place that decides who a request comes from.
    ``REMOTE_ADDR`` is the peer; ``X-Forwarded-For`` is read only when the peer is a
    proxy named in ``TRUSTED_PROXIES`` (addresses, CIDR networks, or ``unix`` for a proxy
    on a unix socket, whose requests arrive with an empty ``REMOTE_ADDR``), or when
    ``TRUSTED_PROXIES`` is a number of proxy hops. The header is read right to left,
    skipping trusted proxies; the first address that is not one is the client. A request
    from a unix socket with no trusted proxy configured is counted under the one name
    ``unix`` (all such clients share a limit) rather than failing. IPv6 clients are
    counted per /64, the block one household or phone is usually given.

Counter store
    Fixed windows. ``hit()`` adds one to the counter of (scope, identity, window) in a
    single atomic statement and returns the new count, so concurrent requests can
    neither lose an increment nor pass a limit together. With ``REDIS_URL`` the counter
    is a Redis key (``INCR`` and ``EXPIRE … NX`` in one transaction); otherwise it is a
    ``core.RateCounter`` row (``INSERT … ON CONFLICT DO UPDATE SET count = count + 1
    RETURNING count``, on SQLite and PostgreSQL alike). The key is a keyed hash of the
    scope, the window and the identity: no address or name is stored. Each new counter
    row deletes the rows whose window has ended, so nothing outlives its window by more
    than the time until the next new counter.

    If the store cannot be reached or stays locked past the database timeout, ``hit()``
    fails closed: it logs (without the identity) and reports the limit as reached, so a
    broken store never lets a flood through. Forms keep what the reader typed.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import redis
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

UNIX_SOCKET_PEER = "unix"
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
IPv4or6 = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    def __str__(self) -> str:
        return f"{self.limit}/{self.period}s"


def parse_rate(text: str, setting: str = "rate") -> Rate:
    """``"5/h"``, ``"10/m"``, ``"3/15m"`` → Rate; a clear error naming the setting."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError(
            f"{setting}={text!r} is not a rate: write a number, a slash and a period, "
            'such as "5/h", "10/m" or "3/15m" (units s, m, h, d).'
        )
    count, multiple, unit = match.groups()
    period = int(multiple or 1) * _UNITS[unit]
    if period <= 0:
        raise ValueError(f"{setting}={text!r}: the period must be longer than zero.")
    return Rate(int(count), period)


# Client address ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[Network, ...] = ()
    unix: bool = False
    hops: int = 0

    def trusts(self, address: str) -> bool:
        if not address:
            return self.unix
        ip = _ip(address)
        return ip is not None and any(ip in net for net in self.networks)


def parse_trusted_proxies(value: str | list[str] | tuple[str, ...]) -> TrustedProxies:
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [item.strip() for item in items if item.strip()]
    if len(items) == 1 and items[0].isdigit():
        return TrustedProxies(hops=int(items[0]))
    networks: list[Network] = []
    unix = False
    for item in items:
        if item.lower() == UNIX_SOCKET_PEER:
            unix = True
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {item!r} is not an address or network (write e.g. "
                '"127.0.0.1,10.0.0.0/8", "unix" for a unix-socket proxy, or a number of hops).'
            ) from None
    return TrustedProxies(networks=tuple(networks), unix=unix)


@cache
def _trusted(value: str) -> TrustedProxies:
    return parse_trusted_proxies(value)


def _ip(text: str) -> IPv4or6 | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


def _bucket(ip: IPv4or6) -> str:
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_address(request: HttpRequest) -> str:
    """The address (IPv4, or the IPv6 /64) that rate limits count this request under."""
    setting = settings.TRUSTED_PROXIES
    proxies = _trusted(setting if isinstance(setting, str) else ",".join(setting))
    peer = request.META.get("REMOTE_ADDR", "") or ""
    peer_ip = _ip(peer)
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies.hops:
        if forwarded:
            chosen = _ip(forwarded[max(len(forwarded) - proxies.hops, 0)])
            if chosen is not None:
                return _bucket(chosen)
    elif proxies.trusts(peer):
        for hop in reversed(forwarded):
            hop_ip = _ip(hop)
            if hop_ip is None:
                break  # a garbled entry: stop at the last proxy we trust
            peer_ip = hop_ip
            if not proxies.trusts(hop):
                break
    if peer_ip is None:
        return UNIX_SOCKET_PEER if not peer else "unknown"
    return _bucket(peer_ip)


# Counter store -------------------------------------------------------------------------


def _digest(scope: str, identity: str, rate: Rate, window: int) -> str:
    message = f"{scope}\x00{rate.period}\x00{window}\x00{identity}"
    return salted_hmac("fieldguide.core.ratelimit", message, algorithm="sha256").hexdigest()


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def _redis_hit(digest: str, period: int, delta: int) -> int:
    key = f"fieldguide:rate:{digest}"
    pipe = _redis(settings.REDIS_URL).pipeline(transaction=True)
    pipe.incrby(key, delta)
    pipe.expire(key, period, nx=True)
    count, _ = pipe.execute()
    return int(count)


def _db_hit(digest: str, expires_at: datetime, delta: int) -> int:
    from .models import RateCounter

    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (digest, count, expires_at) VALUES (%s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (digest) DO UPDATE SET count = {table}.count + %s RETURNING count",
            [digest, max(delta, 0), expires_at, delta],
        )
        count = int(cursor.fetchone()[0])
    if count == delta == 1:
        # A new window began: sweep the counters whose windows have ended.
        RateCounter.objects.filter(expires_at__lte=datetime.now(UTC)).delete()
    return count


def _add(scope: str, identity: str, rate: Rate, delta: int) -> int:
    now = time.time()
    window = int(now // rate.period)
    digest = _digest(scope, identity, rate, window)
    if settings.REDIS_URL:
        return _redis_hit(digest, rate.period, delta)
    expires_at = datetime.fromtimestamp((window + 1) * rate.period, UTC)
    return _db_hit(digest, expires_at, delta)


def hit(scope: str, identity: str, rate: Rate) -> bool:
    """Count one use; True if it is within the limit, False if the limit is reached.

    Fails closed: if the store cannot count, the use is refused (and logged without the
    identity).
    """
    try:
        return _add(scope, identity, rate, 1) <= rate.limit
    except (DatabaseError, redis.RedisError) as error:
        logger.error("Rate-limit store failed for %s; refusing: %s", scope, error)
        return False


def undo(scope: str, identity: str, rate: Rate) -> None:
    """Give back one use counted by ``hit()`` in this window (a successful sign-in)."""
    try:
        _add(scope, identity, rate, -1)
    except (DatabaseError, redis.RedisError) as error:
        logger.warning("Rate-limit store could not give back a use for %s: %s", scope, error)


def setting_rate(name: str) -> Rate:
    """The Rate configured in ``settings.<name>``."""
    return parse_rate(getattr(settings, name), name)


RATE_SETTINGS = (
    "CONTACT_RATE",
    "SUGGEST_RATE",
    "LOGIN_RATE",
    "LOGIN_ACCOUNT_RATE",
    "PASSWORD_RESET_RATE",
    "PASSWORD_RESET_EMAIL_RATE",
)


def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Refuse to start with a rate or TRUSTED_PROXIES that cannot be read."""
    errors: list[checks.CheckMessage] = []
    for name in RATE_SETTINGS:
        try:
            setting_rate(name)
        except ValueError as error:
            errors.append(checks.Error(str(error), id="fieldguide.E101"))
    setting = settings.TRUSTED_PROXIES
    try:
        parse_trusted_proxies(setting)
    except ValueError as error:
        errors.append(checks.Error(str(error), id="fieldguide.E102"))
    return errors
