from django.db import models
from django.db.models import Q

from investments.models.investment import CURRENCY_CODE


class Announcement(models.Model):
    """A source: one article, press release or filing that reports one or more investments.

    Two sources that disagree are both kept, each with the figure it gave, so the provenance of every
    number stays visible.
    """

    url = models.URLField(max_length=1000, unique=True)
    publisher = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1 code.")
    published_on = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=500, blank=True)
    evidence = models.TextField(blank=True, help_text="The sentence that carries the figure.")
    announced_by = models.CharField(max_length=300, blank=True, help_text="Who announced the figure.")
    amount = models.DecimalField(
        max_digits=20, decimal_places=2, null=True, blank=True, help_text="The figure this source gave."
    )
    currency = models.CharField(max_length=3, blank=True)
    amount_eur = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    investments = models.ManyToManyField("investments.Investment", related_name="announcements")
    outlet = models.ForeignKey(
        "investments.Outlet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
        help_text="The outlet the URL belongs to (data/outlets.csv), which gives the source its tier.",
    )
    record_hash = models.CharField(max_length=64, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["published_on", "url"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="announcement_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(currency="") | Q(currency__regex=CURRENCY_CODE),
                name="announcement_currency_iso4217",
            ),
        ]
        indexes = [models.Index(fields=["published_on"], name="ann_published_on")]

    def __str__(self):
        return f"{self.publisher or self.url} ({self.published_on or 'undated'})"
