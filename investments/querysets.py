"""Query logic for investments: what counts toward totals, and the totals themselves."""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Sum
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

    def superseded(self):
        return self.filter(superseded_by__isnull=False).distinct()

    def for_company(self, companies):
        """Investments by these companies or their subsidiaries (a group includes its brands)."""
        return self.filter(models.Q(company__in=companies) | models.Q(company__parent__in=companies))

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

    def grand_total(self, currency="EUR"):
        return self.counted().aggregate(total=Sum(AMOUNT_FIELDS[currency]), count=Count("pk"))
