"""A polite, concurrent link checker built on httpx.AsyncClient.

It knows nothing of the database: give it URLs and a :class:`CheckerConfig`, get back a
:class:`CheckResult` per URL. Politeness rules, all per host: at most
``per_host_limit`` requests at once, ``per_host_delay`` seconds between the starts of
two requests, robots.txt fetched once and obeyed. HEAD is tried first and GET used when
a server refuses HEAD or when the page body is needed to spot soft 404s.

Every request goes through the project's outbound client (``fieldguide.core.outbound``),
which refuses addresses that are not public, at connect time; the checker follows
redirects itself, so it checks each hop's scheme and host too. A refused link is
recorded as refused, never as broken or moved: readers see no notice for it, and
editors are never offered to "update" a link to an internal address.

A link is *broken* only when a server answered that the work is gone (404, 410, a
"not found" page, a parked domain). When no answer about the work came back (DNS,
connection, TLS, timeout, 5xx, 429, a checker refused with 401/403) the link *could
not be checked*: that says nothing about the work, so it never warns readers.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from statistics import median
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

from fieldguide.core import outbound

from .choices import LinkStatus
from .heuristics import page_problem

T = TypeVar("T")
ROBOTS_AGENT = "FieldguideLinkChecker"
DEFAULT_USER_AGENT = (
    f"{ROBOTS_AGENT}/1.0 (+https://github.com/fieldguide; checks the links a guide shows readers)"
)
REDIRECT_CODES = {301, 302, 303, 307, 308}
PERMANENT_CODES = {301, 308}
RETRY_CODES = {429, 500, 502, 503, 504}
#: Answers that say the work itself is gone. Any other 4xx (400, 401, 403, 405, 451, …)
#: is the server declining to answer this checker, which says nothing about the work.
GONE_CODES = {404, 410}
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class CheckerConfig:
    per_host_limit: int = 2
    per_host_delay: float = 0.5
    timeout: float = 15.0
    retries: int = 2
    backoff: float = 1.0
    total_concurrency: int = 50
    max_body_bytes: int = 256 * 1024
    user_agent: str = DEFAULT_USER_AGENT
    respect_robots: bool = True
    # A run that cannot reach more than ``down_share`` of its hosts (when it has at
    # least ``down_min_hosts``) stops with NetworkDown: the fault is here, not there.
    down_min_hosts: int = 3
    down_share: float = 0.5
    # What the outbound client lets through, and the redirect cap.
    policy: outbound.Policy = field(default_factory=outbound.Policy.from_settings)


@dataclass
class CheckResult:
    url: str
    status: str
    http_status: int | None = None
    final_url: str = ""
    chain: list[dict] = field(default_factory=list)
    error: str = ""
    method: str = ""
    attempts: int = 0
    duration_ms: int = 0
    text_length: int | None = None


@dataclass
class _Response:
    status: int
    headers: httpx.Headers
    body: bytes = b""


class HostGate:
    """At most ``limit`` requests at once to one host, starts spaced by ``delay`` seconds."""

    def __init__(self, limit: int, delay: float) -> None:
        self._slots = asyncio.Semaphore(max(1, limit))
        self._spacing = asyncio.Lock()
        self._next_start = 0.0
        self.delay = delay

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._spacing:
                loop = asyncio.get_running_loop()
                wait = self._next_start - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start = loop.time() + self.delay
            yield


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


DNS_SIGNS = (
    "name or service not known",
    "name resolution",
    "nodename nor servname",
    "no address associated",
    "getaddrinfo",
    "has no address",
)


def describe_error(exc: Exception, timeout: float) -> str:
    """What went wrong, in words an editor can act on (no ``[Errno -3]``)."""
    # The useful words are often on a cause (anyio's "All connection attempts failed").
    parts, seen, current = [], set(), exc
    while current is not None and id(current) not in seen and len(parts) < 8:
        seen.add(id(current))
        parts.append(str(current) or current.__class__.__name__)
        if isinstance(current, ConnectionRefusedError):
            parts.append("refused")
        current = current.__cause__ or current.__context__
    text = " ".join(parts).lower()
    if isinstance(exc, httpx.TimeoutException):
        return f"The site did not answer within {timeout:g} seconds."
    if isinstance(exc, httpx.ConnectError):
        if "ssl" in text or "certificate" in text or "tls" in text:
            return "The site's security certificate could not be verified (TLS error)."
        if any(sign in text for sign in DNS_SIGNS):
            return "The site's name could not be found (DNS lookup failed)."
        if "network is unreachable" in text:
            return "No route to the site: this server's network may be down."
        if "refused" in text or "all connection attempts failed" in text:
            return "The site did not accept the connection."
        return "Could not connect to the site."
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return "This is not a web address the checker can visit."
    if isinstance(exc, httpx.RemoteProtocolError):
        return "The site closed the connection without a proper answer."
    return "The site could not be reached."


def describe_status(code: int) -> str:
    """An HTTP answer in plain words."""
    if code == 404:
        return "The server says the page is not there (HTTP 404)."
    if code == 410:
        return "The server says the page was removed for good (HTTP 410)."
    if code == 429:
        return "The server asked the checker to slow down (HTTP 429); it will try again."
    if code in (401, 403):
        return f"The server would not let the checker in (HTTP {code}); a reader may still get in."
    if code >= 500:
        return f"The server had an error (HTTP {code}); it will be tried again."
    return f"The server answered HTTP {code}."


def status_for(code: int) -> str:
    """The link state an HTTP error answer (4xx or 5xx) stands for."""
    return LinkStatus.BROKEN if code in GONE_CODES else LinkStatus.UNREACHABLE


class LinkChecker:
    """Checks URLs with one small connection pool per host.

    A pool per host keeps httpx's pool bookkeeping (linear in its connections) small,
    caps connections per host at the per-host limit, and keeps keep-alive connections
    from being evicted by other hosts' requests. The pools are the outbound client's,
    which share one TLS context.
    """

    def __init__(self, config: CheckerConfig) -> None:
        self.config = config
        self._gates: dict[str, HostGate] = {}
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._robots: dict[str, asyncio.Task] = {}

    def gate(self, url: str) -> HostGate:
        key = urlsplit(url).hostname or ""
        if key not in self._gates:
            self._gates[key] = HostGate(self.config.per_host_limit, self.config.per_host_delay)
        return self._gates[key]

    def client(self, url: str) -> httpx.AsyncClient:
        key = urlsplit(url).hostname or ""
        if key not in self._clients:
            limit = max(1, self.config.per_host_limit)
            self._clients[key] = outbound.async_client(
                self.config.policy,
                headers={"User-Agent": self.config.user_agent, "Accept": "text/html,*/*;q=0.8"},
                timeout=httpx.Timeout(self.config.timeout),
                limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
            )
        return self._clients[key]

    async def aclose(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self._clients.values()))

    async def _send(self, method: str, url: str, read_body: bool) -> _Response:
        async with self.gate(url).slot(), self.client(url).stream(method, url) as response:
            body = b""
            # A HEAD answer has no body, but reading its end lets the connection be
            # reused; an unread GET body is dropped with its connection instead.
            if read_body or method == "HEAD":
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= self.config.max_body_bytes:
                        break
            return _Response(response.status_code, response.headers, body)

    async def send(self, method: str, url: str, read_body: bool = False) -> tuple[_Response, int]:
        """One request with retries and exponential back-off; returns it and the attempts."""
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._send(method, url, read_body)
            except httpx.TransportError:
                if attempt > self.config.retries:
                    raise
            else:
                if response.status not in RETRY_CODES or attempt > self.config.retries:
                    return response, attempt
            await asyncio.sleep(self.config.backoff * 2 ** (attempt - 1))

    async def _load_robots(self, base: str) -> Protego | None:
        """The host's robots.txt, or None when nothing forbids the check.

        No robots.txt (4xx) or a failing one allows the check: a failing site will be
        reported by the check itself.
        """
        try:
            response, _ = await self.send("GET", f"{base}/robots.txt", read_body=True)
        except httpx.HTTPError:
            return None
        if not 200 <= response.status < 300:
            return None
        return Protego.parse(response.body.decode("utf-8", "replace"))

    async def allowed(self, url: str) -> bool:
        if not self.config.respect_robots:
            return True
        base = host_key(url)
        if base not in self._robots:
            self._robots[base] = asyncio.ensure_future(self._load_robots(base))
        parser = await self._robots[base]
        return parser is None or parser.can_fetch(url, ROBOTS_AGENT)

    async def check(self, url: str) -> CheckResult:
        started = time.monotonic()
        result = CheckResult(url=url, status=LinkStatus.BROKEN)
        try:
            outbound.validate_url(url, self.config.policy)
            await self._follow(url, result)
        except outbound.OutboundRefused as exc:
            result.status = LinkStatus.REFUSED
            result.final_url = result.chain[-1]["location"] if result.chain else url
            result.error = str(exc)[:500]
        except httpx.HTTPError as exc:
            result.status = LinkStatus.UNREACHABLE
            result.error = describe_error(exc, self.config.timeout)
        result.duration_ms = int((time.monotonic() - started) * 1000)
        return result

    async def _follow(self, url: str, result: CheckResult) -> None:
        current, method, seen = url, "HEAD", {url}
        while True:
            if not await self.allowed(current):
                result.status = LinkStatus.ROBOTS
                result.final_url = current
                result.error = "robots.txt asks checkers not to visit this address"
                return
            response, attempts = await self.send(method, current)
            result.attempts += attempts
            if method == "HEAD" and response.status >= 400:
                method = "GET"
                response, attempts = await self.send(method, current, read_body=True)
                result.attempts += attempts
            result.method = method
            result.http_status = response.status
            location = response.headers.get("location")
            if response.status not in REDIRECT_CODES or not location:
                break
            target = urljoin(current, location)
            result.chain.append({"url": current, "status": response.status, "location": target})
            outbound.check_redirect(current, target)
            outbound.validate_url(target, self.config.policy)
            if target in seen:
                result.error = "The address redirects in a loop and never reaches a page."
                result.final_url = target
                return
            if len(result.chain) > self.config.policy.max_redirects:
                result.error = (
                    f"The address redirects more than {self.config.policy.max_redirects} times."
                )
                result.final_url = target
                return
            seen.add(target)
            current = target
        result.final_url = current
        await self._classify(result, response, current)

    async def _classify(self, result: CheckResult, response: _Response, url: str) -> None:
        if not 200 <= response.status < 300:
            result.status = status_for(response.status)
            result.error = result.error or describe_status(response.status)
            return
        content_type = response.headers.get("content-type", "")
        if not content_type or content_type.startswith(HTML_TYPES):
            if result.method != "GET":
                response, attempts = await self.send("GET", url, read_body=True)
                result.attempts += attempts
                result.method = "GET"
                if response.status >= 300:
                    result.http_status = response.status
                    result.status = status_for(response.status)
                    result.error = describe_status(response.status)
                    return
            text = response.body.decode("utf-8", "replace")
            problem, length = page_problem(text, url)
            result.text_length = length
            if problem:
                # A "not found" page or a parked domain: the work is gone.
                result.status = LinkStatus.BROKEN
                result.error = problem
                return
        permanent = bool(result.chain) and all(
            hop["status"] in PERMANENT_CODES for hop in result.chain
        )
        result.status = LinkStatus.REDIRECTED if permanent else LinkStatus.OK


def flag_short_pages(
    results: Iterable[CheckResult], previous_lengths: dict[str, int] | None = None
) -> list[CheckResult]:
    """Mark pages much shorter than usual: than their own last check or their host's pages.

    A page under a fifth of its previous length, or under a tenth of the median of at
    least three other pages on its host, is flagged as suspicious.
    """
    previous_lengths = previous_lengths or {}
    results = list(results)
    by_host: dict[str, list[CheckResult]] = {}
    for r in results:
        if r.text_length is not None and r.status in (LinkStatus.OK, LinkStatus.REDIRECTED):
            by_host.setdefault(urlsplit(r.final_url or r.url).hostname or "", []).append(r)
    flagged = []
    for host_results in by_host.values():
        for r in host_results:
            others = [o.text_length for o in host_results if o is not r and o.text_length]
            before = previous_lengths.get(r.url)
            if before and r.text_length * 5 < before:
                r.error = (
                    f"Much shorter than at the last check ({r.text_length} vs {before} characters)"
                )
            elif len(others) >= 3 and r.text_length * 10 < median(others):
                r.error = "Much shorter than other pages on the same site"
            else:
                continue
            r.status = LinkStatus.SUSPICIOUS
            flagged.append(r)
    return flagged


def interleave_hosts(urls: Iterable[str]) -> list[str]:
    """Distinct URLs ordered round-robin by host, so one busy host cannot hold every slot."""
    queues: dict[str, list[str]] = {}
    for url in dict.fromkeys(urls):
        queues.setdefault(urlsplit(url).hostname or "", []).append(url)
    ordered: list[str] = []
    for round_ in itertools.zip_longest(*queues.values()):
        ordered.extend(url for url in round_ if url is not None)
    return ordered


class NetworkDown(Exception):
    """Most hosts could not be reached: this server's network looks down."""

    def __init__(self, unreachable: int, hosts: int) -> None:
        self.unreachable, self.hosts = unreachable, hosts
        super().__init__(
            f"The network looks down: {unreachable} of {hosts} sites could not be reached, "
            "so the check stopped and nothing was changed. Try again later."
        )


