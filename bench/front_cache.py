"""The front cache: the cached section page through Varnish (deploy/varnish/), through
Gunicorn directly, and nginx serving the same bytes from disk, under the same wrk load in
one run; then the time from a publish to the change being visible through the front.

Run: .venv/bin/python bench/front_cache.py [--seconds 5] [--connections 50] [--workers 2]
Needs Debian's `wrk`, `nginx-light` and `varnish`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, free_port, gunicorn, nginx_serving, setup_site, wait_for  # noqa: E402
from serve import run_wrk  # noqa: E402

VCL = ROOT / "deploy" / "varnish" / "fieldguide.vcl"


def start_varnish(folder: Path, port: int, backend_port: int) -> subprocess.Popen:
    folder.chmod(0o755)  # varnish compiles the VCL as its own user
    backends = (VCL.parent / "backends.vcl").read_text()
    backends = backends.replace('"8001"', f'"{backend_port}"').replace(
        '"8002"', f'"{backend_port}"'
    )
    # The probe asks for Host 127.0.0.1: the only host _site.gunicorn allows.
    backends = backends.replace("Host: localhost", "Host: 127.0.0.1")
    (folder / "backends.vcl").write_text(backends)
    (folder / "backends.vcl").chmod(0o644)
    process = subprocess.Popen(
        [
            shutil.which("varnishd") or "/usr/sbin/varnishd", "-F", "-a", f"127.0.0.1:{port}",
            "-f", str(VCL), "-p", f"vcl_path={folder}", "-n", str(folder / "work"),
            "-s", "malloc,64m", "-T", "none",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for(port)
    return process


def fetch(url: str) -> tuple[bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read(), dict(response.headers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "varnishd"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is not installed (apt-get install wrk nginx-light varnish)")

    front_port = free_port()
    var_dir = setup_site()
    # The app instances and this process (which publishes) ban the same front cache.
    from django.conf import settings

    os.environ["FRONT_CACHE_URL"] = f"http://127.0.0.1:{front_port}"
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {
            "BACKEND": "fieldguide.core.front_cache.VarnishBackend",
            "LOCATION": os.environ["FRONT_CACHE_URL"],
        }
    }
    # Threads as in production (a sync worker left Varnish's probe waiting), and a
    # control socket of its own (Gunicorn 27 shares one path per account by default).
    os.environ["GUNICORN_CMD_ARGS"] = f"--threads 4 --control-socket {var_dir / 'gunicorn.ctl'}"
    from fieldguide.guide.models import SectionPage

    section = SectionPage.objects.live().order_by("path").first()
    folder = Path(tempfile.mkdtemp(prefix="fieldguide-front-"))
    docroot = folder / "nginx"
    docroot.mkdir()
    try:
        with gunicorn(var_dir, args.workers) as base:
            app_port = int(base.rsplit(":", 1)[1])
            varnish = start_varnish(folder, front_port, app_port)
            front = f"http://127.0.0.1:{front_port}"
            try:
                for _ in range(100):  # until the probe finds the app healthy
                    try:
                        fetch(front + "/healthz")
                        break
                    except OSError:
                        time.sleep(0.2)
                body, _ = fetch(front + section.url)
                _, headers = fetch(front + section.url)
                assert headers.get("X-Cache") == "HIT", headers
                with nginx_serving(body, docroot, args.workers) as nginx_url:
                    print(
                        f"Load: wrk -t2 -c{args.connections} -d{args.seconds}s, section page "
                        f"({len(body):,} bytes, identity), Gunicorn {args.workers} workers, "
                        f"nginx {args.workers} workers, Varnish defaults"
                    )
                    results = {
                        "front (varnish)": run_wrk(
                            front + section.url, args.seconds, args.connections
                        ),
                        "app (gunicorn, cached)": run_wrk(
                            base + section.url, args.seconds, args.connections
                        ),
                        "nginx (static file)": run_wrk(nginx_url, args.seconds, args.connections),
                    }

                # Publish in this process (after commit: one ban), then read through the
                # front until the new title shows.
                title = f"Renamed {int(time.time())}"
                fetch(front + section.url)
                started = time.perf_counter()
                section.title = title
                section.save_revision().publish()
                published = time.perf_counter()
                polls = 0
                while title.encode() not in fetch(front + section.url)[0]:
                    polls += 1
                    if time.perf_counter() - published > 30:
                        sys.exit("the change did not show through the front within 30 s")
                visible = time.perf_counter()
            finally:
                varnish.send_signal(signal.SIGTERM)
                varnish.wait(timeout=15)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{'server':<24}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<24}{r['rps']:>10,.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{r['errors']:>8}")
    nginx_rps = results["nginx (static file)"]["rps"]
    print(f"ratio front/nginx: {results['front (varnish)']['rps'] / nginx_rps:.3f}")
    print(f"ratio app/nginx:   {results['app (gunicorn, cached)']['rps'] / nginx_rps:.3f}")
    print(
        f"publish took {1000 * (published - started):.0f} ms (save, commit, one ban); "
        f"visible through the front {1000 * (visible - published):.0f} ms after it returned "
        f"({polls} reads still showed the old page)"
    )


if __name__ == "__main__":
    main()
