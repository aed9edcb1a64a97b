"""The timeline's first view as SVG, drawn on the server: counted investment by year, and its running sum.

It reads without JavaScript and with a screen reader (its description gives every year's figure), and it
is what a phone paints first; plotly's chart of one marker per investment (static/js/timeline.js) takes
its place when the reader reaches for it. Positions are percentages of the SVG's box, not user units of a
view box: the drawing fills the chart's box at any width without stretching its text, and so holds the
same box as the plotly chart that replaces it.
"""

from decimal import Decimal

# Bands of the box, in percent of its height: the yearly bars above, their years under them, and the
# running sum in a strip below, as the plotly chart puts its cumulative panel under its markers.
BARS_TITLE_Y = 5
BARS_TOP, BARS_BOTTOM = 14, 56
YEARS_Y = 61
SUM_TITLE_Y = 70
SUM_TOP, SUM_BOTTOM = 77, 96
# Each year's slot across the width; its bar takes the middle of it.
LEFT, RIGHT = 2.0, 98.0
BAR_SHARE = 0.64
# Beyond this many years a label on every bar would collide on a phone: only the largest keeps one.
LABELLED_YEARS = 12


def _pct(value: float) -> str:
    return f"{value:.2f}%"


def timeline_bars(rows, amount_text, figure_text) -> dict | None:
    """What templates/investments/_svg_timeline.html draws, or None when no year has a counted amount.

    `rows` are /api/v1/stats/?by=year rows (`key` the year or None for undated records, `total` the
    counted sum or None when every amount is undisclosed, `count`); `amount_text(value)` writes an
    amount in the page's language and currency, `figure_text(value)` without the currency (the bars'
    labels, under a title that names it). Years between the first and the last without any record
    are drawn as empty slots, so the time axis has no jumps.
    """
    dated = {int(row["key"]): row for row in rows if row.get("key") is not None}
    totals = {year: Decimal(row["total"] or 0) for year, row in dated.items()}
    if not dated or not any(totals.values()):
        return None
    years = list(range(min(dated), max(dated) + 1))
    largest = max(totals.values())
    slot = (RIGHT - LEFT) / len(years)
    labelled = len(years) <= LABELLED_YEARS
    bars, steps, running, previous_y = [], [], Decimal(0), SUM_BOTTOM
    grand = sum(totals.values())
    for index, year in enumerate(years):
        total = totals.get(year, Decimal(0))
        row = dated.get(year)
        left = LEFT + index * slot
        height = float(total / largest) * (BARS_BOTTOM - BARS_TOP)
        bars.append(
            {
                "year": year,
                "x": _pct(left + slot * (1 - BAR_SHARE) / 2),
                "width": _pct(slot * BAR_SHARE),
                "y": _pct(BARS_BOTTOM - height),
                "height": _pct(height),
                "centre": _pct(left + slot / 2),
                "label_y": _pct(BARS_BOTTOM - height - 1.2),
                "text": figure_text(total) if total and (labelled or total == largest) else "",
                "count": row["count"] if row else 0,
                "undisclosed": row.get("undisclosed", 0) if row else 0,
                "amount": amount_text(total) if total else None,
            }
        )
        # The running sum as steps: up at the start of each year's slot, flat across it.
        running += total
        y = SUM_BOTTOM - float(running / grand) * (SUM_BOTTOM - SUM_TOP)
        steps.append({"x1": _pct(left), "y1": _pct(previous_y), "x2": _pct(left), "y2": _pct(y)})
        steps.append({"x1": _pct(left), "y1": _pct(y), "x2": _pct(left + slot), "y2": _pct(y)})
        previous_y = y
    undated = sum(row["count"] for row in rows if row.get("key") is None)
    return {
        "bars": bars,
        "steps": steps,
        "first": years[0],
        "last": years[-1],
        "cumulative": amount_text(grand),
        "cumulative_y": _pct(SUM_TOP - 2),
        "undated": undated,
        "bands": {
            "bars_title": _pct(BARS_TITLE_Y),
            "bars_bottom": _pct(BARS_BOTTOM),
            "years": _pct(YEARS_Y),
            "sum_title": _pct(SUM_TITLE_Y),
            "sum_bottom": _pct(SUM_BOTTOM),
            "left": _pct(LEFT),
            "right": _pct(RIGHT),
        },
    }
