"""Totals for the stats endpoint and the country map: plain functions over a filtered queryset.

Every figure comes from counted() records only, so a component or a superseded record never adds. Each
row has the headline `total` (every counted record), the `total_firm` (confirmed records less their
documented overlaps: investments.querysets) and `undisclosed`, how many of its records have no amount.
A group whose records are all undisclosed has no total (null), never 0.
"""

from collections import defaultdict
from decimal import Decimal

from investments import directory
from investments.choices import Category, Confidence
from investments.models import Company, Country
from investments.versioned_cache import data_as_of

TOP_COMPANIES = 3
EUROPE_WIDE = "Europe-wide"
UNDATED = "Undated"
ZERO = Decimal(0)
LEVELS = tuple(f"confidence_{level}" for level in Confidence.values)
# A country with no counted investment selected: nothing is known there, not an undisclosed amount.
NO_TOTALS = {
    "total_eur": 0,
    "total_usd": 0,
    "firm_eur": 0,
    "firm_usd": 0,
    "count": 0,
    "undisclosed": 0,
    "confidence": dict.fromkeys(Confidence.values, 0),
    "top_companies": [],
}


def country_rollup(investments, currency="EUR", firm=("EUR", "USD"), capacity=False):
    """Counted totals per country id (None: Europe-wide), each with its top companies, and with its
    announced capacity (`capacity_mw`, `gpus`) if asked.

    One GROUP BY (country, company) pass; the per-country totals and the top companies are summed up
    from its few hundred rows in Python rather than by a second pass over the investments.
    """
    amount = "total_eur" if currency == "EUR" else "total_usd"
    rows = list(investments.totals_by_country_and_company(firm=firm))
    known = directory.tables()
    if any(row["company_id"] not in known.companies for row in rows):
        known = directory.tables(reload=True)
    companies = known.companies
    sums = ("total_eur", "total_usd", *(f"firm_{c.lower()}" for c in firm))
    per_country = defaultdict(
        lambda: {
            **dict.fromkeys(sums),
            "count": 0,
            "undisclosed": 0,
            **dict.fromkeys(LEVELS, 0),
            "companies": [],
            **({"capacity_mw": 0, "gpus": 0} if capacity else {}),
        }
    )
    for row in rows:
        entry = per_country[row["country_id"]]
        for name in sums:
            entry[name] = plus(entry[name], row[name])
        for name in ("count", "undisclosed", *LEVELS):
            entry[name] += row[name]
        if capacity:
            entry["capacity_mw"] += row["mw"] or 0
            entry["gpus"] += row["gpus"] or 0
        entry["companies"].append((row[amount], row["company_id"]))
    rollup = {}
    for country_id, entry in per_country.items():
        # Undisclosed companies rank last: unknown is not zero, but it is not more than a figure either.
        top = sorted(
            entry.pop("companies"),
            key=lambda item: (item[0] is None, -(item[0] or ZERO), companies[item[1]][0]),
        )
        entry["confidence"] = confidence_of({level: entry.pop(level) for level in LEVELS})
        entry["top_companies"] = [
            {"company": companies[pk][0], "name": companies[pk][1], "total": total}
            for total, pk in top[:TOP_COMPANIES]
        ]
        rollup[country_id] = entry
    return rollup


def confidence_of(row):
    """How many of a group's counted records stand at each confidence."""
    return {level: row[f"confidence_{level}"] for level in Confidence.values}


def plus(total, value):
    """A running total in which an unknown (None) adds nothing, and that stays None until a figure comes."""
    if value is None:
        return total
    return value if total is None else total + value


def ranked(row):
    """Largest total first, groups with no disclosed total last."""
    return (row["total"] is None, -(row["total"] or ZERO))


def by_country(investments, currency, in_eur=False):
    """Rows per country; `in_eur` also keeps the EUR totals (_eur, _firm_eur) that GDP is compared with."""
    amount, firm = ("total_eur", "firm_eur") if currency == "EUR" else ("total_usd", "firm_usd")
    # One firm figure, in the currency asked for: each costs a correlated expression per record.
    firms = (currency,) if not in_eur or currency == "EUR" else (currency, "EUR")
    rollup = country_rollup(investments, currency, firm=firms, capacity=True)
    countries = directory.tables().countries
    if any(pk is not None and pk not in countries for pk in rollup):
        countries = directory.tables(reload=True).countries
    rows = []
    for country_id, entry in rollup.items():
        key, label = countries[country_id] if country_id is not None else (None, EUROPE_WIDE)
        rows.append(
            {
                "key": key,
                "label": label,
                "total": entry[amount],
                "total_firm": entry[firm],
                "count": entry["count"],
                "undisclosed": entry["undisclosed"],
                "confidence": entry["confidence"],
                "top_companies": entry["top_companies"],
                **({"_eur": entry["total_eur"], "_firm_eur": entry["firm_eur"]} if in_eur else {}),
                "capacity_mw": entry["capacity_mw"],
                "gpus": entry["gpus"],
            }
        )
    return sorted(rows, key=lambda row: (*ranked(row), row["key"] or ""))


