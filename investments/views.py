"""The HTML pages. Each filters through InvestmentFilterSet, as the API does, so that a query string
selects the same investments on a page, in its charts (drawn by static/js/<page>.js from the API) and in
the API itself. The pages render the first state server-side; the scripts take over from there."""

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, translate_url
from django.utils.html import json_script
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_safe
from rest_framework.utils.encoders import JSONEncoder

from investments.choices import Category, Confidence, Status
from investments.export_fields import Page
from investments.filtersets import InvestmentFilterSet
from investments.models import Company, Country, Investment
from investments.models.investment import precise_date
from investments.numbers import compact
from investments.provenance import counting, relations, source_differs
from investments.rows import read
from investments.stats import stats
from investments.svgmap import europe_map
from investments.svgtimeline import timeline_bars
from investments.versioned_cache import data_as_of, kept

CURRENCIES = ("EUR", "USD")
# The filter bar's fields, each with whether it is a multi-select (several countries to compare).
BAR_FIELDS = {
    "q": False,
    "country": True,
    "company": True,
    "category": False,
    "status": False,
    "confidence": False,
    "announced_after": False,
    "announced_before": False,
}
# Query parameters besides the FilterSet's that the filter bar carries along as they are when submitted.
KEPT_PARAMETERS = ("page_size",)
PROGRAMMES_SHOWN = 8
# The map's choice of figure: the totals, or the totals per inhabitant or as a share of GDP (issue 18).
PER_OPTIONS = (
    ("", gettext_lazy("Total")),
    ("capita", gettext_lazy("Per inhabitant")),
    ("gdp", gettext_lazy("Share of GDP")),
)
# A source's figure further than this from the record's (both in EUR) is shown as a discrepancy.


# --- Pages ---------------------------------------------------------------------------------------


@require_safe
def home(request):
    """The map: totals by country, Europe-wide programmes beside it, the investments below.

    The totals come with the page: the summary and the table of totals as HTML, and the map's data as
    the same JSON that /api/v1/stats/?by=country serves, so the map is drawn as soon as plotly has
    loaded, with no request of its own.
    """
    filterset, currency = filtered(request)
    investments = filterset.qs
    programmes, programmes_query = europe_wide_programmes(request)
    per = per_of(request)
    totals, countries = by_country(investments, currency, per)
    return render(
        request,
        "investments/map.html",
        {
            **page_context(request, nav="map", filterset=filterset),
            "summary": {**range_of(totals), "count": totals["count"], "currency": currency},
            "by_country": countries,
            **per_context(request),
            "map_stats": json_script(totals, "map-stats", encoder=JSONEncoder),
            "svg_map": svg_map(request, countries, currency),
            "ranking": ranking(countries, country_link(request), currency),
            "programmes": programmes.with_relations()
            .prefetch_related("countries")
            .order_by("-amount_eur", "ref")[:PROGRAMMES_SHOWN],
            "programme_count": programmes.count(),
            "programmes_query": programmes_query,
            "table": investment_table(request, investments),
        },
    )


@require_safe
def timeline(request):
    """The timeline: one marker per investment, a cumulative total; the investments below."""
    filterset, currency = filtered(request)
    by_year = cached_stats(filterset.qs, "year", currency)
    return render(
        request,
        "investments/timeline.html",
        {
            **page_context(request, nav="timeline", filterset=filterset),
            "summary": summary(filterset.qs, currency),
            "svg_timeline": timeline_bars(
                by_year["results"], lambda value: compact(value, currency), lambda value: compact(value)
            ),
            "spread": request.GET.get("spread") == "1",
            "table": investment_table(request, filterset.qs),
        },
    )


@require_safe
def country_detail(request, iso2):
    country = get_object_or_404(Country, iso2=iso2.upper())
    filterset, currency = filtered(request, fixed={"country": country.iso2})
    investments = filterset.qs
    language = get_language()
    programmes = (
        europe_wide_programmes(request, fixed={"country": country.iso2})[0]
        .with_relations()
        .order_by("-amount_eur", "ref")
    )
    return render(
        request,
        "investments/country.html",
        {
            **page_context(request, filterset=filterset, fixed={"country": country.iso2}),
            "country": country,
            "country_name": country.localized_name(language),
            "summary": summary(investments, currency),
            "by_company": by_company(investments, currency),
            "programmes": programmes,
            "table": investment_table(request, investments, fixed={"country": country.iso2}),
        },
    )


