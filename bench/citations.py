"""Print milliseconds per item per citation style, uncached (citeproc-py) and cached.

Run: .venv/bin/python bench/citations.py   (items: the default guide's library.yaml;
"cached" is a read from the configured Django cache, as citation_html does).
Figures are CPU time (time.process_time), best of three runs: the 2 shared cores make
wall-clock figures swing by 3x with other people's load.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldguide.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402

from fieldguide.library.citations import STYLES, render_csl  # noqa: E402


def bundle_items() -> list[dict]:
    """CSL items for the default guide's library (content/default/library.yaml)."""
    import yaml

    from fieldguide.library.csl import TYPE_TO_CSL

    data = yaml.safe_load((ROOT / "content" / "default" / "library.yaml").read_text())
    items = []
    for entry in data["resources"]:
        item = {"id": entry["key"], "type": TYPE_TO_CSL[entry.get("type", "article")]}
        item["title"] = entry["title"]
        if entry.get("creators"):
            item["author"] = entry["creators"]
        for variable, key in (
            ("container-title", "container"),
            ("publisher", "publisher"),
            ("volume", "volume"),
            ("issue", "issue"),
            ("page", "pages"),
            ("DOI", "doi"),
            ("URL", "url"),
        ):
            if entry.get(key):
                item[variable] = str(entry[key])
        if entry.get("issued"):
            item["issued"] = {"date-parts": [[int(p) for p in str(entry["issued"]).split("-")]]}
        items.append(item)
    return items


RUNS = 3


def best_ms_per_item(run, items: list[dict]) -> float:
    """The fastest of RUNS runs of `run(item)` over `items`, in CPU ms per item."""
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        for item in items:
            run(item)
        best = min(best, time.process_time() - start)
    return best * 1000 / len(items)


def main() -> None:
    items = bundle_items()
    for style in STYLES:
        render_csl(items[0], style.key)  # parse the style file once
        uncached = best_ms_per_item(lambda item, key=style.key: render_csl(item, key), items)
        for item in items:
            cache.set(f"bench:{style.key}:{item['id']}", render_csl(item, style.key))
        cached = best_ms_per_item(
            lambda item, key=style.key: cache.get(f"bench:{key}:{item['id']}"), items
        )
        print(
            f"{style.label:22} {len(items):3} items  "
            f"uncached {uncached:7.2f} ms/item  cached {cached:6.3f} ms/item"
        )


if __name__ == "__main__":
    main()
