"""The map's first view as SVG, drawn on the server from the totals the page already holds.

It reads without JavaScript and with a screen reader (each country with money is a link with its
figure), and it is what a phone paints first; plotly's interactive map takes its place once loaded.
Shapes come from the committed static/geo/europe.geojson (investments.geo), projected once per process
with a Lambert conformal conic projection (the one European atlases use), so only the fills change
from page to page.
"""

import math
from functools import lru_cache

from investments import geo

# The frame: a graticule-shaped window, between two meridians and two parallels, as European atlases
# draw a conic map. The east meridian stays west of the one at which the shapes file cuts Russia (50°E),
# so no country ends at a straight cut; the window holds the Canaries, Iceland, the North Cape and Cyprus.
WEST, EAST, SOUTH, NORTH = -26.0, 45.0, 26.5, 72.0
CENTRE_LON = 10.0
PARALLELS = (35.0, 65.0)
WIDTH = 1000
# Five classes of the countries with counted money (natural breaks, see classes()), light to dark; the
# colours are ColorBrewer's Blues, told apart in greyscale too.
CLASS_COLOURS = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
UNDISCLOSED_COLOUR = "#dfe3ea"
NO_DATA_COLOUR = "#f2f3f5"


def _conic():
    """Lambert conformal conic projection (spherical), as a function of (lon, lat) in degrees."""
    phi1, phi2 = (math.radians(p) for p in PARALLELS)
    n = math.log(math.cos(phi1) / math.cos(phi2)) / math.log(
        math.tan(math.pi / 4 + phi2 / 2) / math.tan(math.pi / 4 + phi1 / 2)
    )
    f = math.cos(phi1) * math.tan(math.pi / 4 + phi1 / 2) ** n / n
    rho0 = f / math.tan(math.pi / 4 + math.radians((SOUTH + NORTH) / 2) / 2) ** n

    def project(lon, lat):
        rho = f / math.tan(math.pi / 4 + math.radians(lat) / 2) ** n
        theta = n * math.radians(lon - CENTRE_LON)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)

    return project


@lru_cache(maxsize=1)
def frame():
    """The projection scaled to the SVG's user units, the view box, and the window's outline (a path)."""
    project = _conic()
    steps = range(0, 101)
    outline = (
        [(WEST + (EAST - WEST) * k / 100, SOUTH) for k in steps]
        + [(EAST, SOUTH + (NORTH - SOUTH) * k / 100) for k in steps]
        + [(EAST - (EAST - WEST) * k / 100, NORTH) for k in steps]
        + [(WEST, NORTH - (NORTH - SOUTH) * k / 100) for k in steps]
    )
    xs, ys = zip(*(project(lon, lat) for lon, lat in outline), strict=True)
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    scale = WIDTH / (right - left)
    height = round((top - bottom) * scale)

    def to_svg(lon, lat):
        x, y = project(lon, lat)
        return round((x - left) * scale, 1), round((top - y) * scale, 1)

    window = "M" + "L".join(f"{x:g} {y:g}" for x, y in (to_svg(lon, lat) for lon, lat in outline)) + "Z"
    return to_svg, (0, 0, WIDTH, height), window


# Points closer than this (user units, about a pixel at full width) to the last one kept are dropped,
# and rings smaller than MIN_AREA left out: the page carries about 30 kB of shapes (10 kB compressed),
# not 160.
MIN_STEP = 2.5
MIN_AREA = 6.0


def _ring(ring, to_svg) -> list:
    points = []
    for lon, lat in ring:
        x, y = to_svg(lon, lat)
        x, y = round(x), round(y)
        if not points or math.hypot(x - points[-1][0], y - points[-1][1]) >= MIN_STEP:
            points.append((x, y))
    area = (
        abs(
            sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True))
        )
        / 2
    )
    return points if len(points) > 2 and area >= MIN_AREA else []