@require_safe
def company_detail(request, slug):
    company = get_object_or_404(Company.objects.select_related("parent"), slug=slug)
    filterset, currency = filtered(request, fixed={"company": company.slug})
    investments = filterset.qs
    return render(
        request,
        "investments/company.html",
        {
            **page_context(request, filterset=filterset, fixed={"company": company.slug}),
            "company": company,
            "subsidiaries": company.subsidiaries.all(),
            "summary": summary(investments, currency),
            "by_country": by_country(investments, currency, per_of(request))[1],
            **per_context(request),
            "table": investment_table(request, investments, fixed={"company": company.slug}),
        },
    )


@require_safe
def investment_detail(request, ref):
    """One record and its provenance: every source and its figure, the relations, how it counts."""
    investment = get_object_or_404(
        Investment.objects.with_sources()
        .with_counted()
        .select_related("part_of__company", "expands__company")
        .prefetch_related("parts", "superseded_by", "expansions", "supersedes"),
        ref=ref,
    )
    sources = [
        {"announcement": a, "differs": source_differs(a, investment)} for a in investment.announcements.all()
    ]
    overlaps = [
        *((o, o.overlaps, "repeats") for o in investment.overlaps_with.select_related("overlaps")),
        *((o, o.investment, "repeated") for o in investment.overlapped_by.select_related("investment")),
    ]
    return render(
        request,
        "investments/investment.html",
        {
            **page_context(request, filterset=filterset_for(request), live=False),
            "investment": investment,
            "country_name": investment.country.localized_name(get_language()) if investment.country else "",
            "covered": [c.localized_name(get_language()) for c in investment.countries.all()],
            "sources": sources,
            "discrepancies": sum(1 for s in sources if s["differs"]),
            "counting": counting(investment),
            "relations": relations(investment),
            "overlaps": overlaps,
        },
    )


@require_safe
def about(request):
    """The method: scope, counting, currency rule, sources, licence, citation, downloads."""
    context = page_context(request, nav="about", filterset=filterset_for(request), live=False)
    return render(request, "investments/about.html", context)


# --- Filtering -----------------------------------------------------------------------------------


def filterset_for(request, exclude=()):
    """The shared FilterSet bound to the query string, less the parameters a page's path fixes."""
    data = request.GET.copy()
    for name in exclude:
        data.pop(name, None)
    return InvestmentFilterSet(data, queryset=Investment.objects.all())


def europe_wide_programmes(request, fixed=None):
    """The Europe-wide programmes shown beside a page's countries, and their query string: the page's
    filters through the shared FilterSet, its country (fixed by the path or chosen) read as `covers`, so
    that `/?country=ES`, `/countries/ES/` and the API's `europe_wide=true&covers=ES` list the same."""
    data = request.GET.copy()
    for name, value in (fixed or {}).items():
        data[name] = value
    countries = ",".join(data.getlist("country"))
    data.pop("country", None)
    data.pop("page", None)
    if countries:
        data["covers"] = countries
    data["europe_wide"] = "true"
    return InvestmentFilterSet(data, queryset=Investment.objects.all()).qs, data.urlencode()


def filtered(request, fixed=None):
    """The FilterSet for this page (its path's country or company fixed) and the chosen currency."""
    data = request.GET.copy()
    for name, value in (fixed or {}).items():
        data[name] = value
    filterset = InvestmentFilterSet(data, queryset=Investment.objects.all())
    return filterset, currency_of(request)


def currency_of(request):
    currency = request.GET.get("currency", "EUR").upper()
    return currency if currency in CURRENCIES else "EUR"


def summary(investments, currency):
    # Kept like the stats: the firm figure is a query worth not repeating on every page view.
    totals = cached("page-summary", investments, (currency,), lambda: investments.grand_total(currency))
    return {**range_of(totals), "count": totals["count"], "currency": currency}


def range_of(totals):
    """The headline and firm totals of a selection, its undisclosed count, and whether the two figures
    differ (a range to show) or agree (one figure)."""
    total, firm = totals["total"], totals["total_firm"]
    return {
        "total": total,
        "total_firm": firm if total is not None else None,
        "undisclosed": totals["undisclosed"],
        "is_range": total is not None and firm != total,
    }


def country_link(request):
    """A country's page URL with the page's filters but not its page or its country: the map's links."""
    query = request.GET.copy()
    for name in ("page", "country"):
        query.pop(name, None)
    suffix = f"?{query.urlencode()}" if query else ""
    return lambda iso2: reverse("investments:country", args=[iso2]) + suffix


