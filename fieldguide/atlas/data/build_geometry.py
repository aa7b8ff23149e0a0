"""Turn us-atlas's pre-projected state outlines (TopoJSON) into compact SVG path data.

Each shared border (TopoJSON arc) is simplified once with Visvalingam-Whyatt, so
neighbouring states keep meeting exactly, and coordinates are rounded to whole pixels of
the 975 x 610 frame (the map is drawn at most about 1.3 times that size). Small shapes
keep enough points to stay visible: DC and Rhode Island are a few pixels across.

Run once when the outlines change::

    cd /tmp && npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python fieldguide/atlas/data/build_geometry.py /tmp/package/states-albers-10m.json

Source: npm package ``us-atlas`` 3.0.1 (https://github.com/topojson/us-atlas), ISC
license, derived from the US Census Bureau's cartographic boundary files (2017, 1:10m),
projected with d3.geoAlbersUsa to a 975 x 610 frame. The TopoJSON arcs are decoded here
(quantised, delta-encoded; a negative arc index means the reversed arc ``~i``), so no GIS
library is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).with_name("states.json")
# Points whose triangle with their neighbours is smaller than this (in square pixels of
# the frame) are dropped; 1.5 px² keeps coasts and borders recognisable at 1280 px.
MIN_AREA = 1.5
# A closed arc (an island, or a state with no neighbour on that ring) keeps this many.
MIN_RING_POINTS = 4
GRID = 1  # coordinates rounded to this many pixels


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute coordinates of every arc, undoing quantisation and delta encoding."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _area(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2


def simplify(points: list[tuple[float, float]], min_area: float = MIN_AREA) -> list:
    """Visvalingam-Whyatt: drop the least significant point until none is below
    ``min_area``; the ends (where borders meet) always stay."""
    keep = list(points)
    floor = MIN_RING_POINTS if keep and keep[0] == keep[-1] else 2
    while len(keep) > floor:
        areas = [_area(keep[i - 1], keep[i], keep[i + 1]) for i in range(1, len(keep) - 1)]
        smallest = min(range(len(areas)), key=areas.__getitem__)
        if areas[smallest] >= min_area:
            break
        del keep[smallest + 1]
    return keep


def ring_points(
    ring: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def path_data(geometry: dict, arcs: list[list[tuple[float, float]]]) -> str:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = [ring_points(ring, arcs) for polygon in polygons for ring in polygon]
    drawn = "".join(relative_ring(ring) for ring in rings)
    # An islet that rounds to a line or a point is not drawn (a state always is).
    return drawn or "".join(relative_ring(ring, keep_any=True) for ring in rings)


def relative_ring(points: list[tuple[float, float]], keep_any: bool = False) -> str:
    """``M`` then relative ``l`` steps on the pixel grid, without accumulating error;
    empty if the ring rounds to fewer than three points (unless ``keep_any``)."""
    grid = [(round(x / GRID) * GRID, round(y / GRID) * GRID) for x, y in points]
    if len(set(grid)) < 3 and not keep_any:
        return ""
    start_x, start_y = grid[0]
    steps = []
    last = grid[0]
    for point in grid[1:]:
        if point == last:
            continue
        dx, dy = point[0] - last[0], point[1] - last[1]
        steps.append(f"{dx}{'' if dy < 0 else ' '}{dy}")
        last = point
    return f"M{start_x} {start_y}l{' '.join(steps)}z"


def build(source: Path) -> dict:
    topology = json.loads(source.read_text())
    arcs = [simplify(arc) for arc in decode_arcs(topology)]
    states = {}
    for geometry in topology["objects"]["states"]["geometries"]:
        states[geometry["id"]] = {
            "name": geometry["properties"]["name"],
            "d": path_data(geometry, arcs),
        }
    return {
        "source": "us-atlas 3.0.1 states-albers-10m.json (ISC license; US Census Bureau "
        "cartographic boundaries), decoded and simplified by build_geometry.py",
        "viewBox": "0 0 975 610",
        "states": dict(sorted(states.items())),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: build_geometry.py PATH/TO/states-albers-10m.json")
    OUTPUT.write_text(json.dumps(build(Path(sys.argv[1])), separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
