"""Country shapes for the map and the GeoJSON export, read from the committed static/geo/europe.geojson.

The file is built once, offline, from Natural Earth 1:50m admin-0 polygons as packaged by the npm
`world-atlas` package (TopoJSON, ISC licence; Natural Earth is public domain):

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m investments.geo /tmp/package/countries-50m.json static/geo/europe.geojson

Building it decodes the TopoJSON arcs, keeps the countries the database seeds (world-atlas names them
by ISO 3166 numeric code; Kosovo has none there and is matched by name), drops the parts far from
Europe (French Guiana, Réunion, the Caribbean Netherlands...) and rounds coordinates to 0.001 degree.
Natural Earth 4.1 draws Crimea under Russia (its de facto view); the tracker follows the EU and UN
position, so that polygon is attached to Ukraine. Rings keep world-atlas' winding (exterior clockwise), the one d3 and so plotly's geo maps need; RFC 7946
prefers the reverse but tells readers not to reject either, and QGIS reads both.
"""

import json
import math
import sys
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders

from investments.europe import EUROPEAN_COUNTRIES

STATIC_PATH = "geo/europe.geojson"
NOT_IN_ISO_NUMERIC = {"Kosovo": "XK"}
# Longitude and latitude bounds of the parts kept: the Azores and Canaries to Türkiye, up to Svalbard.
EUROPE_BOUNDS = (-32.0, 27.0, 50.0, 82.0)
PLACES = 3
# Bounds of the Crimean peninsula: a polygon of Russia's lying within them is drawn as Ukraine's.
CRIMEA_BOUNDS = (32.0, 44.0, 37.0, 46.5)


@lru_cache(maxsize=1)
def shapes() -> dict:
    """{ISO alpha-2: GeoJSON geometry} of every country in the committed file."""
    path = finders.find(STATIC_PATH)
    if not path:
        return {}
    with open(path, encoding="utf-8") as file:
        collection = json.load(file)
    return {feature["id"]: feature["geometry"] for feature in collection["features"]}


# A town on the coast may sit just off a 1:50m coastline; accept a point this close to its country's
# shape when it lies in no other country's.
COAST_KM = 8.0
KM_PER_DEGREE = 111.32


def polygons_of(shape) -> list:
    if not shape:
        return []
    return [shape["coordinates"]] if shape["type"] == "Polygon" else shape["coordinates"]


def in_ring(lon: float, lat: float, ring_points) -> bool:
    """Ray casting: whether (lon, lat) lies inside the closed ring."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring_points, ring_points[1:], strict=False):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(shape, lon: float, lat: float) -> bool:
    """Whether the GeoJSON (Multi)Polygon contains the point (holes excluded)."""
    for polygon in polygons_of(shape):
        if in_ring(lon, lat, polygon[0]) and not any(in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def distance_km(shape, lon: float, lat: float) -> float:
    """Shortest distance from the point to the shape's edges, on a plane scaled at the point's latitude
    (exact enough at the few kilometres it is used for)."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    for polygon in polygons_of(shape):
        for ring_points in polygon:
            for (x1, y1), (x2, y2) in zip(ring_points, ring_points[1:], strict=False):
                ax, ay, bx, by = (x1 - lon) * scale, y1 - lat, (x2 - lon) * scale, y2 - lat
                dx, dy = bx - ax, by - ay
                length = dx * dx + dy * dy
                t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
                best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best * KM_PER_DEGREE


def outside_country(iso2: str, lon: float, lat: float) -> str:
    """Why the point cannot be in country `iso2`, or "" when it is (or is on its coast, see COAST_KM)."""
    known = shapes()
    shape = known.get(iso2)
    if shape is None:
        return f"no shape for country {iso2!r} in {STATIC_PATH}"
    if contains(shape, lon, lat):
        return ""
    elsewhere = next((code for code, other in known.items() if contains(other, lon, lat)), None)
    if elsewhere:
        return f"({lat}, {lon}) lies in {elsewhere}, not in {iso2} (latitude, longitude swapped?)"
    gap = distance_km(shape, lon, lat)
    if gap <= COAST_KM:
        return ""
    return f"({lat}, {lon}) lies {gap:.0f} km outside {iso2} (latitude, longitude swapped?)"


