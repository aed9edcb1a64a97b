"""Investments as the API shows them, built from a few flat queries instead of DRF's field machinery.

At 50 rows a page, DRF's nested serializers cost more than the queries themselves; this builds the same
dicts as InvestmentSerializer declares (tests/api/test_endpoints.py holds the two together) from the
page query, with its related rows folded in as array columns on PostgreSQL (one round trip) or read
with one query per related table elsewhere, whatever the page size.
"""

import functools
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from investments import directory
from investments.models import Announcement, Investment, Outlet
from investments.provenance import figure_differs

# The page's own columns, and the record ids of the two records it may point to (left joins on the
# primary key, which keep the plan an index scan plus a lookup per row of the page).
FIELDS = [
    "pk",
    "ref",
    "title",
    "company_id",
    "country_id",
    "place",
    "category",
    "status",
    "amount",
    "currency",
    "amount_eur",
    "amount_usd",
    "fx_rate_eur",
    "fx_rate_usd",
    "fx_date",
    "announced_on",
    "announced_precision",
    "period_start",
    "period_end",
    "part_of_id",
    "expands_id",
    "not_counted_reason",
    "figure_source",
    "confidence",
    "withdrawn",
    "notes",
    "updated",
    # The rules of investments.querysets, annotated by with_counted(): one definition for every reader.
    "is_counted",
    "is_firm",
    # Joined to the page (a key lookup per row of the 50): saves a query for the referred record ids.
    "part_of__ref",
    "expands__ref",
]
FOLDED = ["folded_sources", "folded_countries", "folded_supersedes", "folded_superseded_by"]
SOURCE_FIELDS = [
    "investment_id",
    "announcement_id",
    "announcement__url",
    "announcement__publisher",
    "announcement__published_on",
    "announcement__language",
    "announcement__title",
    "announcement__announced_by",
    "announcement__evidence",
    "announcement__amount",
    "announcement__currency",
    "announcement__amount_eur",
    # The source's outlet (investments.outlets): its domain and tier.
    "announcement__outlet__domain",
    "announcement__outlet__tier",
]


def day(value):
    return value.isoformat() if value is not None else None


def moment(value, zone=None):
    # As DRF writes a DateTimeField: in the current time zone (looked up once per page by the caller:
    # it is a context-local read), UTC as Z.
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def grouped(rows):
    groups = {}
    for key, *values in rows:
        groups.setdefault(key, []).append(values[0] if len(values) == 1 else values)
    return groups


def sources_in_order(links):
    return links.order_by(F("announcement__published_on").asc(nulls_last=True), "announcement__url")


@functools.cache
def _folding_template() -> str:
    q = connection.ops.quote_name
    links = q(Announcement.investments.through._meta.db_table)
    announcement = q(Announcement._meta.db_table)
    covers = q(Investment.countries.through._meta.db_table)
    supersedes = q(Investment.supersedes.through._meta.db_table)
    investment = q(Investment._meta.db_table)
    outlet = q(Outlet._meta.db_table)
    # SOURCE_FIELDS after investment_id: the announcement's id, then its fields, then its outlet's.
    names = ["id"] + [f.split("__", 1)[1] for f in SOURCE_FIELDS[2:] if "__outlet__" not in f]
    outlet_names = [f.rsplit("__", 1)[1] for f in SOURCE_FIELDS if "__outlet__" in f]
    columns = ", ".join(
        [f"a.{q(Announcement._meta.get_field(name).column)}::text" for name in names]
        + [f"o.{q(Outlet._meta.get_field(name).column)}::text" for name in outlet_names]
    )
    # Table names from the models' metadata, quoted; values travel as parameters of the page query.
    return (
        "SELECT page.*, "  # noqa: S608
        f"ARRAY(SELECT ARRAY[{columns}] FROM {links} l JOIN {announcement} a ON a.id = l.announcement_id "
        f"LEFT JOIN {outlet} o ON o.id = a.outlet_id "
        "WHERE l.investment_id = page.pk ORDER BY a.published_on ASC NULLS LAST, a.url) AS folded_sources, "
        f"ARRAY(SELECT c.country_id FROM {covers} c WHERE c.investment_id = page.pk) AS folded_countries, "
        f"ARRAY(SELECT i.ref FROM {supersedes} s JOIN {investment} i ON i.id = s.to_investment_id "
        "WHERE s.from_investment_id = page.pk) AS folded_supersedes, "
        f"ARRAY(SELECT i.ref FROM {supersedes} s JOIN {investment} i ON i.id = s.from_investment_id "
        "WHERE s.to_investment_id = page.pk) AS folded_superseded_by "
        "FROM ({page}) AS page"
    )


