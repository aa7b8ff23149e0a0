"""Serving throughput: the app (Gunicorn, several workers) against nginx serving the same
rendered page from disk, under the same wrk load on loopback; plus uncached render times.

Run: .venv/bin/python bench/serve.py [--seconds 10] [--connections 32] [--workers 4]
Needs Debian's `wrk` and `nginx-light`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import gunicorn, nginx_serving, setup_site  # noqa: E402


def run_wrk(url: str, seconds: int, connections: int, encoding: str = "") -> dict[str, float]:
    header = ["-H", f"Accept-Encoding: {encoding}"] if encoding else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *header, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip

    def latency(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def render_times(paths: dict[str, str], repeat: int = 20) -> dict[str, float]:
    from django.test import Client, override_settings

    client = Client()
    result = {}
    with override_settings(PAGE_CACHE_SECONDS=0):
        for name, path in paths.items():
            client.get(path)
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                response = client.get(path)
                samples.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            result[name] = statistics.median(samples)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is not installed (apt-get install wrk nginx-light)")

    var_dir = setup_site()
    from fieldguide.guide.models import SectionPage

    section = SectionPage.objects.live().order_by("path").first()
    paths = {
        "home": "/",
        "section": section.url,
        "glossary": "/glossary/",
        "about": "/about/",
        "search": "/search/?q=harm+reduction",
    }
    print("Uncached render time (median of 20, in-process, ms):")
    for name, ms in render_times(paths).items():
        print(f"  {name:<10}{ms:8.1f}")

    docroot = Path(tempfile.mkdtemp(prefix="fieldguide-nginx-"))
    try:
        with gunicorn(var_dir, args.workers) as base:
            page_url = base + section.url
            import httpx

            body = httpx.get(page_url, timeout=120).content
            with nginx_serving(body, docroot, args.workers, gzip=True) as nginx_url:
                print(
                    f"\nLoad: wrk -t2 -c{args.connections} -d{args.seconds}s, section page "
                    f"({len(body):,} bytes), {args.workers} workers each"
                )
                results = {
                    "app (gunicorn, cached)": run_wrk(page_url, args.seconds, args.connections),
                    "app, br": run_wrk(page_url, args.seconds, args.connections, "br, gzip"),
                    "nginx (static file)": run_wrk(nginx_url, args.seconds, args.connections),
                    "nginx, gzip on": run_wrk(nginx_url, args.seconds, args.connections, "gzip"),
                }
    finally:
        shutil.rmtree(docroot, ignore_errors=True)

    print(f"{'server':<22}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<22}{r['rps']:>10,.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['errors']:>8}")
    ratio = results["app (gunicorn, cached)"]["rps"] / results["nginx (static file)"]["rps"]
    print(f"ratio app/nginx: {ratio:.3f}")


if __name__ == "__main__":
    main()
