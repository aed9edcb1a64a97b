"""What the public API says about each model. Read-only: curators write through admin and ingest."""

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer, inline_serializer
from rest_framework import serializers

from investments import export_fields
from investments.api.compiled import CompiledPage
from investments.choices import Confidence, Tier
from investments.models import Announcement, Company, Country, Investment, Site
from investments.provenance import figure_differs
from investments.rows import read
from investments.sites import summarize
from investments.stats import NO_TOTALS


class CompanyRefSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the group; null when it belongs to none.",
    )

    class Meta:
        model = Company
        fields = ["slug", "name", "parent"]


class CountryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["iso2", "name"]


class SourceSerializer(serializers.ModelSerializer):
    """A source as seen from one investment: what it said and whether it agrees with the record."""

    date = serializers.DateField(source="published_on", allow_null=True)
    outlet = serializers.CharField(
        source="outlet.domain",
        allow_null=True,
        help_text="The outlet's domain in data/outlets.csv; null for a source not yet matched to one.",
    )
    tier = serializers.ChoiceField(
        source="outlet.tier",
        choices=Tier.choices,
        allow_null=True,
        help_text="primary (the company's or a government's own release), major (national or international "
        "outlet or wire), trade (specialist press) or aggregator (rewrites, copies); null when unmatched.",
    )
    discrepancy = serializers.SerializerMethodField(
        help_text="True when this source's EUR figure differs from the record's amount_eur by more than "
        "5%; null when either is unknown."
    )

    class Meta:
        model = Announcement
        fields = [
            "id",
            "url",
            "publisher",
            "outlet",
            "tier",
            "date",
            "language",
            "title",
            "announced_by",
            "evidence",
            "amount",
            "currency",
            "amount_eur",
            "discrepancy",
        ]

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_discrepancy(self, source):
        record = self.context.get("record")
        if record is None:
            return None
        return figure_differs(
            source.amount,
            source.currency,
            source.amount_eur,
            record.amount,
            record.currency,
            record.amount_eur,
        )


def investment_records(investments, request=None):
    """The API's records of `investments`, in its order: a queryset (possibly sliced: a page) or a page of
    a compiled list (api.compiled), which reads its own rows. Read by investments.rows, each value as
    investments.export_fields declares it: a handful of queries a page, no DRF field per value."""
    rows = investments.rows() if isinstance(investments, CompiledPage) else read(investments)
    if not rows:
        return []
    # One reverse() for the page: the detail URL differs by the record id only.
    url = reverse("api:investment-detail", kwargs={"ref": "REF"})
    if request is not None:
        url = request.build_absolute_uri(url)
    return export_fields.records(rows, export_fields.Page(rows, url))


class InvestmentListSerializer(serializers.ListSerializer):
    """A page of investments read once (investment_records), not a DRF field per value."""

    def to_representation(self, data):
        if isinstance(data, QuerySet | CompiledPage):
            return investment_records(data, self.context.get("request"))
        # Model instances (a page already evaluated): read them again by id, keep their order.
        order = {investment.ref: index for index, investment in enumerate(data)}
        rows = investment_records(
            Investment.objects.with_counted().filter(ref__in=list(order)), self.context.get("request")
        )
        return sorted(rows, key=lambda row: order[row["ref"]])


def declared_field(field):
    """The DRF field describing an exported field (investments.export_fields) in the OpenAPI schema; None
    for a MODEL field, which ModelSerializer builds from the model's. `source` is the model attribute,
    read only where DRF itself renders the serializer (tests/api/test_endpoints.py)."""
    help_text = field.description
    match field.type:
        case export_fields.MODEL:
            return None
        case "url":
            return serializers.HyperlinkedIdentityField(
                view_name="api:investment-detail", lookup_field="ref", help_text=help_text
            )
        case "company":
            return CompanyRefSerializer(help_text=help_text)
        case "country":
            return CountryRefSerializer(allow_null=True, help_text=help_text)
        case "countries":
            return serializers.SlugRelatedField(
                slug_field="iso2", many=True, read_only=True, help_text=help_text
            )
        case "boolean":
            # The model's attribute of that name (europe_wide), else the annotation the row reads (is_counted).
            if hasattr(Investment, field.name):
                return serializers.BooleanField(help_text=help_text)
            return serializers.BooleanField(source=field.reads[0], help_text=help_text)
        case "record":
            return serializers.SlugRelatedField(
                slug_field="ref", read_only=True, allow_null=True, help_text=help_text
            )
        case "records":
            return serializers.SlugRelatedField(
                slug_field="ref", many=True, read_only=True, help_text=help_text
            )
        case "sources":
            return SourceSerializer(many=True, read_only=True, source="announcements", help_text=help_text)
    raise ValueError(f"{field.name}: no schema for type {field.type!r}")


