from django.db import models
from django.db.models import Q

from investments.choices import Tier


class Outlet(models.Model):
    """A publisher of sources, with its tier (data/outlets.csv): where a source's URL comes from says how
    much weight its figure carries. `domain` is a host without `www.`, and may carry a path prefix for a
    shared platform (`x.com/bradsmi`); a parent domain covers its subdomains."""

    domain = models.CharField(max_length=200, unique=True)
    name = models.CharField(max_length=200)
    tier = models.CharField(max_length=12, choices=Tier.choices)
    country = models.CharField(max_length=2, blank=True, help_text="ISO alpha-2; empty for international.")
    language = models.CharField(max_length=2, blank=True, help_text="ISO 639-1 of its main language.")

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=Tier.values), name="outlet_tier_known"),
        ]
        indexes = [models.Index(fields=["tier"], name="outlet_tier")]

    def __str__(self):
        return f"{self.name} ({self.domain}, {self.tier})"
