"""The one reader of investment rows: a page (or a batch of an export) read once, then rendered.

The API's JSON and the CSV export (investments.export_fields says how each value is read from a row) and
the pages' investments table (investments.views) all render the rows read here, as Datasette's table
view reads its rows once for every renderer. A row holds COLUMNS (from investments.export_fields) and
its related rows as FOLDED_COLUMNS: its sources, covered countries and supersession links. On
PostgreSQL they are folded into the page query as array columns (one round trip, whatever the page
size); elsewhere they are read with one query per related table.
"""

import functools
from datetime import date
from decimal import Decimal
from itertools import islice

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Q

from investments.export_fields import COLUMNS, SOURCE_COLUMNS
from investments.models import Announcement, Investment, Outlet

# A CSV export reads its rows in batches of this many: memory stays flat whatever the export's size.
BATCH = 2000


def grouped(rows):
    """[(key, value), ...] or [(key, *values), ...] -> {key: [value or values, ...]}, in the rows' order."""
    groups = {}
    for key, *values in rows:
        groups.setdefault(key, []).append(values[0] if len(values) == 1 else tuple(values))
    return groups


def batched(iterable, size):
    # itertools.batched arrives with Python 3.12; the project still supports 3.11.
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


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
    # SOURCE_COLUMNS: the announcement's id, then its fields, then its outlet's.
    names = ["id"] + [f.split("__", 1)[1] for f in SOURCE_COLUMNS[1:] if "__outlet__" not in f]
    outlet_names = [f.rsplit("__", 1)[1] for f in SOURCE_COLUMNS if "__outlet__" in f]
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
    """PostgreSQL: the page query `page` (selecting COLUMNS) wrapped so that each row carries its sources,
    covered countries and supersession links as array columns. One round trip instead of four: on a cold
    request the round trips, not the index lookups, are what costs. Each source travels as an array of
    text, so amounts stay exact. The outer query neither joins nor sorts, so the rows keep the page
    query's order."""
    return _folding_template().replace("{page}", page)


def folded_rows(cursor) -> list[dict]:
    """The rows of an executed folding_sql() query: COLUMNS and FOLDED_COLUMNS, sources unfolded."""
    return unfolded([column.name for column in cursor.description], cursor.fetchall())


def unfolded(names, values) -> list[dict]:
    rows = [dict(zip(names, row, strict=True)) for row in values]
    for row in rows:
        row["folded_sources"] = [unfolded_source(source) for source in row["folded_sources"]]
    return rows


def unfolded_source(values):
    """A source's values as folding_sql() gives them (text) in the types of SOURCE_COLUMNS."""
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


def annotated(investments):
    """`investments` with the is_counted and is_firm annotations COLUMNS reads (querysets.with_counted())."""
    return investments if "is_counted" in investments.query.annotations else investments.with_counted()


def read(investments) -> list[dict]:
    """The rows of `investments` (a queryset, possibly sliced: a page), in its order, with their
    FOLDED_COLUMNS: one query on PostgreSQL, one per related table elsewhere."""
    investments = annotated(investments)
    if connection.vendor != "postgresql":
        rows = list(investments.values(*COLUMNS))
        related_rows(rows)
        return rows
    try:
        sql, params = investments.values(*COLUMNS).query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an empty IN list, an empty slice)
        return []
    with connection.cursor() as cursor:
        cursor.execute(folding_sql(sql), params)
        return folded_rows(cursor)


def read_batches(investments, size=BATCH):
    """The rows of `investments` as read() gives them, in batches of `size`, for an export of any length:
    on PostgreSQL one folded query read through a server-side cursor (as QuerySet.iterator() reads),
    elsewhere one query streamed in chunks and one query per related table and batch."""
    investments = annotated(investments)
    if connection.vendor != "postgresql":
        for batch in batched(investments.values(*COLUMNS).iterator(chunk_size=size), size):
            related_rows(batch)
            yield batch
        return
    try:
        sql, params = investments.values(*COLUMNS).query.sql_with_params()
    except EmptyResultSet:
        return
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(folding_sql(sql), params)
        names = [column.name for column in cursor.description]
        while True:
            batch = cursor.fetchmany(size)
            if len(batch) < size:
                # The last batch: close the cursor before handing it over, so that a reader who stops
                # there (a response whose body is never read to its end) leaves no cursor open, to be
                # closed whenever the generator is collected, perhaps in the middle of another query.
                cursor.close()
                if batch:
                    yield unfolded(names, batch)
                return
            yield unfolded(names, batch)
    finally:
        cursor.close()


def related_rows(rows):
    """What the rows point to, read in one query per table (databases without array columns): sources,
    covered countries and supersession links, shaped as folding_sql() gives them."""
    ids = [row["pk"] for row in rows]
    sources = grouped(
        sources_in_order(Announcement.investments.through.objects.filter(investment_id__in=ids)).values_list(
            "investment_id", *SOURCE_COLUMNS
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