class InvestmentRecordSerializer(serializers.ModelSerializer):
    """InvestmentSerializer's rendering: one record read as the list reads its pages."""

    def to_representation(self, instance):
        # The fields built from the declaration describe it for the schema.
        return investment_records(
            Investment.objects.with_counted().filter(pk=instance.pk), self.context.get("request")
        )[0]


class InvestmentMeta:
    """InvestmentSerializer's Meta: the declared fields, with their descriptions."""

    model = Investment
    list_serializer_class = InvestmentListSerializer
    fields = export_fields.NAMES
    extra_kwargs = {
        field.name: {"help_text": field.description}
        for field in export_fields.FIELDS
        if field.type == export_fields.MODEL
    }


# Built from the one declaration of the exported fields, so that the schema and the records agree.
InvestmentSerializer = type(
    "InvestmentSerializer",
    (InvestmentRecordSerializer,),
    {
        "__module__": __name__,
        "__doc__": "An investment with its amounts (original currency, EUR, USD), relations and sources.",
        "Meta": InvestmentMeta,
        **{
            field.name: declared
            for field in export_fields.FIELDS
            if (declared := declared_field(field)) is not None
        },
    },
)


class CompanySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:company-detail", lookup_field="slug")
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the group; null when it belongs to none.",
    )
    subsidiaries = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Slugs of the group's brands."
    )

    class Meta:
        model = Company
        fields = [
            "slug",
            "url",
            "name",
            "parent",
            "subsidiaries",
            "aliases",
            "website",
            "headquarters_country",
        ]


class TopCompanySerializer(serializers.Serializer):
    company = serializers.SlugField(help_text="Company slug.")
    name = serializers.CharField()
    total = serializers.FloatField(
        allow_null=True, help_text="Counted total in the requested currency; null when all undisclosed."
    )


UNDISCLOSED_HELP = "How many of the counted investments have no disclosed amount."
FIRM_HELP = (
    "the firm figure: records confirmed by a primary source or by two different major outlets, at least "
    "medium confidence, less documented overlaps"
)


CONFIDENCE_COUNTS = inline_serializer(
    "ConfidenceCounts",
    {level: serializers.IntegerField() for level in Confidence.values},
    help_text="How many of the counted investments stand at each confidence (high, medium, low).",
)


class CountryTotalsSerializer(serializers.Serializer):
    total_eur = serializers.FloatField(
        allow_null=True,
        help_text="Headline total in EUR of the selected investments (every counted record); null when all "
        "are undisclosed.",
    )
    total_usd = serializers.FloatField(allow_null=True, help_text="Headline total in USD.")
    firm_eur = serializers.FloatField(allow_null=True, help_text=f"In EUR, {FIRM_HELP}.")
    firm_usd = serializers.FloatField(allow_null=True, help_text=f"In USD, {FIRM_HELP}.")
    count = serializers.IntegerField(help_text="Number of counted investments.")
    undisclosed = serializers.IntegerField(help_text=UNDISCLOSED_HELP)
    confidence = CONFIDENCE_COUNTS
    top_companies = TopCompanySerializer(many=True, help_text="Up to three companies by EUR total.")


class CountrySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:country-detail", lookup_field="iso2")
    names = serializers.SerializerMethodField(help_text="The name in French, Spanish, German and Italian.")
    totals = serializers.SerializerMethodField(
        help_text="Counted totals of the investments selected by the investment filters in the query."
    )

    class Meta:
        model = Country
        fields = ["iso2", "iso3", "url", "name", "names", "eu_member", "totals"]

    @extend_schema_field(
        inline_serializer(
            "CountryNames", {lang: serializers.CharField() for lang in ("fr", "es", "de", "it")}
        )
    )
    def get_names(self, country):
        return {"fr": country.name_fr, "es": country.name_es, "de": country.name_de, "it": country.name_it}

    @extend_schema_field(CountryTotalsSerializer)
    def get_totals(self, country):
        totals = self.context.get("totals") or {}
        return totals.get(country.pk, NO_TOTALS)


