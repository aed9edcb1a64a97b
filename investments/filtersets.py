"""One FilterSet per model, shared by the API, the chart data and the HTML pages.

A query string means the same thing everywhere: `?country=ES,DE&company=alphabet` selects the same
investments on /api/v1/investments/, /api/v1/stats/ and the pages. Every filter carries a help_text,
which the OpenAPI schema and docs/api.md show as its description, and the filters the pages' filter bar
shows carry its label (and, for a choice, the label of "any"): the bar is built from the form.

How values are read (comma lists, strict booleans, countries and companies by natural key) is declared
once, in investments.filters; this module only says which filters each model has.
"""

import django_filters as filters
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from investments import directory
from investments.choices import Category, Confidence, FigureSource, SitePrecision, Status
from investments.filters import (
    SEARCH_MAX,
    BooleanFilter,
    ChoicesFilter,
    CommaSeparatedWidget,
    FilterSet,
    StableOrderingFilter,
    TextListFilter,
    company_filter,
    country_filter,
)
from investments.models import Announcement, Company, Country, Investment, Site


class InvestmentFilterSet(FilterSet):
    country = country_filter(
        "ISO 3166 alpha-2 code of the host country (XK for Kosovo); several as `country=ES,DE` "
        "or repeated. Europe-wide programmes have no host country: see `europe_wide`.",
        label=_("Countries"),
    )
    company = company_filter(
        "Company slug; several as `company=microsoft,aws` or repeated. A group includes its "
        "brands: `company=alphabet` includes google, `company=amazon` includes aws.",
        label=_("Companies"),
    )
    category = ChoicesFilter(
        choices=Category.choices,
        help_text="What the money goes to; several as `category=datacentre,compute`.",
        label=_("Category"),
        empty_label=_("All categories"),
    )
    status = ChoicesFilter(
        choices=Status.choices,
        help_text="Where the project stands; several as `status=announced,construction`.",
        label=_("Status"),
        empty_label=_("Any status"),
    )
    announced_after = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="gte",
        help_text="Announced on or after this date (YYYY-MM-DD).",
        label=_("Announced from"),
    )
    announced_before = filters.DateFilter(
        field_name="announced_on",
        lookup_expr="lte",
        help_text="Announced on or before this date (YYYY-MM-DD).",
        label=_("Announced until"),
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
        label=_("Confidence"),
        empty_label=_("Any confidence"),
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
        label=_("Search"),
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
