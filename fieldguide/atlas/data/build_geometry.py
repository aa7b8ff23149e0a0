"""Turn us-atlas's pre-projected state outlines (TopoJSON) into compact SVG path data.

Run once when the outlines change::

    cd /tmp && npm pack us-atlas@3.0.1 && tar xzf us-atlas-3.0.1.tgz
    python fieldguide/atlas/data/build_geometry.py /tmp/package/states-albers-10m.json

Source: npm package ``us-atlas`` 3.0.1 (https://github.com/topojson/us-atlas), ISC
licence, derived from the US Census Bureau's cartographic boundary files (2017, 1:10m),
projected with d3.geoAlbersUsa to a 975 x 610 frame. The TopoJSON arcs are decoded here
(quantised, delta-encoded; a negative arc index means the reversed arc ``~i``), so no GIS
library is needed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).with_name("states.json")


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
    parts = []
    for polygon in polygons:
        for ring in polygon:
            parts.append(relative_ring(ring_points(ring, arcs)))
    return "".join(parts)


def _tenths(value: int) -> str:
    text = f"{value / 10:g}"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def relative_ring(points: list[tuple[float, float]]) -> str:
    """``M`` then relative ``l`` steps, rounded to 0.1 px without accumulating error."""
    grid = [(round(x * 10), round(y * 10)) for x, y in points]
    start_x, start_y = grid[0]
    steps = []
    last = grid[0]
    for point in grid[1:]:
        if point == last:
            continue
        dx, dy = point[0] - last[0], point[1] - last[1]
        steps.append(f"{_tenths(dx)}{'' if dy < 0 else ','}{_tenths(dy)}")
        last = point
    return f"M{_tenths(start_x)},{_tenths(start_y)}l{' '.join(steps)}z"


def build(source: Path) -> dict:
    topology = json.loads(source.read_text())
    arcs = decode_arcs(topology)
    states = {}
    for geometry in topology["objects"]["states"]["geometries"]:
        states[geometry["id"]] = {
            "name": geometry["properties"]["name"],
            "d": path_data(geometry, arcs),
        }
    return {
        "source": "us-atlas 3.0.1 states-albers-10m.json (ISC licence; US Census Bureau "
        "cartographic boundaries), decoded by build_geometry.py",
        "viewBox": "0 0 975 610",
        "states": dict(sorted(states.items())),
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: build_geometry.py PATH/TO/states-albers-10m.json")
    OUTPUT.write_text(json.dumps(build(Path(sys.argv[1])), separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