PER_COLUMNS = {
    "capita": ("per_capita", "per_capita_firm", "population", "population_year"),
    "gdp": ("share_of_gdp", "share_of_gdp_firm", "gdp_eur", "gdp_year"),
}


def ratio(amount, denominator):
    """amount / denominator, None when either is unknown: no denominator, no normalised figure."""
    if amount is None or not denominator:
        return None
    return amount / denominator


def normalise(rows, per):
    """Add per_capita and per_capita_firm (currency per inhabitant), or share_of_gdp and
    share_of_gdp_firm (a fraction of GDP, both in EUR), to country rows. Europe-wide rows and countries
    with no verified figure get null, never 0."""
    indicators = {
        country.iso2: country
        for country in Country.objects.only("iso2", "population", "population_year", "gdp_eur", "gdp_year")
    }
    for row in rows:
        country = indicators.get(row["key"])
        total, firm = row.pop("_eur", None), row.pop("_firm_eur", None)
        if per == "capita":
            population = country.population if country else None
            row["per_capita"] = round_to(ratio(row["total"], population), "0.01")
            row["per_capita_firm"] = round_to(ratio(row["total_firm"], population), "0.01")
            row["population"], row["population_year"] = (
                population,
                country.population_year if country else None,
            )
        else:
            gdp = country.gdp_eur if country else None
            row["share_of_gdp"] = round_to(ratio(total, gdp), "0.0000001")
            row["share_of_gdp_firm"] = round_to(ratio(firm, gdp), "0.0000001")
            row["gdp_eur"], row["gdp_year"] = gdp, country.gdp_year if country else None


def round_to(value, places):
    return None if value is None else value.quantize(Decimal(places))


def label(by, key):
    if key is None:
        return EUROPE_WIDE if by == "country" else UNDATED
    if by == "category":
        return str(Category(key).label) if key in Category.values else key
    if by == "month":
        return key.strftime("%B %Y")
    return str(key)


def by_other(investments, by, currency):
    names = {}
    if by == "company":
        names = dict(Company.objects.values_list("slug", "name"))
    rows = [
        {
            "key": row["key"].strftime("%Y-%m") if by == "month" and row["key"] else row["key"],
            "label": names.get(row["key"]) or label(by, row["key"]),
            "total": row["total"],
            "total_firm": row["total_firm"] if row["total"] is not None else None,
            "count": row["count"],
            "undisclosed": row["undisclosed"],
            "confidence": confidence_of(row),
            "capacity_mw": row["mw"] or 0,
            "gpus": row["gpus"] or 0,
        }
        for row in investments.totals(by, currency)
    ]
    if by in ("year", "month"):
        # Chronological, undated last.
        return sorted(rows, key=lambda row: (row["key"] is None, str(row["key"] or "")))
    return sorted(rows, key=lambda row: (*ranked(row), str(row["key"] or "")))


def stats(investments, by="country", currency="EUR", per=None):
    """The body of /api/v1/stats/: totals and counts of `investments` grouped by `by`.

    `per` (by=country only) adds each country's totals per inhabitant or as a share of its GDP.
    """
    results = (
        by_country(investments, currency, in_eur=per == "gdp")
        if by == "country"
        else by_other(investments, by, currency)
    )
    total = total_firm = None
    for row in results:
        total, total_firm = plus(total, row["total"]), plus(total_firm, row["total_firm"])
    if per:
        normalise(results, per)
    return {
        "by": by,
        "currency": currency,
        **({"per": per} if per else {}),
        "data_as_of": data_as_of(),
        "results": results,
        "total": total,
        "total_firm": total_firm,
        "count": sum(row["count"] for row in results),
        "undisclosed": sum(row["undisclosed"] for row in results),
    }


def stats_csv_rows(body):
    """The rows of a stats() body as flat CSV rows: one per group, in its order."""
    return [
        {
            "key": row["key"],
            "label": row["label"],
            "currency": body["currency"],
            "total": row["total"],
            "total_firm": row["total_firm"],
            "count": row["count"],
            "undisclosed": row["undisclosed"],
            **{f"confidence_{level}": n for level, n in row["confidence"].items()},
            "top_companies": ", ".join(c["name"] for c in row.get("top_companies", [])),
            **{name: row[name] for name in PER_COLUMNS.get(body.get("per"), ())},
            "data_as_of": body["data_as_of"],
        }
        for row in body["results"]
    ]