def ranking(rows, link, currency):
    """The countries with counted money, largest first, as bars beside the map: drawn with the page, so
    nothing moves when the scripts start (static/js/map.js draws them alike after a filter change)."""
    ranked = sorted((row for row in rows if row.get("total")), key=lambda row: (-row["total"], row["name"]))
    largest = ranked[0]["total"] if ranked else 1
    return [
        {
            "iso2": row["key"],
            "href": link(row["key"]),
            "name": row["name"],
            "width": f"{max(0.5, 100 * float(row['total'] / largest)):.1f}%",
            "value": compact(row["total"], currency),
        }
        for row in ranked
    ]


def svg_map(request, rows, currency):
    """The map's first view (investments.svgmap): each country with money a link to its page, with the
    page's filters, labelled with its total in the page's language."""

    def label(row):
        amount = compact(row["total"], currency) if row.get("total") else gettext("undisclosed")
        return gettext("%(country)s: %(amount)s, %(count)s investments") % {
            "country": row["name"],
            "amount": amount,
            "count": row["count"],
        }

    def legend_text(low, high):
        return (
            f"{compact(low, currency)} – {compact(high, currency)}" if low else f"≤ {compact(high, currency)}"
        )

    return europe_map(
        rows,
        link=country_link(request),
        label=label,
        legend_text=legend_text,
    )


def per_of(request):
    """The map's normalisation (?per=capita|gdp), None for plain totals; anything else reads as None."""
    per = request.GET.get("per", "")
    return per if per in ("capita", "gdp") else None


def per_context(request):
    """The chosen normalisation and the filter bar's options for it, on pages with a by-country table."""
    per = per_of(request)
    options = [
        {"value": value, "label": label, "selected": value == (per or "")} for value, label in PER_OPTIONS
    ]
    return {"per": per, "per_options": options}


def by_country(investments, currency, per=None):
    """The API's by-country stats body, and its rows with the Country and the name in this language.

    Europe-wide programmes (no host country) are left out of the rows: they are listed apart, never
    spread over countries. `per` adds the per-inhabitant or share-of-GDP figures as the API does.
    """
    body = cached_stats(investments, "country", currency, per)
    language = get_language()
    countries = {c.iso2: c for c in Country.objects.all()}
    rows = [
        {
            **row,
            "country": countries[row["key"]],
            "name": countries[row["key"]].localized_name(language),
            "share_percent": row["share_of_gdp"] * 100 if row.get("share_of_gdp") is not None else None,
        }
        for row in body["results"]
        if row["key"] is not None
    ]
    return body, rows


def cached_stats(investments, by, currency, per=None):
    """stats() of a selection, kept in the cache under the data version as the API keeps its stats
    responses, and for as long (settings.API_CACHE_SECONDS; off without a shared cache, whose data
    version a per-process cache would not see change)."""
    return cached(
        "page-stats",
        investments,
        (get_language(), by, currency, per),
        lambda: stats(investments, by, currency, per),
    )


def cached(prefix, investments, parts, compute):
    """compute() for a selection, kept as cached_stats() keeps its stats."""
    seconds = settings.API_CACHE_SECONDS
    if not seconds:
        return compute()
    try:
        sql, params = investments.query.sql_with_params()
    except EmptyResultSet:  # a selection that cannot match: nothing worth keeping
        return compute()
    return kept(prefix, (*parts, sql, params), seconds, compute)


def by_company(investments, currency):
    companies = {c.slug: c for c in Company.objects.all()}
    body = cached_stats(investments, "company", currency)
    return [{**row, "company": companies[row["key"]]} for row in body["results"]]


# Query parameters that shape a page's view, not which investments it lists: left out of its exports.
VIEW_PARAMETERS = ("page", "page_size", "spread", "currency", "format", "per")


def investment_table(request, investments, fixed=None):
    """One page of the investments table, as the API pages it (`page`, `page_size`), and the CSV link
    of exactly the investments it lists: the query string's filters plus the path's (`/countries/ES/`).
    Its rows are read as the API reads its pages (investments.rows)."""
    default = settings.REST_FRAMEWORK["PAGE_SIZE"]
    try:
        page_size = min(max(int(request.GET.get("page_size", default)), 1), 500)
    except ValueError:
        page_size = default
    paginator = Paginator(investments.with_counted(), page_size)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = table_rows(read(page.object_list))
    return {
        "page": page,
        "page_size": page_size,
        "querystring": querystring_without(request, "page"),
        "csv_url": f"{reverse('api:investment-list')}?{filter_query(request, fixed, format='csv')}",
    }


