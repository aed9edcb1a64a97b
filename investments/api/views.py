"""The public API: thin viewsets over the querysets, filtersets and serializers.

Query logic lives in investments.querysets and investments.filtersets, totals in investments.stats, export
formats in investments.renderers, HTTP caching in api.http_cache.
"""

import itertools

from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

from investments.api import compiled, serializers
from investments.api.filter_backends import InvestmentTotalsFilterBackend
from investments.api.http_cache import CachedResponseMixin
from investments.api.schema import FilteredAutoSchema
from investments.export_fields import CSV_HEADER
from investments.filtersets import (
    AnnouncementFilterSet,
    CompanyFilterSet,
    CountryFilterSet,
    InvestmentFilterSet,
    SiteFilterSet,
)
from investments.models import Announcement, Company, Country, Investment, Site
from investments.renderers import (
    CSVRenderer,
    GeoJSONRenderer,
    SiteGeoJSONRenderer,
    csv_lines,
    csv_rows,
)
from investments.sites import with_investments
from investments.stats import country_rollup, stats, stats_csv_rows
from investments.versioned_cache import data_as_of

RENDERERS = api_settings.DEFAULT_RENDERER_CLASSES


class PublicViewSet(CachedResponseMixin, viewsets.ReadOnlyModelViewSet):
    pass


def csv_name(stem):
    """A CSV download's file name, with the data's date: `investments-as-of-2026-06-30.csv`."""
    day = data_as_of()
    return f"{stem}-as-of-{day.isoformat()}.csv" if day else f"{stem}.csv"