def _path(geometry, to_svg) -> str:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = _ring(ring, to_svg)
            if points:
                # Relative steps after the first point: shorter, and they compress about twice as well.
                (x0, y0), steps = points[0], zip(points, points[1:], strict=False)
                parts.append(
                    f"M{x0} {y0}l" + " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in steps) + "z"
                )
    return "".join(parts)


@lru_cache(maxsize=1)
def paths() -> dict:
    """{ISO alpha-2: SVG path data} of every country shape, projected once."""
    to_svg, _, _ = frame()
    return {iso2: _path(geometry, to_svg) for iso2, geometry in geo.shapes().items()}


def classes(totals: list) -> list:
    """Upper bounds of up to five natural-break classes of the positive totals (fewer when there are few).

    Fisher's exact optimisation (Jenks' natural breaks): the split into classes that keeps each class's
    totals closest to their mean. Unlike quantile classes, which put as many countries in each class and
    so lump the four or five leaders together, it gives a leader far ahead its own class. static/js/map.js
    repeats this function step for step, so the interactive map colours each country as this view does.
    """
    values = sorted(float(t) for t in totals if t and t > 0)
    count = min(len(CLASS_COLOURS), len(set(values)))
    if not count:
        return []
    n = len(values)
    sums, squares = [0.0], [0.0]
    for value in values:
        sums.append(sums[-1] + value)
        squares.append(squares[-1] + value * value)

    def spread(first, last):  # sum of squared deviations of values[first..last]
        total = sums[last + 1] - sums[first]
        return squares[last + 1] - squares[first] - total * total / (last - first + 1)

    # cost[c][j]: the least spread of values[0..j] in c + 1 classes; start[c][j]: where the last begins.
    cost = [[spread(0, j) for j in range(n)]]
    start = [[0] * n]
    for c in range(1, count):
        row, starts = [math.inf] * n, [0] * n
        for j in range(c, n):
            for i in range(c, j + 1):
                candidate = cost[c - 1][i - 1] + spread(i, j)
                if candidate < row[j]:
                    row[j], starts[j] = candidate, i
        cost.append(row)
        start.append(starts)
    bounds, last = [], n - 1
    for c in range(count - 1, -1, -1):
        bounds.append(values[last])
        last = start[c][last] - 1
    return sorted(set(bounds))


def colour(total, bounds) -> str:
    for bound, fill in zip(bounds, CLASS_COLOURS[-len(bounds) :] if bounds else [], strict=False):
        if total <= bound:
            return fill
    return CLASS_COLOURS[-1]


def europe_map(rows, link, label, legend_text) -> dict:
    """What templates/investments/_svg_map.html draws: the view box, one shape per country, the legend.

    `rows` are the page's by-country rows (iso2 in `key`, `total` possibly None, `count`); `link(iso2)`
    gives a country's page URL, `label(row)` a country's accessible text, `legend_text(low, high)` a
    class's range.
    """
    by_iso = {row["key"]: row for row in rows}
    bounds = classes([row.get("total") for row in rows])
    class_colours = CLASS_COLOURS[-len(bounds) :] if bounds else []
    shapes = []
    for iso2, data in sorted(paths().items()):
        row = by_iso.get(iso2)
        if row is None:
            shapes.append({"iso2": iso2, "d": data, "fill": NO_DATA_COLOUR})
        elif not row.get("total"):
            shapes.append(
                {"iso2": iso2, "d": data, "fill": UNDISCLOSED_COLOUR, "href": link(iso2), "label": label(row)}
            )
        else:
            fill = colour(row["total"], bounds)
            shapes.append({"iso2": iso2, "d": data, "fill": fill, "href": link(iso2), "label": label(row)})
    lower = [0, *bounds[:-1]] if bounds else []
    legend = [
        {"colour": c, "text": legend_text(low, high)}
        for c, low, high in zip(class_colours, lower, bounds, strict=True)
    ]
    _, view_box, window = frame()
    return {
        "view_box": " ".join(str(v) for v in view_box),
        "window": window,
        "shapes": shapes,
        "legend": legend,
        "undisclosed_colour": UNDISCLOSED_COLOUR,
        "no_data_colour": NO_DATA_COLOUR,
    }