def folding_sql(page: str) -> str:
    """PostgreSQL: the page query `page` (selecting FIELDS) wrapped so that each row carries its sources,
    covered countries and supersession links as array columns. One round trip instead of four: on a cold
    request the round trips, not the index lookups, are what costs. Each source travels as an array of
    text, so amounts stay exact. The outer query neither joins nor sorts, so the rows keep the page
    query's order."""
    return _folding_template().replace("{page}", page)


def folded_rows(cursor) -> list[dict]:
    """The rows of an executed folding_sql() query: FIELDS and the FOLDED columns, sources unfolded."""
    names = [column.name for column in cursor.description]
    rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        row["folded_sources"] = [unfolded_source(values) for values in row["folded_sources"]]
    return rows


def annotated(investments):
    """`investments` with the is_counted and is_firm annotations FIELDS reads (querysets.with_counted())."""
    return investments if "is_counted" in investments.query.annotations else investments.with_counted()


def queryset_rows(investments) -> list[dict]:
    """The rows of `investments` (a queryset annotated by with_counted(), possibly sliced) with their FOLDED
    columns: one query on PostgreSQL, one per related table elsewhere."""
    investments = annotated(investments)
    if connection.vendor != "postgresql":
        rows = list(investments.values(*FIELDS))
        related_rows(rows)
        return rows
    try:
        sql, params = investments.values(*FIELDS).query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an empty IN list, an empty slice)
        return []
    with connection.cursor() as cursor:
        cursor.execute(folding_sql(sql), params)
        return folded_rows(cursor)


def unfolded_source(values):
    """A source's values as folded() gives them (text) in the types of SOURCE_FIELDS[1:]."""
    (
        pk,
        url,
        publisher,
        published_on,
        language,
        title,
        announced_by,
        evidence,
        amount,
        currency,
        eur,
        *outlet,
    ) = values
    return (
        int(pk), url, publisher, date.fromisoformat(published_on) if published_on else None, language, title,
        announced_by, evidence, Decimal(amount) if amount is not None else None, currency,
        Decimal(eur) if eur is not None else None, *outlet,
    )  # fmt: skip


def related_rows(rows):
    """What the page's rows point to, read in one query per table (databases without array columns):
    sources, covered countries and supersession links, shaped as folded() gives them."""
    ids = [row["pk"] for row in rows]
    sources = grouped(
        sources_in_order(Announcement.investments.through.objects.filter(investment_id__in=ids)).values_list(
            *SOURCE_FIELDS
        )
    )
    covers = grouped(
        Investment.countries.through.objects.filter(investment_id__in=ids).values_list(
            "investment_id", "country_id"
        )
    )
    links = list(
        Investment.supersedes.through.objects.filter(
            Q(from_investment_id__in=ids) | Q(to_investment_id__in=ids)
        ).values_list("from_investment_id", "to_investment_id", "from_investment__ref", "to_investment__ref")
    )
    supersedes, superseded_by = {}, {}
    for new, old, new_ref, old_ref in links:
        supersedes.setdefault(new, []).append(old_ref)
        superseded_by.setdefault(old, []).append(new_ref)
    for row in rows:
        pk = row["pk"]
        row["folded_sources"] = sources.get(pk, [])
        row["folded_countries"] = covers.get(pk, [])
        row["folded_supersedes"] = supersedes.get(pk, [])
        row["folded_superseded_by"] = superseded_by.get(pk, [])


