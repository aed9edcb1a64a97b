"""Query logic for investments: what counts toward totals, and the totals themselves."""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear, TruncMonth

# Group keys for totals(): the API's `by` values mapped to the expression they group on.
TOTAL_KEYS = {
    "country": F("country__iso2"),
    "company": F("company__slug"),
    "year": ExtractYear("announced_on"),
    "month": TruncMonth("announced_on"),
    "category": F("category"),
}
AMOUNT_FIELDS = {"EUR": "amount_eur", "USD": "amount_usd"}


class InvestmentQuerySet(models.QuerySet):
    def counted(self):
        """The investments that count toward totals, so that each euro is counted once.

        Left out: components (their whole counts), superseded records (their successor counts), and
        records flagged as not new money (cumulative totals, other companies' money, restatements).
        """
        superseded = self.model.supersedes.through.objects.filter(to_investment=OuterRef("pk"))
        return self.filter(part_of__isnull=True, not_counted_reason="").exclude(Exists(superseded))

    def not_counted(self):
        """The complement of counted(): components, superseded records and records not new money."""
        superseded = self.model.supersedes.through.objects.filter(to_investment=OuterRef("pk"))
        return self.filter(Q(part_of__isnull=False) | ~Q(not_counted_reason="") | Exists(superseded))

    def with_counted(self):
        """Annotate `is_counted`, the per-record answer of counted(), without filtering."""
        superseded = self.model.supersedes.through.objects.filter(to_investment=OuterRef("pk"))
        return self.annotate(
            is_counted=models.ExpressionWrapper(
                Q(part_of__isnull=True, not_counted_reason="") & ~Exists(superseded),
                output_field=models.BooleanField(),
            )
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

    def for_company(self, companies):
        """Investments by these companies or their subsidiaries (a group includes its brands)."""
        return self.filter(models.Q(company__in=companies) | models.Q(company__parent__in=companies))

    def for_company_family(self, companies):
        """As for_company(), resolved to company ids first so the company/date indexes apply."""
        from investments import lookups

        return self.filter(company_id__in=lookups.company_family(companies))

    def with_relations(self):
        return self.select_related("company", "company__parent", "country", "part_of", "expands")

    def with_sources(self):
        return self.with_relations().prefetch_related("announcements", "countries", "supersedes")

    def totals(self, by, currency="EUR"):
        """Totals and counts of the counted investments grouped by `by`, in EUR or USD."""
        amount = AMOUNT_FIELDS[currency]
        return (
            self.counted()
            .annotate(key=TOTAL_KEYS[by])
            .values("key")
            .annotate(total=Sum(amount), count=Count("pk"))
            .order_by("key")
        )

    def totals_by_country_and_company(self):
        """Counted totals in EUR and USD per (country id, company id): one pass that by-country totals,
        per-country top companies and the map all roll up from."""
        return (
            self.counted()
            .order_by()
            .values("country_id", "company_id")
            .annotate(total_eur=Sum("amount_eur"), total_usd=Sum("amount_usd"), count=Count("pk"))
        )

    def grand_total(self, currency="EUR"):
        return self.counted().aggregate(total=Sum(AMOUNT_FIELDS[currency]), count=Count("pk"))

    def capacity_totals(self, by):
        """{key: (MW, GPUs)} summed over the counted investments grouped by `by` (see totals())."""
        rows = (
            self.counted()
            .annotate(key=TOTAL_KEYS[by])
            .values("key")
            .annotate(mw=Sum("capacity_mw"), gpus=Sum("gpus"))
            .order_by()
        )
        return {row["key"]: (row["mw"] or 0, row["gpus"] or 0) for row in rows}