def table_rows(rows):
    """The rows of investments.rows as the table shows them (templates/investments/_row.html): names in
    the page's language, choices by their labels, links to the pages."""
    if not rows:
        return []
    known = Page(rows)  # countries and companies from memory (investments.directory)
    language = get_language()
    countries = Country.objects.in_bulk({row["country_id"] for row in rows if row["country_id"]})
    statuses, confidences = dict(Status.choices), dict(Confidence.choices)
    table = []
    for row in rows:
        company = known.companies[row["company_id"]]
        country = countries.get(row["country_id"])
        table.append(
            {
                "url": reverse("investments:investment", args=[row["ref"]]),
                "title": row["title"],
                "withdrawn": row["withdrawn"],
                "counted": row["is_counted"],
                "company": {
                    "url": reverse("investments:company", args=[company["slug"]]),
                    "name": company["name"],
                },
                "country": country
                and {"url": country.get_absolute_url(), "name": country.localized_name(language)},
                "amount": row["amount"],
                "currency": row["currency"],
                "amount_eur": row["amount_eur"],
                "amount_usd": row["amount_usd"],
                "status": statuses.get(row["status"], row["status"]),
                "confidence": confidences.get(row["confidence"], row["confidence"]),
                "announced": precise_date(row["announced_on"], row["announced_precision"]),
                "sources": [{"url": values[1], "publisher": values[2]} for values in row["folded_sources"]],
            }
        )
    return table


def filter_query(request, fixed=None, **extra):
    """The query string of the investments a page lists, for its exports and its feed: the query
    string's filters plus the one its path fixes, without the options that only shape the view."""
    query = request.GET.copy()
    for name in VIEW_PARAMETERS:
        query.pop(name, None)
    for name, value in {**(fixed or {}), **extra}.items():
        query[name] = value
    return query.urlencode()


def querystring_without(request, *names):
    data = request.GET.copy()
    for name in names:
        data.pop(name, None)
    return data.urlencode()


# --- Page furniture ------------------------------------------------------------------------------


def page_context(request, *, nav=None, filterset=None, fixed=None, live=True):
    """What base.html and the filter bar need: navigation, languages, API links, filter options.

    A page without a live filter bar (a record, the About page) gets one that opens the map instead.
    """
    query = filter_query(request, fixed)
    api = api_links()
    context = {
        "nav": nav,
        "languages": language_links(request),
        "api": api,
        "feed_url": api["feed"] + (f"?{query}" if query else ""),
        "data_as_of": data_as_of(),
    }
    if filterset is None:
        return context
    context["filters"] = filter_bar(request, filterset, fixed=fixed or {}, live=live)
    if live:
        context["page_config"] = page_config(request, fixed=fixed or {})
        context["ui_strings"] = ui_strings()
    return context