def geojson_type(*values):
    """A GeoJSON "type" member, described as one of `values`.

    The description rides on a class of its own: serializers copy their fields from the arguments
    they were built with, which would drop one set on the instance.
    """
    field = type("GeoJSONType", (serializers.CharField,), {})
    return extend_schema_field({"type": "string", "enum": list(values)})(field)()


class GeometrySerializer(serializers.Serializer):
    type = geojson_type("Polygon", "MultiPolygon")
    coordinates = serializers.ListField(
        child=serializers.JSONField(), help_text="Rings of [longitude, latitude] positions (RFC 7946)."
    )


class FlatTotalsSerializer(serializers.Serializer):
    """A country's totals as flat scalars, so that GIS tools read them as attribute columns."""

    total_eur = serializers.FloatField(
        allow_null=True, help_text="Headline total in EUR of the selected investments; null when undisclosed."
    )
    total_usd = serializers.FloatField(allow_null=True, help_text="Headline total in USD.")
    firm_eur = serializers.FloatField(allow_null=True, help_text=f"In EUR, {FIRM_HELP}.")
    firm_usd = serializers.FloatField(allow_null=True, help_text=f"In USD, {FIRM_HELP}.")
    count = serializers.IntegerField(help_text="Number of counted investments.")
    undisclosed = serializers.IntegerField(help_text=UNDISCLOSED_HELP)
    confidence_high = serializers.IntegerField(help_text="Counted investments at high confidence.")
    confidence_medium = serializers.IntegerField(help_text="Counted investments at medium confidence.")
    confidence_low = serializers.IntegerField(help_text="Counted investments at low confidence.")
    top_companies = serializers.CharField(
        help_text="Up to three company names by EUR total, comma-separated."
    )


class CountryPropertiesSerializer(FlatTotalsSerializer):
    iso2 = serializers.CharField()
    iso3 = serializers.CharField()
    name = serializers.CharField()
    eu_member = serializers.BooleanField()
    url = serializers.URLField()


class CountryFeatureSerializer(serializers.Serializer):
    """`?format=geojson` on one country: a GeoJSON Feature (investments.renderers.GeoJSONRenderer)."""

    type = geojson_type("Feature")
    id = serializers.CharField(help_text="ISO alpha-2 code.")
    geometry = GeometrySerializer(allow_null=True, help_text="The country's shape; null if none is known.")
    properties = CountryPropertiesSerializer()


@extend_schema_serializer(many=False)  # one collection, even though the view is a list
class CountryFeatureCollectionSerializer(serializers.Serializer):
    """`?format=geojson` on the list: a GeoJSON FeatureCollection of the countries."""

    type = geojson_type("FeatureCollection")
    features = CountryFeatureSerializer(many=True)
    europe_wide = FlatTotalsSerializer(help_text="Totals of the Europe-wide programmes, which have no shape.")


