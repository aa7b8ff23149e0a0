"""axe-core (bundled by axe-playwright-python) run in the page under test."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


def violations(page, *, serious_only: bool = False) -> list[str]:
    """Every WCAG 2.2 A/AA and best-practice violation (or only serious and critical ones)."""
    results = Axe().run(page, options=WCAG_22_AA)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if not serious_only or v["impact"] in {"serious", "critical"}
    ]
