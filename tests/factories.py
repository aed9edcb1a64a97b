"""factory_boy factories for the domain models and the ingest models."""

from datetime import date
from decimal import Decimal

import factory

from ingest.models import Article, Candidate, IngestRun, Source
from ingest.reconcile import fingerprint
from investments.models import Announcement, Company, Country, Investment, Outlet, Overlap


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    headquarters_country = "US"


def country(iso2: str) -> Country:
    """A seeded country (the data migration creates them all)."""
    return Country.objects.get(iso2=iso2)


class InvestmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Investment

    ref = factory.Sequence(lambda n: f"T-{n:05d}")
    company = factory.SubFactory(CompanyFactory)
    country = factory.LazyFunction(lambda: country("ES"))
    title = factory.Sequence(lambda n: f"Investment {n}")
    category = "datacentre"
    amount = Decimal("1000000000")
    currency = "EUR"
    amount_eur = factory.LazyAttribute(lambda o: o.amount if o.currency == "EUR" else None)
    announced_on = date(2024, 5, 21)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"outlet-{n}.example.org")
    name = factory.Sequence(lambda n: f"Outlet {n}")
    tier = "major"
    language = "en"


class OverlapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Overlap

    investment = factory.SubFactory(InvestmentFactory)
    overlaps = factory.SubFactory(InvestmentFactory)
    basis = "A test overlap."


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement
        skip_postgeneration_save = True

    url = factory.Sequence(lambda n: f"https://news.example.org/article-{n}")
    publisher = "Example News"
    language = "en"
    published_on = date(2024, 5, 21)
    outlet = factory.LazyFunction(
        lambda: OutletFactory(domain="example.org", name="Example News", tier="major")
    )

    @factory.post_generation
    def investments(self, create, extracted, **kwargs):
        if create and extracted:
            self.investments.set(extracted)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Feed {n}")
    kind = Source.Kind.RSS
    # Port 9 (discard) on loopback refuses at once: a test that polls this source by mistake fails
    # fast and never reaches a real host.
    url = factory.Sequence(lambda n: f"http://127.0.0.1:9/feed-{n}.xml")
    language = "en"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    source = factory.SubFactory(SourceFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    published_on = date(2024, 5, 21)
    language = "en"


class CandidateFactory(factory.django.DjangoModelFactory):
    """A pending candidate as the reconciler records one: its fingerprint is that of its fact."""

    class Meta:
        model = Candidate

    article = factory.SubFactory(ArticleFactory)
    company = factory.SubFactory(CompanyFactory)
    country = factory.LazyFunction(lambda: country("ES"))
    amount = Decimal("1000000000")
    currency = "EUR"
    amount_eur = factory.LazyAttribute(lambda o: o.amount if o.currency == "EUR" else None)
    announced_on = date(2024, 5, 21)
    evidence = factory.Sequence(lambda n: f"Evidence sentence {n}.")
    fingerprint = factory.LazyAttribute(
        lambda o: fingerprint(
            o.company.slug, o.country.iso2 if o.country else None, o.amount, o.currency, o.announced_on
        )
    )


class IngestRunFactory(factory.django.DjangoModelFactory):
    """A run that has started and not finished, as IngestRun.objects.start leaves it."""

    class Meta:
        model = IngestRun

    source = "dataset"
