"""A filtered list of investments as SQL, compiled once per filter and run as prepared statements.

A cold list request (nothing cached) spent more Python time building the filtered queryset and compiling
it (filterset, `values()`, two compilations: about 2.5 ms of 9) than PostgreSQL spent answering it, and
PostgreSQL planned the same page query anew each time. Yet the SQL of a list depends only on its filter
parameters and on the lookup tables the filters resolve against (investments.directory, renewed with the
data version). So a process keeps the compiled count and page statements of the last MEMO_SIZE filters,
keyed by the data version, and PostgreSQL keeps them prepared per connection.

Only SQL text is kept, never a result: every request reads its count and its rows from the database.
Filters are validated when first compiled; a bad one raises its 400 then and is never kept.

PostgreSQL only: the page comes back through investments.rows.folding_sql, whose array columns SQLite
lacks. Other databases take the queryset path (investments.rows.read).
"""

import threading
from collections import OrderedDict

import psycopg
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import QueryDict

from investments.export_fields import COLUMNS
from investments.models import InvestmentCount
from investments.rows import annotated, folded_rows, folding_sql
from investments.versioned_cache import data_version

MEMO_SIZE = 256
TIMESTAMPTZ_LOADER = psycopg.adapters.get_loader(
    psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT
)
# Query parameters that choose the page or the rendering, not the rows.
NOT_FILTERS = frozenset({"page", "page_size", "format"})
# Filters whose values never change the best plan (equality on indexed columns, flags): a list filtered
# by these alone is prepared and planned once per connection (PreparedCursor). A range, a text search
# or an ordering can match ten rows or a million depending on its value, so their lists are sent with
# their values and planned for them at each request, as Django's queries are.
PLANNED_ONCE = frozenset(
    {
        "country",
        "company",
        "covers",
        "category",
        "status",
        "confidence",
        "figure_source",
        "europe_wide",
        "counted",
    }
)

# Filters the investment counts kept per country and company (investments.models.InvestmentCount)
# answer: a list filtered by these alone (in any order) is counted by adding up a few kept counts, where
# counting its rows read an index entry per row (84,000 for Spain at 1,000,000 records).
KEPT_COUNT_FILTERS = frozenset({"country", "company"})
NOT_COUNTED = frozenset({"ordering"})

SUM_OF_KEPT_COUNTS = "SELECT COALESCE(SUM(investments), 0)::bigint FROM "

_lock = threading.Lock()
_memo: OrderedDict = OrderedDict()


def available() -> bool:
    return connection.vendor == "postgresql"


def counting(queryset):
    """The (sql, params) counting `queryset`, or None when it can match nothing. What is counted is the
    filter: the query reduced to its primary key and no ordering compiles in a fraction of the time of the
    full SELECT (and PostgreSQL flattens the subquery)."""
    try:
        sql, params = queryset.values("pk").order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an empty IN list)
        return None
    return f"SELECT COUNT(*) FROM ({sql}) AS filtered", params  # noqa: S608 - compiled by Django


def summing(filterset_class, params):
    """The (sql, params) adding up the kept counts of what `params` selects (its KEPT_COUNT_FILTERS
    only): the same FilterSet filters the counts as filters the records, so they select alike."""
    data = QueryDict(mutable=True)
    for name in KEPT_COUNT_FILTERS & set(params):
        data.setlist(name, params.getlist(name))
    counts = filterset_class(data, queryset=InvestmentCount.objects.all()).qs
    try:
        sql, sql_params = counts.values("investments").order_by().query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"{SUM_OF_KEPT_COUNTS}({sql}) AS kept", sql_params


class PreparedCursor(psycopg.Cursor):
    """Binds parameters server-side and prepares every statement: PostgreSQL parses and plans each
    distinct statement once per connection (psycopg keeps the last 100), not once per request.

    Once, because the connections say plan_cache_mode=force_generic_plan (config/settings.py). By
    default PostgreSQL plans a prepared statement anew at every execution unless its generic plan is
    estimated as cheap as the custom ones, and it estimates an OFFSET parameter to skip a tenth of the
    matching rows: the page's statement was planned every time, about 2 ms, as long as running it.
    The generic plans are safe here: only lists filtered by PLANNED_ONCE filters (equality on indexed
    columns) are prepared, and the page size is written into the page's SQL (paging()), so its flags are
    costed for the page's rows. Django's own queries are not prepared, so they are not affected."""

    def __init__(self, connection, **kwargs):
        super().__init__(connection, **kwargs)
        # psycopg's own timestamptz loader (C), not Django's Python subclass of it (which only applies
        # Django's TIME_ZONE, and the connection is in UTC already, as USE_TZ makes it): a fifth of
        # what reading a page's rows cost.
        self.adapters.register_loader("timestamptz", TIMESTAMPTZ_LOADER)

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def run(statement, fetch, prepared=True):
    """Run (sql, params) through Django's cursor (its health check, error wrapping and query logging),
    `prepared` with a PreparedCursor underneath; `fetch(cursor)` reads the result."""
    if not prepared:
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            return fetch(cursor)
    with connection.cursor() as cursor:
        client_side = cursor.cursor
        cursor.cursor = PreparedCursor(connection.connection)
        try:
            cursor.execute(*statement)
            if connection.queries_logged and connection.queries_log[-1]["sql"] is None:
                # Django's query log (DEBUG, tests) reads the SQL back from a client-side cursor only.
                connection.queries_log[-1]["sql"] = connection.ops.compose_sql(*statement)
            return fetch(cursor)
        finally:
            cursor.cursor.close()
            cursor.cursor = client_side


