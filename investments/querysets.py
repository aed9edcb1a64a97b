"""Query logic for investments: what counts toward totals, what is firm, and the totals themselves.

This module is the one home of both rules. A record **counts** (the headline figure) when it is not a
component, not superseded by a live record, not flagged as not new money or out of scope, not withdrawn
and not cancelled. A counted record is **confirmed** when its confidence is high or medium and a primary
source, or major sources of two different outlets, back it. The **firm** figure is the confirmed records'
money less their documented overlaps (investments.models.Overlap). counted() and with_counted() state
the rules in SQL; counts() states the first for records not yet in the database (the ingest's checks),
from the same constants.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Greatest, TruncMonth

from investments.choices import Confidence, Status, Tier

# Group keys for totals(): the API's `by` values mapped to the expression they group on.
TOTAL_KEYS = {
    "country": F("country__iso2"),
    "company": F("company__slug"),
    "year": ExtractYear("announced_on"),
    "month": TruncMonth("announced_on"),
    "category": F("category"),
}
AMOUNT_FIELDS = {"EUR": "amount_eur", "USD": "amount_usd"}
# The announced capacity of a group (issue 19), summed in the pass that sums its money: a pass of its
# own read every counted record again.
CAPACITY_SUMS = {"mw": Sum("capacity_mw"), "gpus": Sum("gpus")}
# A cancelled project never spends its money: listed, never counted.
NOT_COUNTED_STATUSES = (Status.CANCELLED.value,)
# A counted record needs a source of one of these tiers: an aggregator may add a figure, never stand alone.
STANDING_TIERS = (Tier.PRIMARY.value, Tier.MAJOR.value)
# The firm figure: at least this confidence, and a primary source or this many different major outlets.
FIRM_CONFIDENCE = (Confidence.HIGH.value, Confidence.MEDIUM.value)
FIRM_MAJOR_OUTLETS = 2


def counts(*, part_of, not_counted_reason, superseded, withdrawn, status) -> bool:
    """The rule of counted() for one record outside the database; `superseded`: a live record supersedes
    it."""
    return (
        not part_of
        and not not_counted_reason
        and not superseded
        and not withdrawn
        and status not in NOT_COUNTED_STATUSES
    )


def confidence_counts():
    """Aggregates counting a group's records at each confidence: `confidence_high` and so on."""
    return {f"confidence_{level}": Count("pk", filter=Q(confidence=level)) for level in Confidence.values}


