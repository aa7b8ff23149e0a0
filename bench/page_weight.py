"""Page weight per reader page type: what the server actually sends, on the wire.

Run: .venv/bin/python bench/page_weight.py
Serves the default guide and the starter atlas with Gunicorn (2 workers, as the other
benches) and asks every reader page type over a plain socket three ways: without
Accept-Encoding, with ``Accept-Encoding: br, gzip`` and with ``gzip`` only. Each figure
is the first response (a cache miss) as sent: body bytes, then headers + body. As a
reference in the same run, nginx serves the same uncompressed bytes with its gzip on
(level 6). A page type with several pages (sections, topic maps) shows its largest.
Then the CSS/JS/font bytes the heaviest page pulls in, and Lighthouse if installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, free_port, gunicorn, setup_site, wait_for  # noqa: E402
from _wire import FIRST_ROUND_TRIP, MAP_BUDGET, budget, fetch, reader_pages  # noqa: E402

ASSET_RE = re.compile(
    r'<(?:link[^>]+rel="(?:stylesheet|icon|preload)"[^>]*href|script[^>]+src|img[^>]+src)="([^"]+)"'
)
CSS_URL_RE = re.compile(r"url\(['\"]?([^'\")]+)['\"]?\)")
LIGHTHOUSE = Path(
    os.environ.get("LIGHTHOUSE", ROOT / ".tools/lighthouse/node_modules/.bin/lighthouse")
)


def lighthouse_scores(url: str) -> tuple[int, int]:
    """Lighthouse 12 on Debian's Chromium: npm i --prefix .tools/lighthouse lighthouse@12."""
    out = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
         "--only-categories=performance,accessibility", "--form-factor=mobile",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
         "--disable-background-networking --disable-component-update --disable-sync"],
        capture_output=True, text=True, timeout=180,
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )  # fmt: skip
    categories = json.loads(out.stdout)["categories"]
    return round(categories["performance"]["score"] * 100), round(
        categories["accessibility"]["score"] * 100
    )


class Nginx:
    """nginx serving files from a folder with gzip on, for the reference column."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fieldguide-nginx-"))
        self.root.chmod(0o755)
        self.port = free_port()

    def __enter__(self) -> Nginx:
        conf = self.root / "nginx.conf"
        conf.write_text(
            f"worker_processes 1;\npid {self.root}/nginx.pid;\nerror_log stderr;\n"
            "events { worker_connections 64; }\n"
            "http { access_log off; default_type text/html;\n"
            "  gzip on; gzip_comp_level 6; gzip_min_length 512;\n"
            f"  server {{ listen 127.0.0.1:{self.port}; root {self.root}; }} }}\n"
        )
        self.process = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(self.root), "-g", "daemon off;"]
        )
        wait_for(self.port)
        return self

    def gzip_size(self, name: str, body: bytes) -> int:
        path = self.root / f"{name}.html"
        path.write_bytes(body)
        path.chmod(0o644)
        return len(fetch(f"http://127.0.0.1:{self.port}/{name}.html", "gzip").body)

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGQUIT)
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def asset_bytes(base: str, html: bytes) -> tuple[dict[str, int], int, set[str]]:
    """Bytes on the wire (br) of the CSS, JS, fonts and images a page pulls in."""
    sizes = {"css": 0, "js": 0, "fonts": 0, "img": 0}
    requests, foreign = 1, set()
    for asset in ASSET_RE.findall(html.decode()):
        if asset.startswith("data:"):
            continue
        if urlsplit(asset).netloc:
            foreign.add(urlsplit(asset).netloc)
            continue
        body = fetch(base + asset, "br, gzip").body
        requests += 1
        kind = "css" if asset.endswith(".css") else "js" if asset.endswith(".js") else "img"
        sizes[kind] += len(body)
        if kind == "css":
            for ref in CSS_URL_RE.findall(body.decode(errors="replace")):
                if ref.startswith("data:"):
                    continue
                if urlsplit(ref).netloc:
                    foreign.add(urlsplit(ref).netloc)
                    continue
                requests += 1
                sizes["fonts"] += len(fetch(base + ref, "br, gzip").body)
    return sizes, requests, foreign


def main() -> None:
    var_dir = setup_site()
    from django.core.management import call_command

    call_command("load_atlas", verbosity=0)
    pages = reader_pages()
    print(
        "First response per reader page type, bytes on the wire (body; headers + body), "
        "Gunicorn, cache cold."
    )
    print(
        f"{'page type':<11}{'n':>3}{'plain':>9}{'br':>8}{'br+hdr':>8}{'gzip':>8}"
        f"{'gz+hdr':>8}{'nginx gz':>10}{'budget':>8}  largest"
    )
    worst_ratio, heaviest = 0.0, ("", b"")
    with gunicorn(var_dir, workers=2) as base, Nginx() as nginx:
        for page_type, paths in pages.items():
            rows = []
            for path in paths:
                plain = fetch(base + path)
                br = fetch(base + path, "br, gzip")
                gz = fetch(base + path, "gzip")
                assert plain.status == br.status == gz.status == 200, (path, plain.status)
                reference = nginx.gzip_size(f"p{len(rows)}", plain.body)
                rows.append((len(br.body), path, plain, br, gz, reference))
            _, path, plain, br, gz, reference = max(rows, key=lambda r: r[0])
            limit = budget(page_type)
            worst_ratio = max(worst_ratio, max(len(br.body), len(gz.body)) / limit)
            if len(plain.body) > len(heaviest[1]):
                heaviest = (path, plain.body)
            print(
                f"{page_type:<11}{len(paths):>3}{len(plain.body):>9,}{len(br.body):>8,}"
                f"{br.total:>8,}{len(gz.body):>8,}{gz.total:>8,}{reference:>10,}{limit:>8,}"
                f"  {path}{'' if br.headers.get('content-encoding') else ' (not compressed)'}"
            )
        sizes, requests, foreign = asset_bytes(base, heaviest[1])
        print(
            f"\nHeaviest page {heaviest[0]}: HTML {len(heaviest[1]):,} bytes uncompressed; "
            f"it pulls in css {sizes['css']:,}, js {sizes['js']:,}, fonts {sizes['fonts']:,}, "
            f"img {sizes['img']:,} bytes (br), {requests} requests, other hosts: "
            f"{', '.join(sorted(foreign)) or 'none'}."
        )
        print(
            f"Budgets: {FIRST_ROUND_TRIP:,} bytes (one round trip), topic maps {MAP_BUDGET:,}; "
            f"the fullest page uses {worst_ratio:.0%} of its budget."
        )
        if not LIGHTHOUSE.exists() or not shutil.which("node"):
            print(
                "Lighthouse: not installed (npm i --prefix .tools/lighthouse lighthouse@12); "
                "skipped."
            )
            return
        print("\nLighthouse 12, mobile emulation (performance / accessibility):")
        for page_type in ("home", "section", "glossary", "standard", "topic map"):
            performance, accessibility = lighthouse_scores(base + pages[page_type][0])
            print(f"  {page_type:<10}{performance:>4} / {accessibility}")


if __name__ == "__main__":
    main()
