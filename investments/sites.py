"""What a site adds up to: one home for the rule the API, the GeoJSON, the map and the site page share.

A record covering several sites (a national pledge, a three-campus plan) cannot be split between
them without inventing numbers, so a site's amount is the sum of the counted records at that site
alone (investments.querysets counted(): components and superseded records never add); records
shared with other sites are listed, with their figures, but not added. Capacity (MW) and GPUs are the
largest figure any record at that site alone announced, counted or not: records at one site
describe the same halls (a component and its whole, a pledge and the partner's build), so adding
them would count a building twice.
"""

from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery

from investments.models import Investment, Site

ZERO = Decimal(0)


def site_investments():
    """The investments of sites, oldest first, with what summarize() needs (prefetch with this)."""
    through = Site.investments.through
    site_count = (
        through.objects.filter(investment=OuterRef("pk"))
        .order_by()
        .values("investment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Investment.objects.with_counted()
        .select_related("company", "company__parent")
        .annotate(site_count=Subquery(site_count, output_field=IntegerField()))
        .order_by("announced_on", "ref")
    )


def with_investments(sites):
    return sites.select_related("country").prefetch_related(
        Prefetch("investments", queryset=site_investments())
    )


def summarize(site) -> dict:
    """Totals and companies of a site whose investments were prefetched with site_investments()."""
    investments = list(site.investments.all())
    alone = [i for i in investments if i.site_count == 1]
    counted = [i for i in alone if i.is_counted]
    mw = [i.capacity_mw for i in alone if i.capacity_mw is not None]
    gpus = [i.gpus for i in alone if i.gpus is not None]
    amounts: dict[str, Decimal] = {}
    for i in investments:
        amounts[i.company.slug] = amounts.get(i.company.slug, ZERO) + (i.amount_eur or ZERO) * (i in counted)
    names = {i.company.slug: i.company.name for i in investments}
    # The lead company colours the point: the largest counted amount here alone, else the first record's.
    ranked = sorted(amounts, key=lambda slug: -amounts[slug])
    return {
        "amount_eur": sum((i.amount_eur or ZERO for i in counted), ZERO),
        "capacity_mw": max(mw) if mw else None,
        "gpus": max(gpus) if gpus else None,
        "company": ranked[0] if ranked else None,
        "company_name": names[ranked[0]] if ranked else None,
        "companies": [{"slug": slug, "name": names[slug]} for slug in sorted(names, key=names.get)],
        "first_announced": investments[0].announced_on if investments else None,
    }