def unreachable_hosts(results: Iterable[CheckResult]) -> set[str]:
    """Hosts that gave no HTTP answer at all (DNS, connection, TLS, timeout)."""
    return {
        urlsplit(r.url).hostname or ""
        for r in results
        if r.status == LinkStatus.UNREACHABLE and r.http_status is None
    }


async def check_urls(
    urls: Iterable[str], config: CheckerConfig | None = None
) -> dict[str, CheckResult]:
    """Check each distinct URL once; returns results keyed by URL.

    With at least ``config.down_min_hosts`` hosts, one URL per host is checked first
    (the first round of the host interleaving); if more than ``config.down_share`` of
    the hosts give no answer at all, NetworkDown is raised before anything else is tried.
    """
    config = config or CheckerConfig()
    unique = interleave_hosts(urls)
    hosts = len({urlsplit(url).hostname or "" for url in unique})
    checker = LinkChecker(config)
    overall = asyncio.Semaphore(config.total_concurrency)

    async def one(url: str) -> CheckResult:
        async with overall:
            return await checker.check(url)

    try:
        done: list[CheckResult] = []
        if config.down_min_hosts and hosts >= config.down_min_hosts:
            # interleave_hosts puts one URL of every host first.
            done = list(await asyncio.gather(*(one(url) for url in unique[:hosts])))
            failed = len(unreachable_hosts(done))
            if failed > config.down_share * hosts:
                raise NetworkDown(failed, hosts)
        done += await asyncio.gather(*(one(url) for url in unique[len(done) :]))
    finally:
        await checker.aclose()
    return {r.url: r for r in done}


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion from synchronous code.

    ``asyncio.run`` refuses to start inside a thread whose event loop is already running
    (an async view, a notebook, Playwright's sync API in tests); then the coroutine runs
    on a fresh loop in a worker thread instead.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def check_urls_sync(
    urls: Iterable[str], config: CheckerConfig | None = None
) -> dict[str, CheckResult]:
    urls = list(urls)
    return run_sync(lambda: check_urls(urls, config))
