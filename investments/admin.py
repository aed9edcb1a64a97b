from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from investments.models import Announcement, Company, Country, Investment, Outlet, Overlap, Site

# Links typed in the admin without a scheme are read as https (Django 6's default, set now so that
# Django 5.2 neither warns nor guesses http). Every admin with a URL field uses it.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class AnnouncementInline(admin.TabularInline):
    model = Announcement.investments.through
    extra = 0
    autocomplete_fields = ["announcement"]
    verbose_name = "source"
    verbose_name_plural = "sources"


class CountedFilter(admin.SimpleListFilter):
    title = "counts toward totals"
    parameter_name = "counted"

    def lookups(self, request, model_admin):
        return [
            ("yes", "Yes"),
            ("no", "No: component, superseded, not new money, out of scope, withdrawn or cancelled"),
        ]

    def queryset(self, request, queryset):
        counted = Investment.objects.counted().values("pk")
        if self.value() == "yes":
            return queryset.filter(pk__in=counted)
        if self.value() == "no":
            return queryset.exclude(pk__in=counted)
        return queryset


def investment_link(investment):
    if investment is None:
        return "-"
    url = reverse("admin:investments_investment_change", args=[investment.pk])
    return format_html('<a href="{}">{}</a>', url, investment)


@admin.register(Investment)
class InvestmentAdmin(admin.ModelAdmin):
    list_display = [
        "ref",
        "title",
        "company",
        "country",
        "amount",
        "currency",
        "amount_eur",
        "announced_on",
        "status",
        "confidence",
    ]
    list_filter = [
        CountedFilter,
        "category",
        "status",
        "confidence",
        "figure_source",
        "not_counted_reason",
        "withdrawn",
        "origin",
        "company",
        "country",
    ]
    search_fields = ["ref", "title", "place", "notes", "company__name", "country__name"]
    date_hierarchy = "announced_on"
    autocomplete_fields = ["company", "country", "part_of", "expands", "supersedes", "countries"]
    readonly_fields = [
        "amount_eur",
        "amount_usd",
        "fx_rate_eur",
        "fx_rate_usd",
        "fx_date",
        "part_of_link",
        "expands_link",
        "superseded_by_links",
        "parts_links",
        "created",
        "updated",
    ]
    inlines = [AnnouncementInline]
    fieldsets = [
        (
            None,
            {"fields": ["ref", "title", "company", "country", "countries", "place", "category", "status"]},
        ),
        (
            "Figure",
            {
                "fields": [
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
                ]
            },
        ),
        (
            "How it counts",
            {
                "fields": [
                    "part_of",
                    "part_of_link",
                    "supersedes",
                    "superseded_by_links",
                    "expands",
                    "expands_link",
                    "parts_links",
                    "not_counted_reason",
                ]
            },
        ),
        ("Quality", {"fields": ["figure_source", "confidence", "origin", "notes", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("company", "country")

    @admin.display(description="component of")
    def part_of_link(self, obj):
        return investment_link(obj.part_of)

    @admin.display(description="adds to")
    def expands_link(self, obj):
        return investment_link(obj.expands)

    @admin.display(description="superseded by")
    def superseded_by_links(self, obj):
        return format_html_join_links(obj.superseded_by.all())

    @admin.display(description="components")
    def parts_links(self, obj):
        return format_html_join_links(obj.parts.all())

    def save_model(self, request, obj, form, change):
        from investments.money import apply_conversion

        apply_conversion(obj)
        super().save_model(request, obj, form, change)


def format_html_join_links(investments):
    from django.utils.html import format_html_join

    return format_html_join(", ", "{}", ((investment_link(i),) for i in investments)) or "-"


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["publisher", "title", "published_on", "language", "amount", "currency", "outlet"]
    list_filter = ["outlet__tier", "language", "publisher"]
    # Set by the ingest from the URL (data/outlets.csv), not by hand.
    readonly_fields = ["outlet"]
    search_fields = ["url", "title", "publisher", "evidence", "announced_by"]
    autocomplete_fields = ["investments"]
    formfield_overrides = HTTPS_URL_FIELDS
    date_hierarchy = "published_on"


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    """Outlets come from data/outlets.csv: edit the file, then ingest, so that every source is relinked."""

    list_display = ["domain", "name", "tier", "country", "language"]
    list_filter = ["tier", "country"]
    search_fields = ["domain", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Overlap)
class OverlapAdmin(admin.ModelAdmin):
    """Documented overlaps come from data/overlaps.csv (the ingest converts their amounts at their record's
    rate); the firm totals net them out."""

    list_display = ["investment", "overlaps", "amount", "currency", "amount_eur"]
    search_fields = ["investment__ref", "overlaps__ref", "basis"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "headquarters_country", "investment_count"]
    search_fields = ["name", "slug"]
    list_filter = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = HTTPS_URL_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_investments=Count("investments"))

    @admin.display(description="investments", ordering="n_investments")
    def investment_count(self, obj):
        return obj.n_investments


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "iso2", "iso3", "eu_member"]
    list_filter = ["eu_member"]
    search_fields = ["name", "iso2", "iso3", "name_fr", "name_es", "name_de", "name_it"]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    """Sites come from data/sites.csv; edits here are overwritten by the next ingest of a changed row."""

    list_display = ["ref", "name", "place", "country", "precision"]
    list_filter = ["precision", "country"]
    search_fields = ["ref", "name", "place"]
    autocomplete_fields = ["investments"]
    readonly_fields = ["record_hash"]
    formfield_overrides = HTTPS_URL_FIELDS
