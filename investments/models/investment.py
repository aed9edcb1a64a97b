from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from investments.choices import (
    Category,
    Confidence,
    DatePrecision,
    FigureSource,
    NotCountedReason,
    Origin,
    Status,
)
from investments.querysets import InvestmentQuerySet

CURRENCY_CODE = r"^[A-Z]{3}$"


class Investment(models.Model):
    """One investment as the public record knows it: who, where, how much, when, and how it counts.

    `amount` and `currency` are as announced; `amount_eur` and `amount_usd` are converted at the ECB
    reference rate of `fx_date` (see investments.money). Relations say how records overlap:
    a component (`part_of`) and a superseded record never count toward totals; an expansion does.
    What counts, and what is firm, is decided in one place: investments.querysets.
    """

    ref = models.CharField(
        "record id", max_length=40, unique=True, help_text="Stable id from the dataset, e.g. MS-ES-01."
    )
    company = models.ForeignKey("investments.Company", on_delete=models.PROTECT, related_name="investments")
    country = models.ForeignKey(
        "investments.Country",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investments",
        help_text="Empty for a Europe-wide or multi-country programme.",
    )
    countries = models.ManyToManyField(
        "investments.Country",
        blank=True,
        related_name="programmes",
        help_text="The countries a multi-country programme covers.",
    )
    place = models.CharField(max_length=200, blank=True, help_text="City or region.")
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=Category.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ANNOUNCED)

    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    amount_usd = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    fx_rate_eur = models.DecimalField(
        max_digits=20, decimal_places=10, null=True, blank=True, help_text="EUR for one unit of currency."
    )
    fx_rate_usd = models.DecimalField(
        max_digits=20, decimal_places=10, null=True, blank=True, help_text="USD for one unit of currency."
    )
    fx_date = models.DateField("rate date", null=True, blank=True)

    period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(null=True, blank=True)
    announced_on = models.DateField(null=True, blank=True)
    announced_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The whole this record is a component of; a component is not counted on its own.",
    )
    supersedes = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=False,
        related_name="superseded_by",
        help_text="Records this one revises or consolidates; they no longer count.",
    )
    expands = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expansions",
        help_text="The record this one adds new money to; both count.",
    )

    figure_source = models.CharField(
        max_length=20, choices=FigureSource.choices, default=FigureSource.COMPANY
    )
    not_counted_reason = models.CharField(
        max_length=20, choices=NotCountedReason.choices, blank=True, default=NotCountedReason.NONE
    )
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM)
    withdrawn = models.BooleanField(
        default=False, help_text="Withdrawn from the record (kept so that links to it still resolve)."
    )
    notes = models.TextField(blank=True)
    # Capacity where announced (data/capacities.csv): the number, the figure as the source gave it
    # ("1 GW", "18 000 puces"), and that source.
    capacity_mw = models.DecimalField(
        "capacity (MW)", max_digits=10, decimal_places=1, null=True, blank=True, help_text="IT or grid power."
    )
    # db_default: the dataset loader inserts rows by COPY, naming only the columns it fills.
    capacity_mw_as_given = models.CharField(max_length=200, blank=True, db_default="")
    capacity_mw_source = models.URLField(max_length=1000, blank=True, db_default="")
    gpus = models.PositiveIntegerField("GPUs", null=True, blank=True, help_text="Accelerators (GPUs, TPUs).")
    gpus_as_given = models.CharField("GPUs as given", max_length=200, blank=True, db_default="")
    gpus_source = models.URLField("GPUs source", max_length=1000, blank=True, db_default="")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.DATASET)
    record_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Digest of the loaded record, to skip unchanged rows.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = InvestmentQuerySet.as_manager()

    class Meta:
        ordering = ["-announced_on", "ref"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="investment_amount_not_negative"),
            models.CheckConstraint(condition=Q(amount_eur__gte=0), name="investment_amount_eur_not_negative"),
            models.CheckConstraint(condition=Q(amount_usd__gte=0), name="investment_amount_usd_not_negative"),
            models.CheckConstraint(
                condition=Q(currency="") | Q(currency__regex=CURRENCY_CODE),
                name="investment_currency_iso4217",
            ),
            models.CheckConstraint(
                condition=(Q(amount__isnull=True) & Q(currency=""))
                | (Q(amount__isnull=False) & ~Q(currency="")),
                name="investment_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="investment_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(part_of=F("pk")), name="investment_not_part_of_itself"),
            models.CheckConstraint(condition=Q(capacity_mw__gt=0), name="investment_capacity_positive"),
        ]
        indexes = [
            models.Index(fields=["country", "-announced_on"], name="inv_country_date"),
            models.Index(fields=["company", "-announced_on"], name="inv_company_date"),
            models.Index(fields=["country", "company", "-announced_on"], name="inv_country_company_date"),
            models.Index(fields=["-announced_on", "ref"], name="inv_date_ref"),
            models.Index(fields=["category"], name="inv_category"),
            models.Index(fields=["status"], name="inv_status"),
            models.Index(fields=["confidence"], name="inv_confidence"),
            models.Index(fields=["figure_source"], name="inv_figure_source"),
            models.Index(fields=["amount_eur"], name="inv_amount_eur"),
            models.Index(fields=["amount_usd"], name="inv_amount_usd"),
        ]

    def __str__(self):
        return f"{self.ref}: {self.title}"

    def get_absolute_url(self):
        return reverse("investments:investment", args=[self.ref])

    @property
    def announced(self) -> str:
        """The announcement date as precisely as it is known: "2022", "2022-03" or "2022-03-14" (a
        year-only date is stored as 1 January, which is not what was announced)."""
        return precise_date(self.announced_on, self.announced_precision)

    @property
    def europe_wide(self):
        return self.country_id is None


def precise_date(day, precision) -> str:
    """A date as precisely as it is known (Investment.announced), for rows read without the model."""
    if day is None:
        return ""
    length = {DatePrecision.YEAR: 4, DatePrecision.MONTH: 7}.get(precision, 10)
    return day.isoformat()[:length]