def language_links(request):
    current = get_language()
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(request.get_full_path(), code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


def api_links():
    investments = reverse("api:investment-list")
    return {
        "investments": investments,
        "stats": reverse("api:stats"),
        "csv": f"{investments}?format=csv",
        "geojson": f"{reverse('api:country-list')}?format=geojson",
        "docs": reverse("api-docs"),
        "feed": reverse("investment-feed"),
    }


def filter_bar(request, filterset, fixed, live=True):
    """The filter bar, built from the FilterSet's form: each field's label, its options (the field's
    choices) and the value the FilterSet reads from the query string, so the bar shows what the page
    lists. Every filter the bar has no field for is carried along as it is when the bar is submitted."""
    form = filterset.form
    fields = {name: bar_field(form[name], multiple) for name, multiple in BAR_FIELDS.items()}
    hidden = [name for name in form.fields if name not in BAR_FIELDS] + list(KEPT_PARAMETERS)
    return {
        "action": request.path if live else reverse("investments:home"),
        "live": live,
        "fixed": fixed,
        "fields": fields,
        "currencies": [{"value": c, "label": c, "selected": c == currency_of(request)} for c in CURRENCIES],
        "hidden": [(name, request.GET[name]) for name in hidden if request.GET.get(name)],
        "errors": {name: [str(m) for m in messages] for name, messages in filterset.errors.items()},
    }


def bar_field(bound, multiple):
    """One field of the filter bar: its label, its value as the FilterSet reads it ("" for none), and
    for a choice its options, each chosen value selected.

    A single select given several values by a shared link (`category=research,skills`) shows them as one
    chosen option, so that the bar still submits them all.
    """
    value = bound.value()
    field = {"label": bound.label, "value": "" if value is None else value}
    choices = getattr(bound.field, "choices", None)
    if choices is None:
        return field
    chosen = value if isinstance(value, list) else [value] if value else []
    field["options"] = [
        {"value": key, "label": label, "selected": key in chosen and (multiple or len(chosen) == 1)}
        for key, label in choices
        if key != ""
    ]
    if not multiple:
        field["empty_label"] = bound.field.empty_label
        if len(chosen) > 1:
            field["options"].insert(
                0, {"value": ",".join(chosen), "label": ", ".join(chosen), "selected": True}
            )
    return field


def page_config(request, fixed):
    """What the page scripts need from the server: API and page URLs, names in the page's language."""
    language = get_language()
    return {
        "language": language,
        "api": api_links(),
        "fixed": fixed,
        "pageSize": settings.REST_FRAMEWORK["PAGE_SIZE"],
        "urls": {
            "country": reverse("investments:country", args=["XX"]).replace("XX", "{id}"),
            "company": reverse("investments:company", args=["slug"]).replace("slug", "{id}"),
            "investment": reverse("investments:investment", args=["REF"]).replace("REF", "{id}"),
        },
        "countries": {
            c.iso2: {"iso3": c.iso3, "name": c.localized_name(language)} for c in Country.objects.all()
        },
        "categories": dict(Category.choices),
        "statuses": dict(Status.choices),
        "confidences": dict(Confidence.choices),
    }


def ui_strings():
    """Every sentence the scripts show, translated here so that one catalogue holds them all."""
    return {
        "perCapita": gettext("Per inhabitant"),
        "shareOfGdp": gettext("Share of GDP"),
        "noIndicator": gettext("No verified population or GDP figure"),
        "loading": gettext("Loading…"),
        "failed": gettext("Could not load the data. Check your connection and try again."),
        "showing": gettext("Showing %(first)s–%(last)s of %(count)s investments"),
        "none": gettext("No investment matches these filters."),
        "summary": gettext("%(count)s investments counted once, %(total)s in all."),
        "summaryOne": gettext("%(count)s investment counted once, %(total)s in all."),
        "summaryRange": gettext("%(count)s investments counted once: between %(firm)s and %(total)s."),
        "summaryRangeOne": gettext("%(count)s investment counted once: between %(firm)s and %(total)s."),
        "summaryUndisclosed": gettext("%(count)s investments counted once, every amount undisclosed."),
        "summaryUndisclosedOne": gettext("%(count)s investment counted once, its amount undisclosed."),
        "plusUndisclosed": gettext("+ %(count)s undisclosed"),
        "confidenceCounts": gettext("%(high)s high · %(medium)s medium · %(low)s low"),
        "firm": gettext("Firm"),
        "headline": gettext("Headline"),
        "confidence": gettext("Confidence"),
        "withdrawn": gettext("withdrawn"),
        "tableCaption": gettext("%(count)s investments, every source linked"),
        "total": gettext("Total"),
        "investments": gettext("Investments"),
        "topCompanies": gettext("Top companies"),
        "noData": gettext("No counted investment"),
        "europeWide": gettext("Europe-wide"),
        "undisclosed": gettext("undisclosed"),
        "notCounted": gettext("not counted"),
        "counted": gettext("counted"),
        "previous": gettext("Previous"),
        "next": gettext("Next"),
        "page": gettext("Page %(page)s of %(pages)s"),
        "cumulative": gettext("Cumulative total"),
        "amount": gettext("Amount"),
        "announced": gettext("Announced"),
        "source": gettext("Source"),
        "sources": gettext("Sources"),
        "noSource": gettext("no source"),
        "perYear": gettext("per year"),
        "capped": gettext(
            "The chart shows the first %(shown)s of %(count)s investments; narrow the filters to see all."
        ),
        "undated": gettext("%(count)s investments without a date are not drawn."),
        "programmesNone": gettext("No Europe-wide programme matches these filters."),
        "programmesAll": gettext("All %(count)s Europe-wide programmes"),
        "otherCompanies": gettext("Other companies"),
        "chartMenu": gettext("Chart tools"),
        "download_png": gettext("Download image (PNG)"),
        "download_svg": gettext("Download image (SVG)"),
        "copyLink": gettext("Copy link to this view"),
        "linkCopied": gettext("Link to this view copied."),
        "scaleBreaksTitle": gettext("natural breaks"),
        "scaleQuantileTitle": gettext("quantile classes"),
        "scaleLinearTitle": gettext("linear scale"),
        "scaleLogTitle": gettext("logarithmic scale"),
        "compareCountries": gettext(
            "Counted investment by year of announcement, in %(currency)s, one colour per chosen country."
        ),
        "compareCompanies": gettext(
            "Counted investment by year of announcement, in %(currency)s, one colour per chosen company."
        ),
    }
