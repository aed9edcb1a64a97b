"""One FilterSet per model, shared by the API, the chart data and the HTML pages.

A query string means the same thing everywhere: `?country=ES,DE&company=alphabet` selects the same
investments on /api/v1/investments/, /api/v1/stats/ and the pages. Every filter carries a help_text,
which the OpenAPI schema and docs/api.md show as its description.

Several values are given either comma-separated (`country=ES,DE`) or repeated (`country=ES&country=DE`).
An unknown value is an error (the API answers 400 naming the parameter), never an empty result that
looks like "no investment".
"""

import copy
from types import SimpleNamespace

import django_filters as filters
from django import forms
from django.db.models import F, Q
from django.http import QueryDict
from drf_spectacular.drainage import set_override

from investments import directory
from investments.choices import Category, Confidence, FigureSource, SitePrecision, Status
from investments.models import Announcement, Company, Country, Investment, Site

TRUE_VALUES = {"true", "1", "yes", "on"}
FALSE_VALUES = {"false", "0", "no", "off"}


# A longer search is refused with a 400: SQLite rejects very long LIKE patterns, and no real query needs it.
SEARCH_MAX = 200


class CommaSeparatedWidget(forms.TextInput):
    """Reads `a,b` and repeated parameters alike into one list; renders it back as `a,b`."""

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
    """true/false (also 1/0, yes/no); anything else is an error rather than silently ignored."""

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


class TextListField(forms.Field):
    widget = CommaSeparatedWidget

    def to_python(self, value):
        return list(value or [])


class TextListFilter(filters.Filter):
    """Several free-text values (record ids, language codes), comma-separated or repeated."""

    field_class = TextListField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        describe(self, {"type": "array", "items": {"type": "string"}})


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


def describe(filter_, schema):
    """Give the OpenAPI schema of a filter whose type the generator cannot infer, with its help_text."""
    set_override(filter_, "field", {**schema, "description": filter_.extra.get("help_text", "")})


class NaturalKeyMultipleField(forms.Field):
    """Countries by ISO code or companies by slug, checked against investments.directory (kept in memory
    per data version) rather than by a query per request. Cleans to objects carrying the `pk`."""

    widget = CommaSeparatedWidget
    default_error_messages = {
        "invalid_choice": forms.ModelMultipleChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *args, kind, **kwargs):
        self.kind = kind
        kwargs.pop("queryset", None)
        kwargs.pop("to_field_name", None)
        super().__init__(*args, **kwargs)

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


class ModelMultipleFilter(filters.Filter):
    """Several countries (`to_field_name="iso2"`) or companies (`"slug"`) by that natural key,
    comma-separated or repeated."""

    field_class = NaturalKeyMultipleField

    def __init__(self, *args, transform=None, **kwargs):
        kwargs.setdefault("widget", CommaSeparatedWidget(transform=transform))
        kwargs["kind"] = "country" if kwargs.get("to_field_name") == "iso2" else "company"
        super().__init__(*args, **kwargs)
        describe(self, {"type": "string"})


def country_filter(help_text, method="filter_country"):
    """Countries by ISO alpha-2 code (case-insensitive), several allowed: the one way every FilterSet
    reads a country."""
    return ModelMultipleFilter(
        queryset=Country.objects.all(),
        to_field_name="iso2",
        transform=str.upper,
        method=method,
        help_text=help_text,
    )


def company_filter(help_text, method="filter_company"):
    """Companies by slug (case-insensitive), several allowed: the one way every FilterSet reads a company."""
    return ModelMultipleFilter(
        queryset=Company.objects.all(),
        to_field_name="slug",
        transform=str.lower,
        method=method,
        help_text=help_text,
    )


