"""Page weight per page type: what a reader's browser downloads, and from where.

Run: .venv/bin/python bench/page_weight.py
Prints, per page type, the HTML size (raw and gzip), the CSS/JS/font/image bytes it
pulls in, the number of requests, and any host other than the site's own.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import ROOT, gunicorn, setup_site  # noqa: E402

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
    report = json.loads(out.stdout)
    categories = report["categories"]
    return round(categories["performance"]["score"] * 100), round(
        categories["accessibility"]["score"] * 100
    )


def main() -> None:
    var_dir = setup_site()
    from django.test import Client

    from fieldguide.guide.models import GuideHomePage, SectionPage, StandardPage

    client = Client()
    home = GuideHomePage.objects.get()
    section = SectionPage.objects.live().first()
    standard = StandardPage.objects.live().first()
    pages = {
        "home": home.url,
        "section": section.url,
        "glossary": "/glossary/",
        "standard": standard.url,
        "contact": "/contact/",
        "search": "/search/?q=harm+reduction",
    }
    print(
        f"{'page':<10}{'html':>9}{'html.gz':>9}{'css':>8}{'js':>8}{'fonts':>7}"
        f"{'img':>6}{'total':>9}{'reqs':>6}  other hosts"
    )
    worst = largest_first = 0
    for name, url in pages.items():
        response = client.get(url)
        html = response.content
        sizes = {"css": 0, "js": 0, "fonts": 0, "img": 0}
        requests, foreign = 1, set()
        for asset in ASSET_RE.findall(html.decode()):
            host = urlsplit(asset).netloc
            if host:
                foreign.add(host)
                continue
            body = b"".join(client.get(asset).streaming_content)
            requests += 1
            kind = "css" if asset.endswith(".css") else "js" if asset.endswith(".js") else "img"
            sizes[kind] += len(body)
            if kind == "css":
                for ref in CSS_URL_RE.findall(body.decode()):
                    if ref.startswith("data:"):
                        continue
                    if urlsplit(ref).netloc:
                        foreign.add(urlsplit(ref).netloc)
                        continue
                    requests += 1
                    sizes["fonts"] += len(b"".join(client.get(ref).streaming_content))
        total = len(html) + sum(sizes.values())
        worst = max(worst, total)
        largest_first = max(largest_first, len(gzip.compress(html, 6)))
        print(
            f"{name:<10}{len(html):>9,}{len(gzip.compress(html)):>9,}{sizes['css']:>8,}"
            f"{sizes['js']:>8,}{sizes['fonts']:>7,}{sizes['img']:>6,}{total:>9,}{requests:>6}"
            f"  {', '.join(sorted(foreign)) or '-'}"
        )
    print(f"\nHeaviest page: {worst:,} bytes uncompressed (budget 100,000).")
    print(f"Largest first response, gzip: {largest_first:,} bytes (one round trip: 14,336).")
    if not LIGHTHOUSE.exists() or not shutil.which("node"):
        print(
            "Lighthouse: not installed (npm i --prefix .tools/lighthouse lighthouse@12); skipped."
        )
        return
    print("\nLighthouse 12, mobile emulation (performance / accessibility):")
    with gunicorn(var_dir, workers=2) as base:
        for name, url in pages.items():
            if name in {"contact", "search"}:
                continue
            performance, accessibility = lighthouse_scores(base + url)
            print(f"  {name:<10}{performance:>4} / {accessibility}")


if __name__ == "__main__":
    main()