class Window:
    """Stands in a compiled statement's parameters for the page's OFFSET, filled in per page."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"


OFFSET = Window("offset")
# Where the page size goes into the page's SQL: written in, not a parameter, so that the planner knows
# how many rows the page has (see PreparedCursor). A list has a few page sizes (1 to 500), each one
# statement.
LIMIT = "/*page size*/"


def paging(queryset):
    """(sql, params) of the page of `queryset`: its COLUMNS (export_fields), with LIMIT to fill in (the page size, see
    sized()) and OFFSET standing as a Window param.

    The page's ids are chosen first (filter, order, LIMIT, OFFSET), and the record's flags (is_counted,
    is_firm: correlated subqueries) are computed for those rows only. Computed in the query that also
    filters and orders, PostgreSQL costs the subqueries for every row the filter matches (84,000 for
    Spain), not for the page's 50, and builds a hash of every live superseding record instead: a
    parallel scan of the whole table, about a second per request at 1,000,000 records."""
    ids_sql, ids_params = queryset.values("pk").query.sql_with_params()
    query = queryset.query
    ordering = query.order_by or (queryset.model._meta.ordering if query.default_ordering else ())
    page = queryset.model._default_manager.filter(
        pk__in=RawSQL(f"{ids_sql} LIMIT {LIMIT} OFFSET %s", (*ids_params, OFFSET))  # noqa: S611 - compiled by Django
    )
    sql, params = annotated(page).values(*COLUMNS).order_by(*ordering).query.sql_with_params()
    return folding_sql(sql), params


def sized(sql, size):
    """The page's SQL from paging() with its page size written in."""
    return sql.replace(LIMIT, str(int(size)), 1)


class CompiledList:
    """The filtered, ordered list as two statements, shaped for Django's Paginator: count() and slicing."""

    ordered = True  # by the queryset's ordering, compiled in

    def __init__(self, count, page, prepared=True):
        self.count_statement = count  # (sql, params), or None: matches nothing
        self.page_statement = page  # paging(): (sql, params) wanting the page size and OFFSET
        self.prepared = prepared  # planned once per connection (PLANNED_ONCE filters only)

    @classmethod
    def of(cls, queryset, prepared=True, count=None):
        """The list of `queryset`, counted by `count` ((sql, params)) if given, else by its rows."""
        counted = count or counting(queryset)
        if counted is None:  # matches nothing
            return cls(None, None)
        return cls(counted, paging(queryset), prepared)

    def count(self):
        if self.count_statement is None:
            return 0
        return run(self.count_statement, lambda cursor: cursor.fetchone()[0], self.prepared)

    def __len__(self):
        return self.count()

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("a compiled list is read by page: list[start:stop]")
        return CompiledPage(self, window.start or 0, window.stop)


class CompiledPage:
    """One page of a CompiledList: api.serializers.investment_records reads it with rows()."""

    def __init__(self, items, start, stop):
        self.items, self.start, self.stop = items, start, stop

    def __len__(self):
        return max(self.stop - self.start, 0)

    def rows(self) -> list[dict]:
        """The page's rows as investments.rows.read() gives them."""
        if self.items.page_statement is None or not len(self):
            return []
        sql, params = self.items.page_statement
        filled = [self.start if p is OFFSET else p for p in params]
        return run((sized(sql, len(self)), filled), folded_rows, self.items.prepared)


def filtered_list(view, build) -> CompiledList:
    """The compiled list for the view's request: kept from an earlier request with the same filters under
    the same data version, or compiled from `build()` (the filtered queryset; it raises on a bad filter)."""
    params = view.request.query_params
    filters = tuple(sorted((name, tuple(params.getlist(name))) for name in params if name not in NOT_FILTERS))
    key = (type(view).__qualname__, data_version(), filters)
    with _lock:
        found = _memo.get(key)
        if found is not None:
            _memo.move_to_end(key)
            return found
    names = {name for name, _ in filters}
    queryset = build()
    kept = names - NOT_COUNTED <= KEPT_COUNT_FILTERS
    compiled = CompiledList.of(
        queryset,
        prepared=names <= PLANNED_ONCE,
        count=summing(view.filterset_class, params) if kept else None,
    )
    with _lock:
        _memo[key] = compiled
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return compiled
