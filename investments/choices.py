"""Enumerations shared by the models, the dataset schema and the API filters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    DATACENTRE = "datacentre", _("Data centre or cloud region")
    COMPUTE = "compute", _("AI compute cluster")
    RESEARCH = "research", _("Research hub")
    SKILLS = "skills", _("Skills programme")
    FUND = "fund", _("Startup or ecosystem fund")
    MIXED = "mixed", _("Mixed")


class Status(models.TextChoices):
    ANNOUNCED = "announced", _("Announced")
    CONSTRUCTION = "construction", _("Under construction")
    OPERATIONAL = "operational", _("Operational")
    STALLED = "stalled", _("Stalled")
    CANCELLED = "cancelled", _("Cancelled")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class FigureSource(models.TextChoices):
    COMPANY = "company", _("The company")
    GOVERNMENT = "government", _("A government")
    THIRD_PARTY = "third_party", _("A third party (press, analyst, partner)")


class NotCountedReason(models.TextChoices):
    """Why a record that is neither a component nor superseded still stays out of the totals."""

    NONE = "", _("Counted")
    CUMULATIVE = "cumulative", _("Cumulative total, not new money")
    THIRD_PARTY_MONEY = "third_party_money", _("Bundles other companies' spending")
    DUPLICATE = "duplicate", _("Restates another record")
    OUT_OF_SCOPE = "out_of_scope", _("Not AI: general operating spend, non-AI R&D, quantum")
    # Listed and searchable, counted once a company or government release or a major outlet backs it.
    UNCONFIRMED = "unconfirmed", _("Not yet backed by a primary source or a major outlet")


class Tier(models.TextChoices):
    """How close a source is to the statement it reports (data/outlets.csv gives each outlet one)."""

    PRIMARY = "primary", _("Primary: the company's or a government's own release")
    MAJOR = "major", _("Major outlet or wire")
    TRADE = "trade", _("Specialist press")
    AGGREGATOR = "aggregator", _("Aggregator or copy")


class Origin(models.TextChoices):
    DATASET = "dataset", _("Curated dataset")
    NEWS = "news", _("News review queue")
    ADMIN = "admin", _("Entered in admin")


class SitePrecision(models.TextChoices):
    """How exactly a site's point is known: the campus itself, the town it is in, or only the region."""

    CAMPUS = "campus", _("Campus")
    TOWN = "town", _("Town")
    REGION = "region", _("Region")