class InvestmentQuerySet(models.QuerySet):
    # The conditions take `prefix` and `ref` so that they can also judge the record an Overlap points at
    # (prefix "overlaps__", ref "overlaps_id") inside a subquery, rather than through a nested queryset.

    def counted_condition(self, prefix="", ref="pk"):
        """The SQL condition of counted(), to filter or annotate with."""
        # A withdrawn record supersedes nothing any more.
        superseded = self.model.supersedes.through.objects.filter(
            to_investment=OuterRef(ref), from_investment__withdrawn=False
        )
        return (
            Q(
                **{
                    f"{prefix}part_of__isnull": True,
                    f"{prefix}not_counted_reason": "",
                    f"{prefix}withdrawn": False,
                }
            )
            & ~Q(**{f"{prefix}status__in": NOT_COUNTED_STATUSES})
            & ~Exists(superseded)
        )

    def backed_condition(self, prefix="", ref="pk"):
        """Confidence and sources enough for the firm figure: the part of confirmed_condition() beyond
        counting."""
        links = self.model.announcements.through.objects.filter(investment=OuterRef(ref))
        primary = links.filter(announcement__outlet__tier=Tier.PRIMARY)
        majors = (
            links.filter(announcement__outlet__tier=Tier.MAJOR)
            .order_by()
            .values("investment")
            .annotate(outlets=Count("announcement__outlet", distinct=True))
            .filter(outlets__gte=FIRM_MAJOR_OUTLETS)
        )
        return Q(**{f"{prefix}confidence__in": FIRM_CONFIDENCE}) & (Exists(primary) | Exists(majors))

    def backed_ids(self):
        """The ids of the records backed_condition()'s sources back (a primary source, or major sources
        of FIRM_MAJOR_OUTLETS different outlets), confidence aside: one grouped pass over the sources,
        for a filter on many records at once (totals_by_country_and_company)."""
        tier = "announcement__outlet__tier"
        return (
            self.model.announcements.through.objects.filter(**{f"{tier}__in": STANDING_TIERS})
            .order_by()
            .values("investment")
            .annotate(
                primary=Count("pk", filter=Q(**{tier: Tier.PRIMARY})),
                majors=Count("announcement__outlet", distinct=True, filter=Q(**{tier: Tier.MAJOR})),
            )
            .filter(Q(primary__gt=0) | Q(majors__gte=FIRM_MAJOR_OUTLETS))
            .values("investment")
        )

    def confirmed_condition(self, prefix="", ref="pk"):
        """A counted record firm enough for the firm figure (confirmed), as an SQL condition."""
        return self.counted_condition(prefix, ref) & self.backed_condition(prefix, ref)

    def firm_amount(self, currency="EUR", backed=False):
        """The expression of a counted record's contribution to the firm figure in `currency`: its amount
        less its stated overlaps with confirmed records (never below zero); zero when it is not confirmed
        or possibly overlaps a confirmed record (no source states the amount); null when undisclosed.
        For counted records only: the totals filter on counted() first. `backed`: the records are
        known to be backed (filtered on backed_ids() and the confidence), so that is not asked again."""
        # The Overlap model through the relation: models import this module, not the other way round.
        Overlap = self.model._meta.get_field("overlaps_with").related_model  # noqa: N806 - a model class
        amount = AMOUNT_FIELDS[currency]
        # Only an overlap with a record the firm figure takes repeats money in it.
        overlaps = Overlap.objects.filter(
            self.confirmed_condition(prefix="overlaps__", ref="overlaps_id"), investment=OuterRef("pk")
        )
        stated = (
            overlaps.filter(amount__isnull=False)
            .order_by()
            .values("investment")
            .annotate(taken=Sum(amount))
            .values("taken")
        )
        decimal = models.DecimalField(max_digits=20, decimal_places=2)
        return Case(
            When(**{f"{amount}__isnull": True}, then=Value(None, output_field=decimal)),
            When(
                (Q() if backed else self.backed_condition()) & ~Exists(overlaps.filter(amount__isnull=True)),
                then=Greatest(
                    F(amount)
                    - Coalesce(Subquery(stated, output_field=decimal), Value(0, output_field=decimal)),
                    Value(0, output_field=decimal),
                ),
            ),
            default=Value(0, output_field=decimal),
            output_field=decimal,
        )

    def counted(self):
        """The investments that count toward totals (the headline figure), so that each euro is counted
        once.

        Left out: components (their whole counts), superseded records (their successor counts), records
        flagged as not new money or out of scope, withdrawn records and cancelled projects.
        """
        return self.filter(self.counted_condition())

    def not_counted(self):
        """The complement of counted()."""
        return self.filter(~self.counted_condition())

    def with_counted(self):
        """Annotate `is_counted` and `is_firm`, the per-record answers of counted() and
        confirmed_condition(), without filtering."""
        return self.annotate(
            is_counted=models.ExpressionWrapper(self.counted_condition(), output_field=models.BooleanField()),
            is_firm=models.ExpressionWrapper(self.confirmed_condition(), output_field=models.BooleanField()),
        )

    def with_source_count(self, count):
        """Records with exactly `count` sources (a correlated count, so no GROUP BY over the whole set)."""
        through = self.model.announcements.through
        sources = (
            through.objects.filter(investment=OuterRef("pk"))
            .order_by()
            .values("investment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        if count == 0:
            return self.exclude(Exists(through.objects.filter(investment=OuterRef("pk"))))
        return self.annotate(source_count=models.Subquery(sources)).filter(source_count=count)

    def search(self, text):
        """Records whose title or place, or the title or evidence of one of its sources, contains `text`."""
        through = self.model.announcements.through
        in_sources = through.objects.filter(investment=OuterRef("pk")).filter(
            Q(announcement__title__icontains=text) | Q(announcement__evidence__icontains=text)
        )
        return self.filter(Q(title__icontains=text) | Q(place__icontains=text) | Exists(in_sources))

    def superseded(self):
        return self.filter(superseded_by__isnull=False).distinct()

    def covering(self, country_ids):
        """Investments hosted in these countries, and the multi-country programmes that cover them: the
        one rule for which Europe-wide programmes a country's page and a country filter show."""
        through = self.model.countries.through
        covered = through.objects.filter(investment=OuterRef("pk"), country_id__in=country_ids)
        return self.filter(Q(country_id__in=country_ids) | Exists(covered))

    def for_company_ids(self, company_ids):
        """Investments by exactly these companies: for a family already resolved to its ids
        (investments.directory.company_family), so the company/date indexes apply."""
        return self.filter(company_id__in=company_ids)

    def with_relations(self):
        return self.select_related("company", "company__parent", "country", "part_of", "expands")

    def with_sources(self):
        return self.with_relations().prefetch_related("announcements__outlet", "countries", "supersedes")

    def totals(self, by, currency="EUR"):
        """Headline and firm totals, counts and undisclosed counts of the counted investments grouped by
        `by`, in EUR or USD, and their announced capacity (`mw`, `gpus`). A total is null when every
        record of its group is undisclosed."""
        return (
            self.counted()
            .annotate(key=TOTAL_KEYS[by])
            .values("key")
            .annotate(**self.total_columns(currency), **CAPACITY_SUMS)
            .order_by("key")
        )

    def total_columns(self, currency):
        amount = AMOUNT_FIELDS[currency]
        return {
            "total": Sum(amount),
            "total_firm": Sum(self.firm_amount(currency)),
            "count": Count("pk"),
            "undisclosed": Count("pk", filter=Q(**{f"{amount}__isnull": True})),
            **confidence_counts(),
        }

    def totals_by_country_and_company(self, firm=("EUR", "USD")):
        """Counted totals in EUR and USD, and firm totals in the `firm` currencies (`firm_eur`,
        `firm_usd`), and the announced capacity (`mw`, `gpus`), per (country id, company id): what
        by-country totals, per-country top companies and the map roll up from. A list of dicts.

        Two passes: every counted record's totals, then the firm totals over the confirmed records
        alone, found by joining backed_ids(). In one pass the firm figure asked backed_condition() of
        every counted record, two index probes each: over a minute at 1,000,000 records, against a
        second. A group's firm total is null when none of its records has an amount, as a sum over
        the group would be."""
        keys = ("country_id", "company_id")
        counted = self.counted().order_by()
        rows = list(
            counted.values(*keys).annotate(
                total_eur=Sum("amount_eur"),
                total_usd=Sum("amount_usd"),
                count=Count("pk"),
                undisclosed=Count("pk", filter=Q(amount_eur__isnull=True)),
                **confidence_counts(),
                **{f"disclosed_{c}": Count(AMOUNT_FIELDS[c]) for c in firm},
                **CAPACITY_SUMS,
            )
        )
        if not rows or not firm:
            return rows
        confirmed = counted.filter(confidence__in=FIRM_CONFIDENCE, pk__in=self.backed_ids())
        found = {
            tuple(row[key] for key in keys): row
            for row in confirmed.values(*keys).annotate(
                **{f"firm_{c.lower()}": Sum(self.firm_amount(c, backed=True)) for c in firm}
            )
        }
        for row in rows:
            confirmed_row = found.get(tuple(row[key] for key in keys), {})
            for c in firm:
                name = f"firm_{c.lower()}"
                # Records without an amount add nothing, and the rest of the group's add 0.
                row[name] = (confirmed_row.get(name) or Decimal(0)) if row.pop(f"disclosed_{c}") else None
        return rows

    def grand_total(self, currency="EUR"):
        """The headline and firm totals of the counted records, their count and how many are undisclosed."""
        return self.counted().aggregate(**self.total_columns(currency))