class ChoicesFilter(filters.MultipleChoiceFilter):
    """One or several choice values, as a plain `IN`: no OR chain, no DISTINCT."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", CommaSeparatedWidget(transform=str.lower))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


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


class InvestmentFilterSet(FilterSet):
    country = country_filter(
        "ISO 3166 alpha-2 code of the host country (XK for Kosovo); several as `country=ES,DE` "
        "or repeated. Europe-wide programmes have no host country: see `europe_wide`.",
    )
    company = company_filter(
        "Company slug; several as `company=microsoft,aws` or repeated. A group includes its "
        "brands: `company=alphabet` includes google, `company=amazon` includes aws.",
    )
    category = ChoicesFilter(
        choices=Category.choices,
        help_text="What the money goes to; several as `category=datacentre,compute`.",
    )
    status = ChoicesFilter(
        choices=Status.choices,
        help_text="Where the project stands; several as `status=announced,construction`.",
    )
    announced_after = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="gte",
        help_text="Announced on or after this date (YYYY-MM-DD).",
    )
    announced_before = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="lte",
        help_text="Announced on or before this date (YYYY-MM-DD).",
    )
    min_amount_eur = filters.NumberFilter(
        field_name="amount_eur",
        lookup_expr="gte",
        help_text="Amount in EUR at least this (at the ECB rate of the announcement date).",
    )
    max_amount_eur = filters.NumberFilter(
        field_name="amount_eur",
        lookup_expr="lte",
        help_text="Amount in EUR at most this.",
    )
    min_amount_usd = filters.NumberFilter(
        field_name="amount_usd",
        lookup_expr="gte",
        help_text="Amount in USD at least this (at the ECB rate of the announcement date).",
    )
    max_amount_usd = filters.NumberFilter(
        field_name="amount_usd",
        lookup_expr="lte",
        help_text="Amount in USD at most this.",
    )
    europe_wide = BooleanFilter(
        field_name="country",
        lookup_expr="isnull",
        help_text="true: only Europe-wide or multi-country programmes (no host country); false: only "
        "investments in one country.",
    )
    covers = country_filter(
        "ISO alpha-2 code: investments hosted in this country or programmes that cover it "
        "(`europe_wide=true&covers=ES`: the Europe-wide programmes that include Spain); several allowed.",
        method="filter_covers",
    )
    confidence = ChoicesFilter(
        choices=Confidence.choices,
        help_text="How sure the record is (high, medium, low); several as `confidence=high,medium`.",
    )
    figure_source = ChoicesFilter(
        choices=FigureSource.choices,
        help_text="Who gave the figure: company, government or third_party; several allowed.",
    )
    single_source = BooleanFilter(
        method="filter_single_source",
        help_text="true: records backed by exactly one source; false: records with none or several.",
    )
    counted = BooleanFilter(
        method="filter_counted",
        help_text="true: records that count toward totals; false: components, superseded records, records "
        "that are not new money or out of scope, withdrawn records and cancelled projects.",
    )
    q = filters.CharFilter(
        max_length=SEARCH_MAX,
        method="filter_search",
        help_text="Text search (case-insensitive) in titles and places, and in the titles and quoted "
        "evidence of the sources.",
    )
    ordering = StableOrderingFilter(
        fields=(("announced_on", "announced_on"), ("amount_eur", "amount_eur"), ("amount_usd", "amount_usd")),
        help_text="Sort by announced_on, amount_eur or amount_usd; prefix with - for descending. "
        "Default: newest first.",
    )

    class Meta:
        model = Investment
        fields = []

    # A model-choice filter given no value cleans to an empty queryset, which still reaches the
    # method: `if not value` keeps that from filtering everything out.
    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(country_id__in=[c.pk for c in value])

    def filter_company(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.for_company_ids(directory.company_family([c.pk for c in value]))

    def filter_covers(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.covering([c.pk for c in value])

    def filter_single_source(self, queryset, name, value):
        if value:
            return queryset.with_source_count(1)
        return queryset.exclude(pk__in=Investment.objects.with_source_count(1).values("pk"))

    def filter_counted(self, queryset, name, value):
        return queryset.counted() if value else queryset.not_counted()

    def filter_search(self, queryset, name, value):
        return queryset.search(value.strip()) if value.strip() else queryset


class CompanyFilterSet(FilterSet):
    parent = company_filter(
        "Slug of the group: `parent=alphabet` lists its brands.",
        method="filter_parent",
    )
    q = filters.CharFilter(
        method="filter_search", max_length=SEARCH_MAX, help_text="Text search in names and slugs."
    )

    class Meta:
        model = Company
        fields = []

    def filter_parent(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(parent_id__in=[c.pk for c in value])

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class CountryFilterSet(FilterSet):
    eu_member = BooleanFilter(help_text="true: EU member states only; false: the other European countries.")

    class Meta:
        model = Country
        fields = []


class AnnouncementFilterSet(FilterSet):
    investment = TextListFilter(
        method="filter_investment",
        help_text="Record id of an investment (e.g. MS-ES-01): the sources reporting it; several as "
        "`investment=A,B`.",
    )
    company = company_filter(
        "Company slug (a group includes its brands): sources reporting its investments.",
    )
    country = country_filter(
        "ISO alpha-2 code: sources reporting investments in these countries.",
    )
    language = TextListFilter(
        method="filter_language",
        help_text="ISO 639-1 language code of the source; several as `language=en,fr`.",
        widget=CommaSeparatedWidget(transform=str.lower),
    )
    publisher = filters.CharFilter(
        field_name="publisher",
        lookup_expr="icontains",
        max_length=SEARCH_MAX,
        help_text="Publisher name contains this.",
    )
    published_after = filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after (YYYY-MM-DD)."
    )
    published_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before (YYYY-MM-DD)."
    )
    q = filters.CharFilter(
        method="filter_search", max_length=SEARCH_MAX, help_text="Text search in titles and quoted evidence."
    )

    class Meta:
        model = Announcement
        fields = []

    def _reporting(self, queryset, investments):
        through = Announcement.investments.through
        ids = through.objects.filter(investment__in=investments).values("announcement_id")
        return queryset.filter(pk__in=ids)

    def filter_investment(self, queryset, name, value):
        return self._reporting(queryset, Investment.objects.filter(ref__in=value))

    def filter_company(self, queryset, name, value):
        if not value:
            return queryset
        family = directory.company_family([c.pk for c in value])
        return self._reporting(queryset, Investment.objects.for_company_ids(family))

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return self._reporting(queryset, Investment.objects.filter(country_id__in=[c.pk for c in value]))

    def filter_language(self, queryset, name, value):
        return queryset.filter(language__in=value)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(evidence__icontains=value))


class SiteFilterSet(FilterSet):
    """Sites, by their own country and by the investments they hold.

    The investment filters (company, category, status, announced_after/before, counted) select sites
    holding at least one investment that matches them all together, through InvestmentFilterSet
    itself, so `company=alphabet&status=construction` means what it means on /api/v1/investments/.
    """

    INVESTMENT_FILTERS = ("company", "category", "status", "announced_after", "announced_before", "counted")

    country = country_filter(
        "ISO 3166 alpha-2 code of the country the site lies in; several as `country=ES,DE`.",
    )
    company = company_filter(
        "Sites holding an investment by this company (a group includes its brands).",
        method="filter_by_investments",
    )
    category = ChoicesFilter(
        choices=Category.choices,
        method="filter_by_investments",
        help_text="Sites holding an investment of this category; several as `category=datacentre,compute`.",
    )
    status = ChoicesFilter(
        choices=Status.choices,
        method="filter_by_investments",
        help_text="Sites holding an investment with this status; several allowed.",
    )
    announced_after = filters.DateFilter(
        method="filter_by_investments",
        help_text="Sites holding an investment announced on or after this date (YYYY-MM-DD).",
    )
    announced_before = filters.DateFilter(
        method="filter_by_investments",
        help_text="Sites holding an investment announced on or before this date (YYYY-MM-DD).",
    )
    counted = BooleanFilter(
        method="filter_by_investments",
        help_text="true: sites holding an investment that counts toward totals.",
    )
    precision = ChoicesFilter(
        choices=SitePrecision.choices,
        help_text="How exact the point is: campus, town or region; several allowed.",
    )
    q = filters.CharFilter(
        max_length=SEARCH_MAX, method="filter_search", help_text="Text search in site names and places."
    )

    class Meta:
        model = Site
        fields = []

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(country_id__in=[c.pk for c in value])

    def filter_by_investments(self, queryset, name, value):
        # Applied once for all of them in filter_queryset, so that they hold on the same investment.
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(place__icontains=value))

    def investments(self):
        """The investments the investment filters select, or None when none is given."""
        params = QueryDict(mutable=True)
        for name in self.INVESTMENT_FILTERS:
            if name in self.data:
                params.setlist(
                    name, self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
                )
        if not params:
            return None
        return InvestmentFilterSet(params, queryset=Investment.objects.all(), request=self.request).qs

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        investments = self.investments()
        if investments is None:
            return queryset
        through = Site.investments.through
        return queryset.filter(pk__in=through.objects.filter(investment__in=investments).values("site_id"))
