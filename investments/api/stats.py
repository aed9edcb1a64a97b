"""Totals for the stats endpoint and the country map: plain functions over a filtered queryset.

Every figure comes from counted() records only, so a component or a superseded record never adds.
"""

from collections import defaultdict
from decimal import Decimal

from investments import lookups
from investments.choices import Category
from investments.models import Company

TOP_COMPANIES = 3
EUROPE_WIDE = "Europe-wide"
UNDATED = "Undated"
ZERO = Decimal(0)


def country_rollup(investments, currency="EUR"):
    """Counted totals per country id (None: Europe-wide), each with its top companies.

    One GROUP BY (country, company) pass; the per-country totals and the top companies are summed up
    from its few hundred rows in Python rather than by a second pass over the investments.
    """
    amount = "total_eur" if currency == "EUR" else "total_usd"
    rows = list(investments.totals_by_country_and_company())
    known = lookups.tables()
    if any(row["company_id"] not in known.companies for row in rows):
        known = lookups.tables(reload=True)
    companies = known.companies
    per_country = defaultdict(lambda: {"total_eur": ZERO, "total_usd": ZERO, "count": 0, "companies": []})
    for row in rows:
        entry = per_country[row["country_id"]]
        entry["total_eur"] += row["total_eur"] or ZERO
        entry["total_usd"] += row["total_usd"] or ZERO
        entry["count"] += row["count"]
        entry["companies"].append((row[amount] or ZERO, row["company_id"]))
    rollup = {}
    for country_id, entry in per_country.items():
        top = sorted(entry.pop("companies"), key=lambda item: (-item[0], companies[item[1]][0]))
        entry["top_companies"] = [
            {"company": companies[pk][0], "name": companies[pk][1], "total": total}
            for total, pk in top[:TOP_COMPANIES]
        ]
        rollup[country_id] = entry
    return rollup


def by_country(investments, currency):
    amount = "total_eur" if currency == "EUR" else "total_usd"
    rollup = country_rollup(investments, currency)
    countries = lookups.tables().countries
    if any(pk is not None and pk not in countries for pk in rollup):
        countries = lookups.tables(reload=True).countries
    rows = []
    for country_id, entry in rollup.items():
        key, label = countries[country_id] if country_id is not None else (None, EUROPE_WIDE)
        rows.append(
            {
                "key": key,
                "label": label,
                "total": entry[amount],
                "count": entry["count"],
                "top_companies": entry["top_companies"],
            }
        )
    return sorted(rows, key=lambda row: (-row["total"], row["key"] or ""))


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
            "total": row["total"] or ZERO,
            "count": row["count"],
        }
        for row in investments.totals(by, currency)
    ]
    if by in ("year", "month"):
        # Chronological, undated last.
        return sorted(rows, key=lambda row: (row["key"] is None, str(row["key"] or "")))
    return sorted(rows, key=lambda row: (-row["total"], str(row["key"] or "")))


def stats(investments, by="country", currency="EUR"):
    """The body of /api/v1/stats/: totals and counts of `investments` grouped by `by`."""
    results = by_country(investments, currency) if by == "country" else by_other(investments, by, currency)
    with_capacity(results, investments, by)
    return {
        "by": by,
        "currency": currency,
        "results": results,
        "total": sum((row["total"] for row in results), ZERO),
        "count": sum(row["count"] for row in results),
    }


def with_capacity(rows, investments, by):
    """Add the summed MW and GPUs of each row's counted investments (issue 19)."""
    capacity = investments.capacity_totals(by)
    if by == "month":
        # Rows carry months as YYYY-MM (see by_other); the database gives dates.
        capacity = {key.strftime("%Y-%m") if key else None: value for key, value in capacity.items()}
    for row in rows:
        row["capacity_mw"], row["gpus"] = capacity.get(row["key"], (0, 0))