class CSVExportMixin:
    """`?format=csv` streams every matching row (no pagination), one line at a time."""

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self.stream_csv(self.filter_queryset(self.get_queryset()), csv_name("investments"))
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            investment = self.get_object()
            return self.stream_csv(Investment.objects.filter(pk=investment.pk), csv_name(investment.ref))
        return super().retrieve(request, *args, **kwargs)

    def stream_csv(self, queryset, filename):
        # Read the first row before the response starts: once streaming, the 200 is sent, and a database
        # error could only cut the download short instead of becoming a 503.
        rows = csv_rows(queryset)
        first = list(itertools.islice(rows, 1))
        response = StreamingHttpResponse(
            csv_lines(CSV_HEADER, itertools.chain(first, rows)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class CountryTotalsMixin:
    """Hands the serializer (and the GeoJSON renderer) the totals of the filtered investments."""

    totals = None

    def get_serializer_context(self):
        context = super().get_serializer_context()
        investments = getattr(self, "investments", None)  # set by InvestmentTotalsFilterBackend
        if investments is not None and self.totals is None:
            self.totals = country_rollup(investments)
        context["totals"] = self.totals
        return context


class CompanyViewSet(PublicViewSet):
    """Companies that invest; a group (Alphabet, Amazon) lists its brands (Google, AWS)."""

    queryset = Company.objects.select_related("parent").prefetch_related("subsidiaries")
    serializer_class = serializers.CompanySerializer
    filterset_class = CompanyFilterSet
    lookup_field = "slug"


@extend_schema_view(
    # One answer per media type: the GeoJSON is a FeatureCollection (a Feature), not the JSON list.
    list=extend_schema(
        operation_id="v1_countries_list",
        description="The European countries the tracker covers, each with the counted totals of the "
        "investments the investment filters select. `?format=geojson` gives a FeatureCollection with "
        "each country's shape.",
        responses={
            (200, "application/json"): serializers.CountrySerializer(many=True),
            (200, "application/geo+json"): serializers.CountryFeatureCollectionSerializer,
        },
    ),
    retrieve=extend_schema(
        responses={
            (200, "application/json"): serializers.CountrySerializer,
            (200, "application/geo+json"): serializers.CountryFeatureSerializer,
        },
    ),
)
class CountryViewSet(CountryTotalsMixin, PublicViewSet):
    """European countries, with totals and, as GeoJSON, their shapes."""

    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    filterset_class = CountryFilterSet
    filter_backends = [DjangoFilterBackend, InvestmentTotalsFilterBackend]
    renderer_classes = [*RENDERERS, GeoJSONRenderer]
    pagination_class = None  # a fixed list of 45 countries, and a map needs them all
    lookup_field = "iso2"
    lookup_value_regex = "[A-Z]{2}"


@extend_schema_view(
    list=extend_schema(
        description="Investments, newest first. `?format=csv` streams every matching row as CSV."
    )
)
class InvestmentViewSet(CSVExportMixin, PublicViewSet):
    """Investments with their amounts (original currency, EUR, USD), relations and sources."""

    queryset = (
        Investment.objects.with_relations()
        .with_counted()
        .prefetch_related(
            Prefetch("announcements", queryset=Announcement.objects.order_by("published_on", "url")),
            Prefetch("countries", queryset=Country.objects.order_by("iso2")),
            Prefetch("supersedes", queryset=Investment.objects.only("pk", "ref").order_by("ref")),
            Prefetch("superseded_by", queryset=Investment.objects.only("pk", "ref").order_by("ref")),
        )
    )
    serializer_class = serializers.InvestmentSerializer
    filterset_class = InvestmentFilterSet
    renderer_classes = [*RENDERERS, CSVRenderer]
    lookup_field = "ref"
    lookup_value_regex = "[^/]+"

    def filter_queryset(self, queryset):
        # A page of the list on PostgreSQL: its statements compiled once per filter (api.compiled).
        # The CSV export streams the whole queryset instead.
        if self.action == "list" and self.request.accepted_renderer.format != "csv" and compiled.available():
            return compiled.filtered_list(
                self, lambda: super(InvestmentViewSet, self).filter_queryset(queryset)
            )
        return super().filter_queryset(queryset)


class AnnouncementViewSet(PublicViewSet):
    """Sources: articles, press releases and filings, each with the figure it gave."""

    queryset = Announcement.objects.prefetch_related(
        Prefetch("investments", queryset=Investment.objects.only("pk", "ref").order_by("ref"))
    ).order_by("-published_on", "id")
    serializer_class = serializers.AnnouncementSerializer
    filterset_class = AnnouncementFilterSet


@extend_schema_view(
    list=extend_schema(
        operation_id="v1_sites_list",
        description="Where the money lands: data-centre, compute and other sites with their point, "
        "capacity and investments. The investment filters select sites holding a matching investment. "
        "`?format=geojson` gives a FeatureCollection of Points ([longitude, latitude]) that QGIS loads.",
        responses={
            (200, "application/json"): serializers.SiteSerializer(many=True),
            (200, "application/geo+json"): serializers.SiteFeatureCollectionSerializer,
        },
    ),
    retrieve=extend_schema(
        responses={
            (200, "application/json"): serializers.SiteSerializer,
            (200, "application/geo+json"): serializers.SiteFeatureSerializer,
        },
    ),
)
class SiteViewSet(PublicViewSet):
    """Sites: a point each, linked to the investments made there over the years."""

    queryset = with_investments(Site.objects.all())
    serializer_class = serializers.SiteSerializer
    filterset_class = SiteFilterSet
    renderer_classes = [*RENDERERS, SiteGeoJSONRenderer]
    pagination_class = None  # about a hundred points, and a map needs them all
    lookup_field = "ref"
    lookup_value_regex = "[a-z0-9-]+"


@extend_schema(
    parameters=[serializers.StatsQuerySerializer],
    responses=serializers.StatsSerializer,
    description="Totals and counts of the investments the filters select, grouped by country, company, "
    "year, month or category. Each investment counts once: components and superseded records never add. "
    "`total` is the headline figure (every counted record), `total_firm` the firm one (records confirmed by "
    "a primary source or two different major outlets, at least medium confidence, less documented "
    "overlaps); `undisclosed` counts the records without an amount, and a group whose records are all "
    "undisclosed has a null total. by=country lists Europe-wide programmes under key null and gives each "
    "country's top three companies. `?format=csv` gives the rows as a CSV file named with the data's date.",
)
class StatsView(CachedResponseMixin, generics.GenericAPIView):
    queryset = Investment.objects.all()
    serializer_class = serializers.StatsSerializer
    filterset_class = InvestmentFilterSet
    renderer_classes = [*RENDERERS, CSVRenderer]
    pagination_class = None
    query_parameters = tuple(serializers.StatsQuerySerializer().fields)
    schema = FilteredAutoSchema()

    def get(self, request, *args, **kwargs):
        params = serializers.StatsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        body = stats(self.filter_queryset(self.get_queryset()), **params.validated_data)
        if request.accepted_renderer.format != "csv":
            return Response(body)
        response = Response(stats_csv_rows(body))
        name = csv_name(f"totals-by-{body['by']}-{body['currency'].lower()}")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
