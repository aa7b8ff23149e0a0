"""The checker against a real local server that answers every way a link can go wrong."""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import pytest

from fieldguide.linkhealth.checker import (
    ROBOTS_AGENT,
    CheckResult,
    HostGate,
    check_urls_sync,
    flag_short_pages,
    interleave_hosts,
    run_sync,
)
from tests.linkhealth.conftest import config_allowing
from tests.linkhealth.site import LocalSite, closed_port_url


@pytest.fixture(scope="module")
def site(local_site):
    return local_site


@pytest.fixture(scope="module")
def results(site):
    paths = [
        "/ok",
        "/moved-301",
        "/temporary",
        "/missing",
        "/gone",
        "/error",
        "/slow",
        "/loop-a",
        "/soft-404",
        "/parked",
        "/no-head",
        "/private/report",
        "/report.pdf",
    ]
    closed = closed_port_url()
    urls = [site.url(p) for p in paths] + [closed]
    by_url = check_urls_sync(urls, config_allowing(site.origin, urlsplit(closed).netloc))
    return {url.replace(site.base, ""): result for url, result in by_url.items()}


def test_ok_page_is_ok_with_no_chain(results):
    result = results["/ok"]
    assert (result.status, result.http_status, result.chain) == ("ok", 200, [])
    assert result.text_length > 1000


def test_permanent_redirect_chain_is_recorded_and_offered(results, site):
    result = results["/moved-301"]
    assert result.status == "redirected"
    assert result.final_url == site.url("/ok")
    assert [(hop["url"], hop["status"]) for hop in result.chain] == [
        (site.url("/moved-301"), 301),
        (site.url("/moved-308"), 308),
    ]


def test_temporary_redirect_is_ok_but_keeps_its_chain(results, site):
    result = results["/temporary"]
    assert result.status == "ok"
    assert result.final_url == site.url("/ok")
    assert result.chain[0]["status"] == 302


@pytest.mark.parametrize("path,code", [("/missing", 404), ("/gone", 410)])
def test_gone_answers_are_broken(results, path, code):
    result = results[path]
    assert (result.status, result.http_status) == ("broken", code)
    assert f"(HTTP {code})" in result.error


def test_server_error_could_not_be_checked(results):
    """A 5xx says the server is in trouble, not that the work is gone."""
    result = results["/error"]
    assert (result.status, result.http_status) == ("unreachable", 500)
    assert result.error == "The server had an error (HTTP 500); it will be tried again."


def test_server_error_is_retried_before_it_counts_as_broken(results):
    # HEAD, retried once, then GET, retried once.
    assert results["/error"].attempts == 4


def test_slow_page_times_out_after_retries(results):
    result = results["/slow"]
    assert result.status == "unreachable"
    assert result.error == "The site did not answer within 0.5 seconds."
    assert result.attempts == 0  # no attempt completed


def test_redirect_loop_is_broken(results):
    result = results["/loop-a"]
    assert result.status == "broken"
    assert result.error == "The address redirects in a loop and never reaches a page."
    assert len(result.chain) == 2


def test_soft_404_is_broken(results):
    result = results["/soft-404"]
    assert result.status == "broken"
    assert '"not found" page' in result.error


def test_parked_domain_is_broken(results):
    result = results["/parked"]
    assert result.status == "broken"
    assert "parked" in result.error


def test_refused_connection_could_not_be_checked(results):
    refused = [r for key, r in results.items() if not key.startswith("/")]
    assert len(refused) == 1
    assert refused[0].status == "unreachable"
    assert refused[0].error == "The site did not accept the connection."


def test_head_refusal_falls_back_to_get(results, site):
    result = results["/no-head"]
    assert (result.status, result.method) == ("ok", "GET")
    methods = [m for m, path, _ in site.requests if path == "/no-head"]
    assert methods[:2] == ["HEAD", "GET"]


def test_non_html_is_checked_with_head_only(results, site):
    assert results["/report.pdf"].status == "ok"
    assert [m for m, path, _ in site.requests if path == "/report.pdf"] == ["HEAD"]


def test_robots_disallow_is_respected(results, site):
    assert results["/private/report"].status == "robots"
    assert not [r for r in site.requests if r[1] == "/private/report"]
    assert [r[1] for r in site.requests].count("/robots.txt") == 1


def test_user_agent_names_the_checker(results, site):
    agents = {agent for _, _, agent in site.requests}
    assert len(agents) == 1
    assert agents.pop().startswith(ROBOTS_AGENT + "/")


def test_transient_503_is_retried_and_then_ok():
    with LocalSite() as site:
        config = config_allowing(site.origin)
        result = check_urls_sync([site.url("/flaky")], config)[site.url("/flaky")]
    assert result.status == "ok"
    assert result.attempts >= 2


def test_per_host_limit_holds_on_the_server_side():
    with LocalSite(latency=0.05) as site:
        urls = [site.url(f"/bench/{n}") for n in range(24)]
        config = config_allowing(site.origin, per_host_limit=3, timeout=5)
        results = check_urls_sync(urls, config)
    assert {r.status for r in results.values()} == {"ok"}
    assert site.peak["127.0.0.1"] == 3


def test_host_gate_spaces_starts_and_caps_concurrency():
    """Measured on the event loop's clock: a sleep ends no earlier than asked."""

    async def run() -> tuple[list[float], int]:
        gate = HostGate(limit=2, delay=0.1)
        loop = asyncio.get_running_loop()
        starts: list[float] = []
        inside = peak = 0

        async def request() -> None:
            nonlocal inside, peak
            async with gate.slot():
                starts.append(loop.time())
                inside += 1
                peak = max(peak, inside)
                await asyncio.sleep(0.15)
                inside -= 1

        await asyncio.gather(*(request() for _ in range(5)))
        return starts, peak

    starts, peak = run_sync(run)
    resolution = time.get_clock_info("monotonic").resolution
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.1 - resolution - 0.001
    assert peak == 2


def test_short_page_is_flagged_against_its_own_history_and_its_host():
    history = CheckResult(
        "https://a.example/x", "ok", final_url="https://a.example/x", text_length=50
    )
    lengths = {"https://a.example/x": 4000}
    host = [
        CheckResult(
            f"https://b.example/{n}", "ok", final_url=f"https://b.example/{n}", text_length=5000
        )
        for n in range(3)
    ]
    short = CheckResult(
        "https://b.example/s", "ok", final_url="https://b.example/s", text_length=120
    )
    flagged = flag_short_pages([history, *host, short], lengths)
    assert flagged == [history, short]
    assert history.status == short.status == "suspicious"
    assert "last check" in history.error and "same site" in short.error


def test_sync_entry_point_works_inside_a_running_event_loop(site):
    async def from_async_code():
        return check_urls_sync([site.url("/ok")], config_allowing(site.origin))

    assert run_sync(from_async_code)[site.url("/ok")].status == "ok"


def test_urls_are_interleaved_by_host():
    urls = ["http://a/1", "http://a/2", "http://a/3", "http://b/1", "http://c/1", "http://b/2"]
    assert interleave_hosts(urls) == [
        "http://a/1",
        "http://b/1",
        "http://c/1",
        "http://a/2",
        "http://b/2",
        "http://a/3",
    ]