def related(rows):
    """Countries, companies and referred record ids for the page's rows (which carry their folded
    columns)."""
    refs = {}
    refs.update((row["part_of_id"], row["part_of__ref"]) for row in rows if row["part_of_id"])
    refs.update((row["expands_id"], row["expands__ref"]) for row in rows if row["expands_id"])
    # Countries and companies from memory (investments.directory); reloaded if the page names one not yet
    # known there (added without a new data version).
    known = directory.tables()
    named = {c for row in rows for c in (row["country_id"], *row["folded_countries"]) if c is not None}
    if any(row["company_id"] not in known.companies for row in rows) or not named <= known.countries.keys():
        known = directory.tables(reload=True)
    countries, companies = known.countries, known.companies
    return {
        "refs": refs,
        "country": countries,
        "company": {
            pk: (slug, name, companies[parent][0] if parent else None)
            for pk, (slug, name, parent) in companies.items()
        },
    }


def source(values, record):
    pk, url, publisher, published_on, language, title, announced_by, evidence, amount, currency, eur = values[
        :11
    ]
    outlet, tier = values[11:]
    return {
        "id": pk,
        "url": url,
        "publisher": publisher,
        "outlet": outlet,
        "tier": tier,
        "date": day(published_on),
        "language": language,
        "title": title,
        "announced_by": announced_by,
        "evidence": evidence,
        "amount": amount,
        "currency": currency,
        "amount_eur": eur,
        "discrepancy": figure_differs(
            amount, currency, eur, record["amount"], record["currency"], record["amount_eur"]
        ),
    }


def investment_rows(investments, request=None):
    """The API representation of `investments`, in its order: a queryset (possibly sliced: a page) or a
    page of a compiled list (api.compiled), which reads its own rows."""
    rows = investments.rows() if hasattr(investments, "rows") else queryset_rows(investments)
    if not rows:
        return []
    extra = related(rows)
    countries = extra["country"]
    # One reverse() for the page: the detail URL differs by the record id only.
    template = reverse("api:investment-detail", kwargs={"ref": "REF"})
    if request is not None:
        template = request.build_absolute_uri(template)
    prefix, suffix = template.rsplit("REF", 1)
    refs = extra["refs"]
    zone = timezone.get_current_timezone()
    result = []
    for row in rows:
        eur = row["amount_eur"]
        slug, company_name, parent = extra["company"][row["company_id"]]
        country = extra["country"].get(row["country_id"])
        superseded_by = sorted(row["folded_superseded_by"])
        result.append(
            {
                "ref": row["ref"],
                "url": prefix + quote(row["ref"], safe="") + suffix,
                "title": row["title"],
                "company": {"slug": slug, "name": company_name, "parent": parent},
                "country": {"iso2": country[0], "name": country[1]} if country else None,
                "countries": sorted(countries[c][0] for c in row["folded_countries"]),
                "europe_wide": country is None,
                "place": row["place"],
                "category": row["category"],
                "status": row["status"],
                "amount": row["amount"],
                "currency": row["currency"],
                "amount_eur": eur,
                "amount_usd": row["amount_usd"],
                "fx_rate_eur": row["fx_rate_eur"],
                "fx_rate_usd": row["fx_rate_usd"],
                "fx_date": day(row["fx_date"]),
                "announced_on": day(row["announced_on"]),
                "announced_precision": row["announced_precision"],
                "period_start": row["period_start"],
                "period_end": row["period_end"],
                "part_of": refs.get(row["part_of_id"]),
                "supersedes": sorted(row["folded_supersedes"]),
                "superseded_by": superseded_by,
                "expands": refs.get(row["expands_id"]),
                "counted": bool(row["is_counted"]),
                "firm": bool(row["is_firm"]),
                "not_counted_reason": row["not_counted_reason"],
                "figure_source": row["figure_source"],
                "confidence": row["confidence"],
                "withdrawn": row["withdrawn"],
                "notes": row["notes"],
                "sources": [source(values, row) for values in row["folded_sources"]],
                "updated": moment(row["updated"], zone),
            }
        )
    return result
