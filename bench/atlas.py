"""Atlas timings and sizes: place lookups, the topic map page, CSV import.

    .venv/bin/python bench/atlas.py

Uses a throwaway SQLite database (bench/_site.py), never the site's. Prints numbers
only; nothing is asserted, because the machine is shared and timings are noisy.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _site import setup_site  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, float]:
    """(first call, median of the following calls) in milliseconds."""
    start = time.perf_counter()
    fn()
    first = (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return first, statistics.median(samples)


def main() -> None:
    os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure rendering, not a cache hit
    setup_site(load_default=False)
    from django.db import transaction
    from django.test import Client

    from fieldguide.atlas.lookup import resolve
    from fieldguide.atlas.policy_csv import export_policy_csv, import_policy_csv
    from fieldguide.atlas.starter import load_all

    # What the `atlas` and `atlas_reference` test fixtures cost, alternated in one run.
    class Undo(Exception):
        pass

    costs: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(3):
        for reference in (True, False):
            start = time.perf_counter()
            try:
                with transaction.atomic():
                    load_all(reference=reference)
                    raise Undo
            except Undo:
                costs[reference].append((time.perf_counter() - start) * 1000)
    for reference, label in ((True, "with reference data"), (False, "without")):
        median = statistics.median(costs[reference])
        print(f"load into an empty atlas, {label}: median {median:.0f} ms")

    start = time.perf_counter()
    load_all()
    print(f"load_atlas (first run): {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    load_all()
    print(f"load_atlas (again, idempotent): {(time.perf_counter() - start) * 1000:.0f} ms")

    for query in ("21201", "Kansas City, MO", "Portland", "Maryland"):
        first, median = timed(lambda q=query: resolve(q), 50)
        print(f"resolve({query!r}): first {first:.1f} ms, then median {median:.2f} ms")

    client = Client()
    for url in (
        "/atlas/topics/selling-sex/",
        "/atlas/places/md/",
        "/atlas/lookup/?place=21201&topic=selling-sex",
    ):
        first, median = timed(lambda u=url: client.get(u), 20)
        body = client.get(url).content
        print(
            f"GET {url}: first {first:.0f} ms, median {median:.1f} ms, "
            f"{len(body) / 1024:.1f} KB ({len(gzip.compress(body)) / 1024:.1f} KB gzipped)"
        )

    data = export_policy_csv().encode()
    first, median = timed(lambda: import_policy_csv(data), 5)
    rows = data.count(b"\n") - 1
    print(f"CSV re-import of {rows} records: first {first:.0f} ms, median {median:.0f} ms")


if __name__ == "__main__":
    main()
