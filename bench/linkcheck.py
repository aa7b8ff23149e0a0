"""Link-checker throughput: 2,000 URLs over 50 local hosts that add latency.

Each host is a real HTTP server on its own loopback address (127.0.0.1 … 127.0.0.50),
so the checker's per-host limit applies to each as it would to separate sites. The
servers are a minimal asyncio HTTP/1.1 server in a child process (a thread-per-
connection http.server tops out near 100 requests/s on two shared cores and would
measure itself, not the checker); they count requests in flight, and the run fails
if any host ever saw more than the per-host limit at once.

    .venv/bin/python bench/linkcheck.py [--urls 2000] [--hosts 50] [--latency 0.05]
                                        [--per-host 2] [--delay 0] [--tracemalloc]

Prints URLs per second and the checker process's peak RSS (with --tracemalloc, also
the peak of traced Python allocations; tracing slows the run several times). In the
same invocation, against the same servers, a reference run: plain httpx (one
AsyncClient, GET every URL, the same per-host limit by semaphore, no robots.txt, no
outbound guard, no retries) prints its URLs per second, so the checker's figure can
be read against what the machine gives at that moment.

The checker's outbound client refuses loopback addresses, so the bench lets exactly its
own servers' host:port pairs through (as FIELDGUIDE_OUTBOUND_ALLOW does); every
request still takes the guarded path (URL check, own lookup, connect to that address).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldguide.settings")

from fieldguide.core.outbound import Policy  # noqa: E402
from fieldguide.linkhealth.checker import CheckerConfig, check_urls_sync  # noqa: E402
from tests.linkhealth.site import ARTICLE  # noqa: E402

PAGE = ARTICLE.encode()


class Counter:
    """Requests in flight per host, and the most ever seen at once."""

    def __init__(self) -> None:
        self.in_flight: dict[str, int] = {}
        self.peak = 0
        self.requests = 0


async def handle(reader, writer, latency: float, counter: Counter) -> None:
    """A minimal HTTP/1.1 keep-alive server: enough for HEAD and GET of a page."""
    host = writer.get_extra_info("sockname")[0]
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method = head.split(b" ", 1)[0]
            counter.requests += 1
            counter.in_flight[host] = counter.in_flight.get(host, 0) + 1
            counter.peak = max(counter.peak, counter.in_flight[host])
            try:
                await asyncio.sleep(latency)
            finally:
                counter.in_flight[host] -= 1
            body = b"" if method == b"HEAD" else PAGE
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                + f"Content-Length: {len(PAGE)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def serve_async(hosts: int, latency: float, conn) -> None:
    counter = Counter()
    servers = []
    for n in range(1, hosts + 1):
        servers.append(
            await asyncio.start_server(
                lambda r, w: handle(r, w, latency, counter), f"127.0.0.{n}", 0
            )
        )
    conn.send(
        [f"http://127.0.0.{n + 1}:{s.sockets[0].getsockname()[1]}" for n, s in enumerate(servers)]
    )
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)
    conn.send({"peak": counter.peak, "requests": counter.requests})
    for server in servers:
        server.close()


def serve(hosts: int, latency: float, conn) -> None:
    """Child process: run the servers, report their addresses, then their counts."""
    asyncio.run(serve_async(hosts, latency, conn))


async def reference_async(urls: list[str], per_host: int) -> float:
    """Plain httpx over the same URLs: seconds taken."""
    import httpx

    gates: dict[str, asyncio.Semaphore] = {}
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(limits=limits, trust_env=False, timeout=10) as client:

        async def one(url: str) -> None:
            host = url.split("/")[2]
            gate = gates.setdefault(host, asyncio.Semaphore(per_host))
            async with gate:
                (await client.get(url)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(url) for url in urls))
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds added per request")
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations (peak bytes); slows the run several times",
    )
    parser.add_argument("--delay", type=float, default=0.0, help="seconds between starts per host")
    args = parser.parse_args()
    if not 1 <= args.hosts <= 250:
        parser.error("--hosts must be between 1 and 250 (one loopback address each)")

    spawn = multiprocessing.get_context("spawn")
    parent, child = spawn.Pipe()
    server = spawn.Process(target=serve, args=(args.hosts, args.latency, child), daemon=True)
    server.start()
    bases = parent.recv()
    urls = [f"{bases[i % len(bases)]}/bench/{i}" for i in range(args.urls)]
    config = CheckerConfig(
        per_host_limit=args.per_host,
        per_host_delay=args.delay,
        timeout=10,
        retries=0,
        total_concurrency=max(50, args.per_host * args.hosts),
        policy=Policy.from_settings(extra_allow=[base.removeprefix("http://") for base in bases]),
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    results = check_urls_sync(urls, config)
    elapsed = time.perf_counter() - started
    _, peak_py = tracemalloc.get_traced_memory() if args.tracemalloc else (0, 0)
    tracemalloc.stop()
    reference = asyncio.run(reference_async(urls, args.per_host))
    parent.send("stop")
    counts = parent.recv()
    server.join(timeout=10)

    statuses: dict[str, int] = {}
    for result in results.values():
        statuses[str(result.status)] = statuses.get(str(result.status), 0) + 1
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"urls={len(results)} hosts={args.hosts} latency={args.latency}s per_host={args.per_host}"
    )
    print(f"statuses={statuses} http_requests_both_runs={counts['requests']}")
    print(f"elapsed={elapsed:.2f}s urls_per_second={len(results) / elapsed:.0f}")
    print(
        f"reference (plain httpx GET, same per-host limit, same run): elapsed={reference:.2f}s "
        f"urls_per_second={len(urls) / reference:.0f}"
    )
    traced = f" peak_traced_python={peak_py / 1e6:.1f}MB" if args.tracemalloc else ""
    print(f"peak_rss={rss_mb:.0f}MB (before the run {rss_before:.0f}MB){traced}")
    print(f"peak_in_flight_per_host={counts['peak']} (limit {args.per_host})")
    if counts["peak"] > args.per_host:
        print("FAIL: a host saw more concurrent requests than the per-host limit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
