"""A small dataset that exercises every rule of the API: groups and brands, a component, a superseded
record, a record that is not new money, a Europe-wide programme, sources that agree and one that doesn't,
sources of two tiers (every source is from a major outlet but AWS's own release, so AWS-ES-02 is the
one firm record)."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.throttling import AnonRateThrottle

from tests.factories import AnnouncementFactory, CompanyFactory, InvestmentFactory, OutletFactory, country

BN = Decimal("1000000000")


@pytest.fixture(autouse=True)
def no_throttle(monkeypatch):
    """Tests send many requests from one address; the throttling test sets its own rate."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": None})


def invest(ref, company, iso2, eur, usd=None, **kwargs):
    return InvestmentFactory(
        ref=ref,
        company=company,
        country=country(iso2) if iso2 else None,
        amount=kwargs.pop("amount", eur * BN),
        currency=kwargs.pop("currency", "EUR"),
        amount_eur=eur * BN,
        amount_usd=(usd if usd is not None else eur * Decimal("1.1")) * BN,
        fx_date=kwargs.get("announced_on"),
        **kwargs,
    )


@pytest.fixture
def data(db):
    """The records by ref, and the companies by slug."""
    alphabet = CompanyFactory(slug="alphabet", name="Alphabet")
    google = CompanyFactory(slug="google", name="Google", parent=alphabet)
    amazon = CompanyFactory(slug="amazon", name="Amazon")
    aws = CompanyFactory(slug="aws", name="Amazon Web Services", parent=amazon)
    microsoft = CompanyFactory(slug="microsoft", name="Microsoft")
    records = {
        "MS-ES-01": invest(
            "MS-ES-01",
            microsoft,
            "ES",
            Decimal("1.95"),
            Decimal("2.1"),
            amount=Decimal("2.1") * BN,
            currency="USD",
            fx_rate_eur=Decimal("0.9285714286"),
            fx_rate_usd=Decimal("1"),
            title="National AI and cloud pledge",
            place="Madrid and Aragón",
            category="mixed",
            confidence="high",
            announced_on=date(2024, 2, 19),
        ),
        "MS-ES-02": invest(
            "MS-ES-02",
            microsoft,
            "ES",
            Decimal("6.69"),
            title="Aragon ten-year data-centre plan",
            place="Aragon",
            figure_source="government",
            announced_on=date(2024, 6, 14),
        ),
        "AWS-ES-01": invest(
            "AWS-ES-01",
            aws,
            "ES",
            Decimal("2.5"),
            title="Aragon cloud region",
            place="Aragon",
            status="operational",
            confidence="high",
            announced_on=date(2021, 3, 15),
            announced_precision="month",
        ),
        "AWS-ES-02": invest(
            "AWS-ES-02",
            aws,
            "ES",
            Decimal("15.7"),
            title="Aragon region expansion, revised",
            place="Aragon",
            status="construction",
            announced_on=date(2024, 5, 21),
        ),
        "GOOG-DE-01": invest(
            "GOOG-DE-01",
            google,
            "DE",
            Decimal("1"),
            title='Frankfurt cloud region, with a comma, and "quotes"',
            place="Hanau",
            category="compute",
            figure_source="third_party",
            confidence="low",
            announced_on=date(2023, 11, 1),
        ),
        "MS-EU-01": invest(
            "MS-EU-01",
            microsoft,
            None,
            Decimal("3"),
            title="European skills programme",
            category="skills",
            announced_on=date(2024, 9, 1),
        ),
        "AMZ-FR-01": invest(
            "AMZ-FR-01",
            amazon,
            "FR",
            Decimal("1.2"),
            title="Cumulative spend in France",
            place="Paris",
            status="operational",
            not_counted_reason="cumulative",
            announced_on=date(2024, 1, 22),
        ),
    }
    records["MS-ES-03"] = invest(
        "MS-ES-03",
        microsoft,
        "ES",
        Decimal("2.2"),
        title="Villamayor campus",
        place="Villamayor de Gállego",
        part_of=records["MS-ES-02"],
        figure_source="government",
        announced_on=date(2024, 7, 2),
    )
    records["AWS-ES-02"].supersedes.add(records["AWS-ES-01"])
    records["MS-EU-01"].countries.set([country("DE"), country("FR"), country("ES")])
    AnnouncementFactory(
        url="https://example.org/ms-es-pledge",
        publisher="Example Wire",
        published_on=date(2024, 2, 19),
        title="Microsoft pledge in Spain",
        evidence="Microsoft will invest $2.1 billion over two years.",
        amount=Decimal("2.1") * BN,
        currency="USD",
        amount_eur=Decimal("1.94") * BN,
        investments=[records["MS-ES-01"]],
    )
    AnnouncementFactory(
        url="https://example.org/ms-es-pledge-fr",
        publisher="Exemple",
        language="fr",
        published_on=date(2024, 2, 20),
        title="Microsoft en Espagne",
        evidence="1,95 milliard d'euros.",
        amount=Decimal("1.95") * BN,
        currency="EUR",
        amount_eur=Decimal("1.95") * BN,
        investments=[records["MS-ES-01"]],
    )
    AnnouncementFactory(
        url="https://example.org/aragon",
        publisher="Heraldo Test",
        language="es",
        published_on=date(2024, 6, 14),
        title="Plan de Aragón",
        evidence="Permit filing for the Villamayor campus.",
        amount=Decimal("6.69") * BN,
        currency="EUR",
        amount_eur=Decimal("6.69") * BN,
        investments=[records["MS-ES-02"], records["MS-ES-03"]],
    )
    AnnouncementFactory(
        url="https://example.org/aws-2021",
        published_on=date(2021, 3, 10),
        title="AWS region",
        amount=Decimal("2.5") * BN,
        currency="EUR",
        amount_eur=Decimal("2.5") * BN,
        investments=[records["AWS-ES-01"]],
    )
    AnnouncementFactory(
        url="https://example.org/aws-2024",
        # AWS's own release: the one primary source, which makes AWS-ES-02 firm.
        outlet=OutletFactory(domain="example.org/aws", name="AWS (test)", tier="primary"),
        published_on=date(2024, 5, 21),
        title="AWS expands",
        amount=Decimal("15.7") * BN,
        currency="EUR",
        amount_eur=Decimal("15.7") * BN,
        investments=[records["AWS-ES-02"]],
    )
    AnnouncementFactory(
        url="https://example.org/ms-skills",
        published_on=date(2024, 9, 1),
        title="Skills for Europe",
        amount=3 * BN,
        currency="EUR",
        amount_eur=3 * BN,
        investments=[records["MS-EU-01"]],
    )
    AnnouncementFactory(
        url="https://example.org/amazon-france",
        published_on=date(2024, 1, 22),
        title="Amazon in France",
        amount=Decimal("1.2") * BN,
        currency="EUR",
        amount_eur=Decimal("1.2") * BN,
        investments=[records["AMZ-FR-01"]],
    )
    return records
