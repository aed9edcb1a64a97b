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

from investments.cache import data_version
from investments.export_fields import COLUMNS
from investments.rows import annotated, folded_rows, folding_sql

MEMO_SIZE = 256
# Query parameters that choose the page or the rendering, not the rows.
NOT_FILTERS = frozenset({"page", "page_size", "format"})

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


class PreparedCursor(psycopg.Cursor):
    """Binds parameters server-side and prepares every statement: PostgreSQL parses and plans each
    distinct statement once per connection (psycopg keeps the last 100), not once per request."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True, binary=binary)


def run(statement, fetch):
    """Run (sql, params) through Django's cursor (its health check, error wrapping and query logging)
    with a PreparedCursor underneath; `fetch(cursor)` reads the result."""
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


class CompiledList:
    """The filtered, ordered list as two statements, shaped for Django's Paginator: count() and slicing."""

    ordered = True  # by the queryset's ordering, compiled in

    def __init__(self, count, page):
        self.count_statement = count  # (sql, params), or None: matches nothing
        self.page_statement = page  # (sql, params) wanting LIMIT and OFFSET after them

    @classmethod
    def of(cls, queryset):
        count = counting(queryset)
        if count is None:
            return cls(None, None)
        sql, params = annotated(queryset).values(*COLUMNS).query.sql_with_params()
        return cls(count, (folding_sql(f"{sql} LIMIT %s OFFSET %s"), params))

    def count(self):
        if self.count_statement is None:
            return 0
        return run(self.count_statement, lambda cursor: cursor.fetchone()[0])

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
        return run((sql, [*params, len(self), self.start]), folded_rows)


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
    compiled = CompiledList.of(build())
    with _lock:
        _memo[key] = compiled
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return compiled


def clear():
    with _lock:
        _memo.clear()