def decode_arcs(topology) -> list[list[list[float]]]:
    """Absolute positions of every arc: TopoJSON stores them quantized and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append([round(x * sx + tx, PLACES), round(y * sy + ty, PLACES)])
        arcs.append(points)
    return arcs


def ring(indexes, arcs) -> list[list[float]]:
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Each arc starts where the previous one ended: skip the repeated point.
        points.extend(arc[1:] if points else arc)
    deduplicated = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
    return deduplicated


def within(polygon, bounds, whole=False) -> bool:
    """Whether the polygon's bounding box (whole=True) or its centre (whole=False) lies in bounds."""
    west, south, east, north = bounds
    xs = [x for x, _ in polygon[0]]
    ys = [y for _, y in polygon[0]]
    if whole:
        return west <= min(xs) and max(xs) <= east and south <= min(ys) and max(ys) <= north
    centre_x, centre_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return west <= centre_x <= east and south <= centre_y <= north


def polygons(topo_geometry, arcs) -> list:
    kind = topo_geometry["type"]
    if kind not in ("Polygon", "MultiPolygon"):
        return []
    parts = [topo_geometry["arcs"]] if kind == "Polygon" else topo_geometry["arcs"]
    decoded = []
    for part in parts:
        rings = [ring(indexes, arcs) for indexes in part]
        rings = [r for r in rings if len(r) >= 4]  # a ring needs three corners plus the closing point
        if rings:
            decoded.append(rings)
    return decoded


def geometry(decoded):
    decoded = [polygon for polygon in decoded if within(polygon, EUROPE_BOUNDS)]
    if not decoded:
        return None
    if len(decoded) == 1:
        return {"type": "Polygon", "coordinates": decoded[0]}
    return {"type": "MultiPolygon", "coordinates": decoded}


def europe_from_topojson(topology) -> dict:
    """A GeoJSON FeatureCollection of the seeded European countries from world-atlas TopoJSON."""
    import pycountry

    arcs = decode_arcs(topology)
    wanted = set(EUROPEAN_COUNTRIES)
    parts, names = {}, {}
    for topo_geometry in topology["objects"]["countries"]["geometries"]:
        name = topo_geometry.get("properties", {}).get("name", "")
        numeric = topo_geometry.get("id")
        record = pycountry.countries.get(numeric=numeric) if numeric else None
        iso2 = record.alpha_2 if record else NOT_IN_ISO_NUMERIC.get(name)
        if iso2 == "RU":
            crimea = [p for p in polygons(topo_geometry, arcs) if within(p, CRIMEA_BOUNDS, whole=True)]
            parts.setdefault("UA", []).extend(crimea)
        if iso2 in wanted:
            parts.setdefault(iso2, []).extend(polygons(topo_geometry, arcs))
            names[iso2] = name
    features = []
    for iso2, decoded in parts.items():
        shape = geometry(decoded)
        if shape and iso2 in names:
            features.append(
                {
                    "type": "Feature",
                    "id": iso2,
                    "properties": {"iso2": iso2, "name": names[iso2]},
                    "geometry": shape,
                }
            )
    features.sort(key=lambda feature: feature["id"])
    return {"type": "FeatureCollection", "features": features}


def main(argv):
    source, target = Path(argv[0]), Path(argv[1])
    collection = europe_from_topojson(json.loads(source.read_text(encoding="utf-8")))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    found = {feature["id"] for feature in collection["features"]}
    print(f"{target}: {len(found)} countries, {target.stat().st_size // 1024} KB")
    if missing := sorted(set(EUROPEAN_COUNTRIES) - found):
        print("no shape for:", ", ".join(missing))


if __name__ == "__main__":
    main(sys.argv[1:])
