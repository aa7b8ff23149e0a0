"""The state map: outlines decoded once from data/states.json, drawn as SVG by a template."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from . import geography
from .status import JurisdictionStatus

GEOMETRY_FILE = geography.DATA / "states.json"
VIEWBOX = "0 0 975 610"
# Drawn as labelled tiles beside the map rather than as shapes in it: DC's outline is a
# few pixels wide and the territories are not in the outline file. Tiles are HTML links
# at least 44 x 44 CSS pixels (WCAG 2.5.5), whatever the map's scale.
TILED = {"DC"}


@dataclass
class Shape:
    status: JurisdictionStatus
    d: str = ""

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
    """(the 50 states drawn from outlines, DC and the territories as tiles by name)."""
    paths = outlines()["states"]
    drawn, tiles = [], []
    for status in statuses:
        fips = status.jurisdiction.fips
        if fips in paths and status.jurisdiction.state_abbr not in TILED:
            drawn.append(Shape(status, d=paths[fips]["d"]))
        else:
            tiles.append(Shape(status))
    return drawn, sorted(tiles, key=lambda s: s.name)
