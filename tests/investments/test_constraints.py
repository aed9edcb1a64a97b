"""The database itself refuses rows that break the model's invariants."""

from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, transaction

from investments.models import Announcement, Company
from tests.factories import AnnouncementFactory, CompanyFactory, InvestmentFactory, country

pytestmark = pytest.mark.django_db


def refused(**fields):
    # PostgreSQL reports an over-long value as a DataError before checking constraints.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        InvestmentFactory(**fields)


def test_negative_amount_is_refused():
    refused(amount=Decimal("-1"))


def test_negative_converted_amount_is_refused():
    refused(amount_eur=Decimal("-5"))


def test_period_ending_before_it_starts_is_refused():
    refused(period_start=2025, period_end=2024)


def test_currency_must_be_three_capital_letters():
    refused(currency="euro")
    refused(currency="eu")


def test_amount_without_currency_is_refused():
    refused(currency="")


def test_currency_without_amount_is_refused():
    refused(amount=None, amount_eur=None, currency="EUR")


def test_undisclosed_amount_is_accepted():
    investment = InvestmentFactory(amount=None, amount_eur=None, currency="")
    assert investment.pk


def test_duplicate_ref_is_refused():
    InvestmentFactory(ref="DUP-1")
    refused(ref="DUP-1")


def test_duplicate_company_slug_is_refused():
    CompanyFactory(slug="acme", name="Acme")
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(slug="acme", name="Acme 2")


def test_duplicate_announcement_url_is_refused():
    AnnouncementFactory(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.create(url="https://example.org/a")


def test_negative_announcement_figure_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnouncementFactory(amount=Decimal("-3"), currency="EUR")


def test_every_european_country_is_seeded_with_translated_names():
    spain = country("ES")
    assert (spain.iso3, spain.name_fr, spain.name_es, spain.name_de, spain.name_it) == (
        "ESP",
        "Espagne",
        "España",
        "Spanien",
        "Spagna",
    )
    for iso2 in ["GB", "CH", "NO", "IS", "LI", "AL", "BA", "ME", "MK", "RS", "XK", "UA", "MD", "TR"]:
        assert country(iso2).eu_member is False
    from investments.models import Country

    assert Country.objects.filter(eu_member=True).count() == 27
