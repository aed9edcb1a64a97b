from django.db import models
from django.db.models import F, Q

from investments.models.investment import CURRENCY_CODE


class Overlap(models.Model):
    """A documented overlap (data/overlaps.csv): `investment` repeats part of `overlaps`' money.

    Headline totals count both records in full. The firm figure takes `amount` off `investment`, or, when
    no source states or bounds the overlap (a possible overlap: amount empty), leaves `investment` out.
    `amount_eur` and `amount_usd` are converted at the rate `investment` was converted at.
    """

    investment = models.ForeignKey(
        "investments.Investment", on_delete=models.CASCADE, related_name="overlaps_with"
    )
    overlaps = models.ForeignKey(
        "investments.Investment", on_delete=models.CASCADE, related_name="overlapped_by"
    )
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    amount_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    basis = models.TextField(
        help_text="Which source states or bounds the overlap, or why it is only possible."
    )

    class Meta:
        ordering = ["investment__ref", "overlaps__ref"]
        constraints = [
            models.UniqueConstraint(fields=["investment", "overlaps"], name="overlap_unique_pair"),
            models.CheckConstraint(condition=~Q(investment=F("overlaps")), name="overlap_not_itself"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="overlap_amount_not_negative"),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) & Q(currency=""))
                | (Q(amount__isnull=False) & Q(currency__regex=CURRENCY_CODE)),
                name="overlap_amount_has_currency",
            ),
        ]

    def __str__(self):
        return f"{self.investment_id} overlaps {self.overlaps_id}"
