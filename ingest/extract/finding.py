"""A finding: one investment an article reports, as extraction proposes it to a curator, with the
sentence that carries it. Reconciliation stores each one as a review-queue `ingest.models.Candidate`;
the two names keep the extractor's record and the database row apart."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Finding:
    """One investment reported by an article, as first stated (amount in full units of `currency`)."""

    company: str  # slug in data/companies.csv
    country: str | None  # ISO 3166-1 alpha-2; None for a Europe-wide programme
    amount: float
    currency: str  # ISO 4217
    announced_on: date | None
    announced_precision: str | None  # "day", "month" or "year"
    evidence: str
    confidence: float
    place: str | None = None
    category: str = "datacentre"
    period_start: int | None = None
    period_end: int | None = None
    alternatives: tuple[tuple[float, str], ...] = ()  # the same figure in other currencies
    mentions: int = 1
    # Where announced_on was read: "sentence", "paragraph", "lead" (the story's own date), "published".
    date_source: str | None = None
    # Why the reading set the figure aside ("cumulative total", "fine"); None for a candidate proper.
    set_aside: str | None = None
    # Capacity stated with it (ingest.extract.capacity): MW and GPUs, each with the words as written.
    capacity_mw: float | None = None
    capacity_as_given: str = ""
    gpus: int | None = None
    gpus_as_given: str = ""

    def as_dict(self) -> dict:
        """The JSON shape `manage.py extract --json` prints."""
        return {
            "company": self.company,
            "country": self.country,
            "amount": _number(self.amount),
            "currency": self.currency,
            "announced_on": self.announced_on.isoformat() if self.announced_on else None,
            "announced_precision": self.announced_precision,
            "date_source": self.date_source,
            "evidence": self.evidence,
            "confidence": round(self.confidence, 2),
            "place": self.place,
            "category": self.category,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "alternatives": [[_number(amount), currency] for amount, currency in self.alternatives],
            "mentions": self.mentions,
            "set_aside": self.set_aside,
            "capacity_mw": None if self.capacity_mw is None else _number(self.capacity_mw),
            "capacity_as_given": self.capacity_as_given,
            "gpus": self.gpus,
            "gpus_as_given": self.gpus_as_given,
        }


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
