from django.db import models
from django.urls import reverse


class Country(models.Model):
    """A European country, with its names in the languages the press we read is written in."""

    iso2 = models.CharField("ISO alpha-2", max_length=2, unique=True)
    iso3 = models.CharField("ISO alpha-3", max_length=3, unique=True)
    name = models.CharField(max_length=100)
    name_fr = models.CharField("name in French", max_length=100)
    name_es = models.CharField("name in Spanish", max_length=100)
    name_de = models.CharField("name in German", max_length=100)
    name_it = models.CharField("name in Italian", max_length=100)
    eu_member = models.BooleanField("EU member", default=False)
    # Denominators for per-inhabitant and share-of-GDP figures (issue 18), from data/indicators.csv;
    # empty when no official figure could be verified, so the country then shows no normalised value.
    population = models.PositiveBigIntegerField(null=True, blank=True, help_text="Inhabitants on 1 January.")
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gdp_eur = models.DecimalField(
        "GDP in EUR", max_digits=18, decimal_places=0, null=True, blank=True, help_text="At current prices."
    )
    gdp_year = models.PositiveSmallIntegerField("GDP year", null=True, blank=True)
    sources = models.JSONField(default=dict, blank=True, help_text="Source URL of each figure, by indicator.")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(condition=models.Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_format"),
            models.CheckConstraint(condition=models.Q(iso3__regex=r"^[A-Z]{3}$"), name="country_iso3_format"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investments:country", args=[self.iso2])

    def localized_name(self, language):
        """The name in `language` (en, fr, es, de, it), English when there is none."""
        return getattr(self, f"name_{language}", None) or self.name
