"""The building blocks the FilterSets of investments.filtersets are declared with: how a query string's
values are read (comma lists, strict booleans, countries and companies by natural key), and a FilterSet
base class at the cost a request can afford. Nothing here knows a particular model's filters.

Several values are given either comma-separated (`country=ES,DE`) or repeated (`country=ES&country=DE`).
An unknown value is an error (the API answers 400 naming the parameter), never an empty result that
looks like "no investment".

Where django-filter does the job, its classes are used: the comma lists of choices and of free text are
its BaseInFilter and BaseCSVFilter. Where it does not, ours are kept, each with its reason below:
the widget (repeated parameters), the boolean (an unknown value must be an error) and the country and
company filters (validated from memory, not by a query).
"""

import copy
from types import SimpleNamespace

import django_filters as filters
from django import forms
from django.db.models import F
from django.http import QueryDict
from django.utils.translation import get_language
from django_filters.widgets import BaseCSVWidget
from drf_spectacular.drainage import set_override

from investments import directory

TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off"}

# A longer search is refused with a 400: SQLite rejects very long LIKE patterns, and no real query needs it.
SEARCH_MAX = 200


# --- Reading values ------------------------------------------------------------------------------


class CommaSeparatedWidget(BaseCSVWidget, forms.TextInput):
    """Reads `a,b` and repeated parameters alike into one list; renders it back as `a,b`.

    django-filter's BaseCSVWidget reads one parameter only (the last of `country=ES&country=DE`), and a
    <select multiple>, the filter bar's, submits repeated ones: this reads them all, drops empty parts
    (`a,,b`, a trailing comma) and applies `transform` (case) to each value.
    """

    def __init__(self, *args, transform=None, **kwargs):
        self.transform = transform
        super().__init__(*args, **kwargs)

    def value_from_datadict(self, data, files, name):
        raw = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = [part.strip() for value in raw if value for part in str(value).split(",")]
        values = [v for v in values if v]
        return [self.transform(v) for v in values] if self.transform else values

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value)
        return super().format_value(value)


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error.

    django-filter's BooleanFilter reads an unknown value (`counted=maybe`) as "not filtered", which
    answers every record as if the filter held.
    """

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_VALUES:
            return True
        if text in FALSE_VALUES:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")

    def validate(self, value):
        # None means "not filtered", so the required check of forms.Field does not apply.
        pass


class NaturalKeyField(forms.Field):
    """Countries by ISO code or companies by slug, checked against investments.directory (kept in memory
    per data version). Cleans to objects carrying the `pk`.

    django-filter's ModelMultipleChoiceFilter (or BaseInFilter over ModelChoiceFilter) would check the
    values against the table: one query per filter and request (per value for the latter), on every
    API request that names a country or a company. The directory answers from memory, and reloads once
    for a value it does not know before calling it unknown.
    """

    widget = CommaSeparatedWidget
    default_error_messages = {
        "invalid_choice": forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *args, kind, **kwargs):
        self.kind = kind
        super().__init__(*args, **kwargs)

    @property
    def choices(self):
        """(key, label) of every value known, labelled in the active language: the filter bar's options."""
        return directory.choices(self.kind, get_language())

    def clean(self, value):
        keys = list(dict.fromkeys(value or []))
        if not keys:
            return []
        ids, unknown = directory.resolve(self.kind, keys)
        if unknown:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": unknown[0]}
            )
        return [SimpleNamespace(pk=pk) for pk in ids]


# --- Filters -------------------------------------------------------------------------------------


def describe(filter_, schema):
    """Give the OpenAPI schema of a filter whose type the generator cannot infer, with its help_text."""
    set_override(filter_, "field", {**schema, "description": filter_.extra.get("help_text", "")})


class ChoicesFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """One or several choice values (case-insensitive), as a plain `IN`: no OR chain, no DISTINCT. Each
    value is checked against the choices; the first unknown one is the error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", CommaSeparatedWidget(transform=str.lower))
        super().__init__(*args, **kwargs)


class TextListFilter(filters.BaseCSVFilter, filters.CharFilter):
    """Several free-text values (record ids, language codes), comma-separated or repeated; the filter's
    `method` decides what they select."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", CommaSeparatedWidget())
        super().__init__(*args, **kwargs)


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class NaturalKeyFilter(filters.Filter):
    """Several countries or companies by natural key (see NaturalKeyField), comma-separated or repeated.
    Built by country_filter() and company_filter(), the one way each is read."""

    field_class = NaturalKeyField

    def __init__(self, *args, kind, transform, **kwargs):
        kwargs.setdefault("widget", CommaSeparatedWidget(transform=transform))
        super().__init__(*args, kind=kind, **kwargs)
        describe(self, {"type": "string"})


def country_filter(help_text, method="filter_country", label=None):
    """Countries by ISO alpha-2 code (case-insensitive), several allowed: the one way every FilterSet
    reads a country."""
    return NaturalKeyFilter(
        kind="country", transform=str.upper, method=method, help_text=help_text, label=label
    )


def company_filter(help_text, method="filter_company", label=None):
    """Companies by slug (case-insensitive), several allowed: the one way every FilterSet reads a company."""
    return NaturalKeyFilter(
        kind="company", transform=str.lower, method=method, help_text=help_text, label=label
    )


class StableOrderingFilter(filters.OrderingFilter):
    """Orders with empty values last in both directions and `ref` as a tie-break, so pages are stable
    and PostgreSQL and SQLite agree."""

    def filter(self, qs, value):
        # `ordering=,` cleans to empty names: they order nothing (and F("") would be a 500).
        value = [param for param in value or () if param and param.strip("-")]
        if not value:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            if field.startswith("-"):
                ordering.append(F(field[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(field).asc(nulls_last=True))
        return qs.order_by(*ordering, "ref")


# --- The FilterSet base --------------------------------------------------------------------------


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet at the cost a request can afford.

    Upstream deep-copies every filter for each instance and builds a new form class from them: on a
    cold API request that was a tenth of the time. Filters keep no per-request state besides their
    parent, so a shallow copy each is enough (a `method=` filter is re-pointed at its new parent), and
    the form class, which depends on the class's filters only, is built once per class.
    """

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset, self.request, self.form_prefix = queryset, request, prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.model, filter_.parent = queryset.model, self
            if filter_.method is not None:
                filter_.method = filter_.method  # a FilterMethod bound to this copy, not to the base
            self.filters[name] = filter_

    def get_form_class(self):
        form_class = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = SharedFields(form_class.base_fields)
            type(self)._form_class = form_class
        return form_class


class SharedFields(dict):
    """A filter form's fields, used as they are by every instance of the form.

    A Django form deep-copies its fields for each instance, so that one may change them for one
    request; no filter form here does (its fields only clean values), and the copy was a third of what
    the filterset cost a request.
    """

    def __deepcopy__(self, memo):
        return dict(self)
