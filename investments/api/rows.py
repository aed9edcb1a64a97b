"""Investments as the API shows them, built from a few flat queries instead of DRF's field machinery.

At 50 rows a page, DRF's nested serializers cost more than the queries themselves; this builds the same
dicts as InvestmentSerializer declares (tests/api/test_endpoints.py holds the two together) from one
join-free query for the page and one per related table, whatever the page size.
"""

from decimal import Decimal
from urllib.parse import quote

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from investments import lookups
from investments.models import Announcement, Investment

# A source's EUR figure further than this from the record's amount_eur is flagged as a discrepancy.
DISCREPANCY_TOLERANCE = Decimal("0.05")

# The page's own columns, and the record ids of the two records it may point to (left joins on the
# primary key, which keep the plan an index scan plus a lookup per row of the page).
FIELDS = [
    "pk",
    "ref",
    "title",
    "company_id",
    "country_id",
    "place",
    "category",
    "status",
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
    "part_of_id",
    "expands_id",
    "not_counted_reason",
    "figure_source",
    "confidence",
    "notes",
    "updated",
    # Joined to the page (a key lookup per row of the 50): saves a query for the referred record ids.
    "part_of__ref",
    "expands__ref",
]
SOURCE_FIELDS = [
    "investment_id",
    "announcement_id",
    "announcement__url",
    "announcement__publisher",
    "announcement__published_on",
    "announcement__language",
    "announcement__title",
    "announcement__announced_by",
    "announcement__evidence",
    "announcement__amount",
    "announcement__currency",
    "announcement__amount_eur",
]


def discrepancy(source_eur, record_eur):
    """True when the source's figure differs from the record's by more than 5%; None when either is unknown."""
    if source_eur is None or record_eur is None:
        return None
    if record_eur == 0:
        return source_eur != 0
    return abs(source_eur - record_eur) / record_eur > DISCREPANCY_TOLERANCE


def day(value):
    return value.isoformat() if value is not None else None


def moment(value):
    # As DRF writes a DateTimeField: in the current time zone, UTC as Z.
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def grouped(rows):
    groups = {}
    for key, *values in rows:
        groups.setdefault(key, []).append(values[0] if len(values) == 1 else values)
    return groups


def related(rows):
    """What the page's rows point to, read in one query per table: sources, covered countries,
    supersession links and the record ids of every investment referred to."""
    ids = [row["pk"] for row in rows]
    sources = grouped(
        Announcement.investments.through.objects.filter(investment_id__in=ids)
        .order_by(F("announcement__published_on").asc(nulls_last=True), "announcement__url")
        .values_list(*SOURCE_FIELDS)
    )
    covers = grouped(
        Investment.countries.through.objects.filter(investment_id__in=ids).values_list(
            "investment_id", "country_id"
        )
    )
    # The links carry both record ids: one query less than reading the refs afterwards.
    links = list(
        Investment.supersedes.through.objects.filter(
            Q(from_investment_id__in=ids) | Q(to_investment_id__in=ids)
        ).values_list("from_investment_id", "to_investment_id", "from_investment__ref", "to_investment__ref")
    )
    refs = {pk: ref for new, old, new_ref, old_ref in links for pk, ref in ((new, new_ref), (old, old_ref))}
    refs.update((row["part_of_id"], row["part_of__ref"]) for row in rows if row["part_of_id"])
    refs.update((row["expands_id"], row["expands__ref"]) for row in rows if row["expands_id"])
    # Countries and companies from memory (investments.lookups); reloaded if the page names one not yet
    # known there (added without a new data version).
    known = lookups.tables()
    if any(row["company_id"] not in known.companies for row in rows) or any(
        row["country_id"] is not None and row["country_id"] not in known.countries for row in rows
    ):
        known = lookups.tables(reload=True)
    countries, companies = known.countries, known.companies
    supersedes, superseded_by = {}, {}
    for new, old, _, _ in links:
        supersedes.setdefault(new, []).append(refs[old])
        superseded_by.setdefault(old, []).append(refs[new])
    return {
        "sources": sources,
        "countries": {pk: sorted(countries[c][0] for c in cs) for pk, cs in covers.items()},
        "supersedes": {pk: sorted(values) for pk, values in supersedes.items()},
        "superseded_by": {pk: sorted(values) for pk, values in superseded_by.items()},
        "refs": refs,
        "country": countries,
        "company": {
            pk: (slug, name, companies[parent][0] if parent else None)
            for pk, (slug, name, parent) in companies.items()
        },
    }


def source(values, record_eur):
    pk, url, publisher, published_on, language, title, announced_by, evidence, amount, currency, eur = values
    return {
        "id": pk,
        "url": url,
        "publisher": publisher,
        "date": day(published_on),
        "language": language,
        "title": title,
        "announced_by": announced_by,
        "evidence": evidence,
        "amount": amount,
        "currency": currency,
        "amount_eur": eur,
        "discrepancy": discrepancy(eur, record_eur),
    }


def investment_rows(investments, request=None):
    """The API representation of `investments` (a queryset, possibly sliced: a page), in its order."""
    rows = list(investments.values(*FIELDS))
    if not rows:
        return []
    extra = related(rows)
    # One reverse() for the page: the detail URL differs by the record id only.
    template = reverse("api:investment-detail", kwargs={"ref": "REF"})
    if request is not None:
        template = request.build_absolute_uri(template)
    prefix, suffix = template.rsplit("REF", 1)
    refs = extra["refs"]
    result = []
    for row in rows:
        pk, eur = row["pk"], row["amount_eur"]
        slug, company_name, parent = extra["company"][row["company_id"]]
        country = extra["country"].get(row["country_id"])
        superseded_by = extra["superseded_by"].get(pk, [])
        result.append(
            {
                "ref": row["ref"],
                "url": prefix + quote(row["ref"], safe="") + suffix,
                "title": row["title"],
                "company": {"slug": slug, "name": company_name, "parent": parent},
                "country": {"iso2": country[0], "name": country[1]} if country else None,
                "countries": extra["countries"].get(pk, []),
                "europe_wide": country is None,
                "place": row["place"],
                "category": row["category"],
                "status": row["status"],
                "amount": row["amount"],
                "currency": row["currency"],
                "amount_eur": eur,
                "amount_usd": row["amount_usd"],
                "fx_rate_eur": row["fx_rate_eur"],
                "fx_rate_usd": row["fx_rate_usd"],
                "fx_date": day(row["fx_date"]),
                "announced_on": day(row["announced_on"]),
                "announced_precision": row["announced_precision"],
                "period_start": row["period_start"],
                "period_end": row["period_end"],
                "part_of": refs.get(row["part_of_id"]),
                "supersedes": extra["supersedes"].get(pk, []),
                "superseded_by": superseded_by,
                "expands": refs.get(row["expands_id"]),
                # The rule of InvestmentQuerySet.counted(), applied to what the page already holds.
                "counted": row["part_of_id"] is None and not row["not_counted_reason"] and not superseded_by,
                "not_counted_reason": row["not_counted_reason"],
                "figure_source": row["figure_source"],
                "confidence": row["confidence"],
                "notes": row["notes"],
                "sources": [source(values, eur) for values in extra["sources"].get(pk, [])],
                "updated": moment(row["updated"]),
            }
        )
    return result
