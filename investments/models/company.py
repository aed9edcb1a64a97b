from django.db import models
from django.urls import reverse


class Company(models.Model):
    """A company that invests. Brands sit under their group: Google under Alphabet, AWS under Amazon.

    Investments attach to the brand that made them; filtering on a group includes its brands.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subsidiaries"
    )
    aliases = models.JSONField(
        default=list, blank=True, help_text="Names and epithets used in the press, any language."
    )
    website = models.URLField(blank=True)
    headquarters_country = models.CharField(
        max_length=2, blank=True, help_text="ISO alpha-2 of the headquarters (often outside Europe)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(headquarters_country="")
                | models.Q(headquarters_country__regex=r"^[A-Z]{2}$"),
                name="company_hq_iso2_format",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("investments:company", args=[self.slug])
