"""The query parameters of each public API view, and a request's query in the canonical form that
cache keys are made of.

An unknown parameter is refused with a 400 naming it, not ignored: ignored, any throwaway parameter
(`?cb=1`, `?cb=2`...) made a new cache key for the same answer, and 200 such requests grew Redis by
134 MB in 11 s. A view knows its filters (and the investment filters where it applies them to the
totals it carries), `page` and `page_size` where it pages, `format`, and the names it declares in
`query_parameters` (the stats' `by` and `currency`).

canonical() reads each parameter the way its filter does: the last of repeated single values; the
values of a list filter split on commas, transformed as the filter transforms them (country codes
upper-cased), de-duplicated and sorted; empty values dropped, as they select nothing. So parameter
order, repeated values and spellings that the filter reads alike make no new key.
"""

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from rest_framework.exceptions import ValidationError

from investments.filters import CommaSeparatedWidget

ALWAYS = ("format",)


def last(name: str) -> Callable:
    """The value a single-valued parameter is read as: the last one given (QueryDict.get)."""

    def read(query):
        value = query.get(name)
        return value.strip() if isinstance(value, str) else value

    return read


def through_widget(widget, name: str) -> Callable:
    """The value the filter's form field is given, read by its own widget."""

    def read(query):
        value = widget.value_from_datadict(query, None, name)
        if isinstance(widget, CommaSeparatedWidget):
            return tuple(sorted(set(value)))  # a set of values: order and repeats select nothing new
        if isinstance(value, list):  # an ordering: its order matters
            return tuple(part.strip() for part in value if part.strip())
        return value.strip() if isinstance(value, str) else value

    return read


@functools.cache
def readers(view_class) -> dict[str, Callable]:
    """name -> how that parameter is read, for every parameter the view knows."""
    found = {name: last(name) for name in (*ALWAYS, *getattr(view_class, "query_parameters", ()))}
    pagination = view_class.pagination_class
    if pagination is not None:
        for name in (pagination.page_query_param, pagination.page_size_query_param):
            found[name] = last(name)
    for backend in view_class.filter_backends:
        get_class = getattr(backend(), "get_filterset_class", None)
        filterset_class = get_class(view_class, None) if get_class else None
        if filterset_class is None:
            continue
        for name, field in filterset_class().form.fields.items():
            found[name] = through_widget(field.widget, name)
    return found


def refuse_unknown(view_class, query) -> None:
    """400 naming every parameter the view does not know."""
    unknown = sorted(name for name in query if name not in readers(view_class))
    if unknown:
        known = ", ".join(sorted(readers(view_class)))
        raise ValidationError(
            {name: [f"Unknown query parameter. This endpoint takes: {known}."] for name in unknown}
        )


def canonical(view_class, query) -> str | None:
    """The query as the view reads it, as a query string; None when it holds an unknown parameter."""
    known = readers(view_class)
    if any(name not in known for name in query):
        return None
    parts = []
    for name in sorted(name for name in known if name in query):
        value = known[name](query)
        if value in (None, "", ()):
            continue
        parts.append((name, value if isinstance(value, str) else ",".join(map(str, value))))
    return urlencode(parts)
