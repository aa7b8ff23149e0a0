"""The state map: outlines decoded once from data/states.json, drawn as SVG by a template."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from . import geography
from .status import JurisdictionStatus

GEOMETRY_FILE = geography.DATA / "states.json"
# Territories are not in the outline file; they are drawn as labelled tiles.
TILE = {"x": 600, "y": 620, "width": 52, "height": 30, "gap": 8}
VIEWBOX = "0 0 975 660"


@dataclass
class Shape:
    status: JurisdictionStatus
    d: str = ""
    x: float = 0
    y: float = 0

    @property
    def name(self) -> str:
        return self.status.jurisdiction.name

    @property
    def abbr(self) -> str:
        return self.status.jurisdiction.state_abbr

    @property
    def accessible_name(self) -> str:
        return f"{self.name}: {self.status.label}"


@lru_cache(maxsize=1)
def outlines() -> dict:
    return json.loads(GEOMETRY_FILE.read_text())


def map_shapes(statuses: list[JurisdictionStatus]) -> tuple[list[Shape], list[Shape]]:
    """(states and DC drawn from outlines, territories drawn as tiles)."""
    paths = outlines()["states"]
    drawn, tiles = [], []
    for status in statuses:
        fips = status.jurisdiction.fips
        if fips in paths:
            drawn.append(Shape(status, d=paths[fips]["d"]))
        else:
            tiles.append(status)
    tile_shapes = [
        Shape(
            status,
            x=TILE["x"] + i * (TILE["width"] + TILE["gap"]),
            y=TILE["y"],
        )
        for i, status in enumerate(sorted(tiles, key=lambda s: s.jurisdiction.name))
    ]
    return drawn, tile_shapes