class SiteInvestmentSerializer(serializers.ModelSerializer):
    """An investment as seen from one of its sites."""

    page = serializers.URLField(source="get_absolute_url", help_text="The record's page.")
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    company_name = serializers.CharField(source="company.name")
    counted = serializers.BooleanField(source="is_counted", help_text="Whether it counts toward totals.")
    shared = serializers.SerializerMethodField(
        help_text="True when the record covers other sites too: its figures are not added to this site's."
    )

    class Meta:
        model = Investment
        fields = [
            "ref",
            "page",
            "title",
            "company",
            "company_name",
            "category",
            "status",
            "amount_eur",
            "announced_on",
            "counted",
            "shared",
            "capacity_mw",
            "capacity_mw_as_given",
            "capacity_mw_source",
            "gpus",
            "gpus_as_given",
            "gpus_source",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_shared(self, investment):
        return (investment.site_count or 0) > 1


class SiteSerializer(serializers.ModelSerializer):
    """A site with its point, what it adds up to (investments.sites) and its investments, oldest first."""

    url = serializers.HyperlinkedIdentityField(view_name="api:site-detail", lookup_field="ref")
    page = serializers.URLField(source="get_absolute_url", help_text="The site's page.")
    country = CountryRefSerializer()
    latitude = serializers.FloatField(help_text="WGS 84 decimal degrees.")
    longitude = serializers.FloatField(help_text="WGS 84 decimal degrees.")
    amount_eur = serializers.SerializerMethodField(
        help_text="Counted EUR total of the records at this site alone (shared records are not split)."
    )
    capacity_mw = serializers.SerializerMethodField(
        help_text="Largest MW figure announced by a record at this site alone; null when none."
    )
    gpus = serializers.SerializerMethodField(
        help_text="Largest GPU count announced by a record at this site alone; null when none."
    )
    company = serializers.SerializerMethodField(help_text="Slug of the lead company (largest amount here).")
    companies = serializers.SerializerMethodField(help_text="Slugs of every company with a record here.")
    investments = SiteInvestmentSerializer(many=True, read_only=True)

    class Meta:
        model = Site
        fields = [
            "ref",
            "url",
            "page",
            "name",
            "place",
            "country",
            "latitude",
            "longitude",
            "precision",
            "source_url",
            "notes",
            "amount_eur",
            "capacity_mw",
            "gpus",
            "company",
            "companies",
            "investments",
        ]

    def summary(self, site):
        cached = getattr(site, "_summary", None)
        if cached is None:
            cached = site._summary = summarize(site)
        return cached

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_amount_eur(self, site):
        return self.summary(site)["amount_eur"]

    @extend_schema_field({"type": "number", "nullable": True})
    def get_capacity_mw(self, site):
        return self.summary(site)["capacity_mw"]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_gpus(self, site):
        return self.summary(site)["gpus"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_company(self, site):
        return self.summary(site)["company"]

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_companies(self, site):
        return [c["slug"] for c in self.summary(site)["companies"]]


class PointSerializer(serializers.Serializer):
    type = geojson_type("Point")
    coordinates = serializers.ListField(
        child=serializers.FloatField(),
        min_length=2,
        max_length=2,
        help_text="[longitude, latitude] (RFC 7946).",
    )


class SitePropertiesSerializer(serializers.Serializer):
    ref = serializers.CharField()
    name = serializers.CharField()
    place = serializers.CharField()
    country = serializers.CharField(help_text="ISO alpha-2 code.")
    precision = serializers.CharField()
    source_url = serializers.CharField()
    amount_eur = serializers.FloatField()
    capacity_mw = serializers.FloatField(allow_null=True)
    gpus = serializers.IntegerField(allow_null=True)
    company = serializers.CharField(allow_null=True)
    companies = serializers.CharField(help_text="Company slugs, comma-separated.")
    investments = serializers.CharField(help_text="Record ids, comma-separated, oldest first.")
    statuses = serializers.CharField(help_text="Statuses of the records, comma-separated.")
    page = serializers.URLField()


class SiteFeatureSerializer(serializers.Serializer):
    """`?format=geojson` on one site: a GeoJSON Feature with a Point."""

    type = geojson_type("Feature")
    id = serializers.CharField(help_text="The site id.")
    geometry = PointSerializer()
    properties = SitePropertiesSerializer()


@extend_schema_serializer(many=False)
class SiteFeatureCollectionSerializer(serializers.Serializer):
    """`?format=geojson` on the list: a GeoJSON FeatureCollection of Points."""

    type = geojson_type("FeatureCollection")
    features = SiteFeatureSerializer(many=True)


class AnnouncementSerializer(serializers.ModelSerializer):
    investments = serializers.SlugRelatedField(
        slug_field="ref", many=True, read_only=True, help_text="Record ids of the investments it reports."
    )

    class Meta:
        model = Announcement
        fields = [
            "id",
            "url",
            "publisher",
            "language",
            "published_on",
            "title",
            "evidence",
            "announced_by",
            "amount",
            "currency",
            "amount_eur",
            "investments",
        ]


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": True})
class StatsKeyField(serializers.Field):
    """A stats key as investments.stats gives it: a string, or an integer for by=year."""

    def to_representation(self, value):
        return value


class StatsRowSerializer(serializers.Serializer):
    key = StatsKeyField(
        allow_null=True,
        help_text="ISO alpha-2, company slug, year (number), month (YYYY-MM) or category; null for "
        "Europe-wide programmes (by=country) or undated records (by=year, by=month).",
    )
    label = serializers.CharField(help_text="Display name of the key.")
    total = serializers.FloatField(
        allow_null=True,
        help_text="Headline total in the requested currency: every counted investment. Null when all of the "
        "group's investments are undisclosed.",
    )
    total_firm = serializers.FloatField(allow_null=True, help_text=f"In the requested currency, {FIRM_HELP}.")
    count = serializers.IntegerField(help_text="Number of counted investments.")
    undisclosed = serializers.IntegerField(help_text=UNDISCLOSED_HELP)
    confidence = CONFIDENCE_COUNTS
    capacity_mw = serializers.FloatField(help_text="Sum of the MW announced by the counted investments.")
    gpus = serializers.IntegerField(help_text="Sum of the GPUs announced by the counted investments.")
    per_capita = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="per=capita: total per inhabitant; null with no population.",
    )
    per_capita_firm = serializers.FloatField(
        required=False, allow_null=True, help_text="per=capita: total_firm per inhabitant."
    )
    share_of_gdp = serializers.FloatField(
        required=False, allow_null=True, help_text="per=gdp: the EUR total as a fraction of GDP (0.01 is 1%)."
    )
    share_of_gdp_firm = serializers.FloatField(
        required=False, allow_null=True, help_text="per=gdp: the EUR total_firm as a fraction of GDP."
    )
    population = serializers.IntegerField(
        required=False, allow_null=True, help_text="per=capita: inhabitants on 1 January of population_year."
    )
    population_year = serializers.IntegerField(required=False, allow_null=True)
    gdp_eur = serializers.FloatField(
        required=False, allow_null=True, help_text="per=gdp: GDP at current prices in EUR in gdp_year."
    )
    gdp_year = serializers.IntegerField(required=False, allow_null=True)
    top_companies = TopCompanySerializer(
        many=True, required=False, help_text="by=country only: up to three companies by total."
    )


class StatsSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=["country", "company", "year", "month", "category"])
    currency = serializers.ChoiceField(choices=["EUR", "USD"])
    per = serializers.ChoiceField(choices=["capita", "gdp"], required=False, help_text="The per= asked for.")
    data_as_of = serializers.DateField(
        allow_null=True, help_text="The date of the latest change to the data (records or sources)."
    )
    results = StatsRowSerializer(many=True)
    total = serializers.FloatField(
        allow_null=True, help_text="Headline total of all selected investments; null when all undisclosed."
    )
    total_firm = serializers.FloatField(
        allow_null=True, help_text=f"Of all selected investments, {FIRM_HELP}."
    )
    count = serializers.IntegerField(help_text="Number of counted investments selected.")
    undisclosed = serializers.IntegerField(help_text=UNDISCLOSED_HELP)


class StatsQuerySerializer(serializers.Serializer):
    """The stats endpoint's own parameters; the investment filters come on top."""

    by = serializers.ChoiceField(
        choices=["country", "company", "year", "month", "category"],
        default="country",
        help_text="What to group the totals by.",
    )
    currency = serializers.ChoiceField(
        choices=["EUR", "USD"],
        default="EUR",
        help_text="Currency of the totals (ECB rate of each announcement).",
    )
    per = serializers.ChoiceField(
        choices=["capita", "gdp"],
        required=False,
        help_text=(
            "With by=country only: add per_capita (per inhabitant) or share_of_gdp (a fraction of the "
            "country's GDP) to each row, from data/indicators.csv."
        ),
    )

    def validate(self, attrs):
        if attrs.get("per") and attrs["by"] != "country":
            raise serializers.ValidationError({"per": ["Normalising takes by=country only."]})
        return attrs

    def to_internal_value(self, data):
        # Currency codes are case-insensitive, as they are in the filters.
        data = data.copy()
        if isinstance(data.get("currency"), str):
            data["currency"] = data["currency"].upper()
        return super().to_internal_value(data)
