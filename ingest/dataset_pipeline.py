"""The dataset pipeline: read -> parse -> validate -> load -> report, each run recorded as an IngestRun.

The Celery task `ingest.tasks.ingest_dataset` and `manage.py ingest dataset` both call `ingest_dataset`.
The other pipelines have modules of their own: the news feeds `ingest/news.py`, the ECB rates
`ingest/fx.py`.
"""

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ingest.indicators import load_indicators, read_indicators
from ingest.load import LoadReport, Progress, load_dataset, noop
from ingest.models import IngestRun
from ingest.parsers.csv_fields import RowError
from ingest.parsers.dataset import (
    parse_announcements,
    parse_companies,
    parse_investments,
    parse_outlets,
    parse_overlaps,
)
from ingest.parsers.indicators import IndicatorsRefused
from ingest.sites import load_sites, read_and_validate
from ingest.statistics import refresh_statistics
from ingest.validate import Known, validate_dataset, validate_outlets, validate_overlaps, validate_sources
from investments.models import Company, Country
from investments.money import rate_table

DATASET_FILES = {
    "companies": "companies.csv",
    "investments": "investments.csv",
    "announcements": "announcements.csv",
    "outlets": "outlets.csv",
    "overlaps": "overlaps.csv",
}
# Files a dataset may leave out: companies may already be in the database, and a dataset may document
# no overlap.
OPTIONAL_FILES = frozenset({"companies", "overlaps"})


class DatasetRefused(Exception):
    """The input is invalid; nothing was written. `errors` lists every problem found."""

    def __init__(self, errors: list[RowError | str]):
        self.errors = [str(e) for e in errors]
        super().__init__(f"{len(self.errors)} error(s): " + "; ".join(self.errors[:3]))


@dataclass
class DatasetFiles:
    """The bytes of each dataset file found, by kind (companies, investments, announcements)."""

    contents: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def read_dataset(path: Path) -> DatasetFiles:
    """Read the dataset at `path`: a folder holding the CSV files, or the investments file itself.

    companies.csv and overlaps.csv are optional (OPTIONAL_FILES); the others are required.
    """
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if not path.exists():
        raise DatasetRefused([f"{path}: no such file or folder"])
    located = {kind: folder / name for kind, name in DATASET_FILES.items()}
    if path.is_file():
        located["investments"] = path
    files, errors = DatasetFiles(), []
    limit = settings.INGEST_MAX_FILE_BYTES
    for kind, file in located.items():
        files.names[kind] = file.name
        if not file.is_file():
            if kind not in OPTIONAL_FILES:
                errors.append(f"{file}: missing (the dataset needs {DATASET_FILES[kind]})")
            continue
        size = file.stat().st_size
        if size > limit:
            errors.append(
                f"{file.name}: {size:,} bytes, over the {limit:,}-byte limit (INGEST_MAX_FILE_BYTES)"
            )
            continue
        files.contents[kind] = file.read_bytes()
    if errors:
        raise DatasetRefused(errors)
    return files


def parse_and_validate(files: DatasetFiles):
    parsers = {
        "companies": parse_companies,
        "investments": parse_investments,
        "announcements": parse_announcements,
        "outlets": parse_outlets,
        "overlaps": parse_overlaps,
    }
    parsed = {kind: parsers[kind](data, files.names[kind]) for kind, data in files.contents.items()}
    errors = [e for p in parsed.values() for e in p.errors]
    companies = parsed["companies"].records if "companies" in parsed else []
    overlaps = parsed["overlaps"].records if "overlaps" in parsed else []
    investments, announcements = parsed["investments"].records, parsed["announcements"].records
    outlets = parsed["outlets"].records
    if not errors and not investments:
        errors.append(RowError(files.names["investments"], 1, "-", "no records"))
    known = Known(
        countries=frozenset(Country.objects.values_list("iso2", flat=True)),
        companies=frozenset(Company.objects.values_list("slug", flat=True)),
        currencies=rate_table().currencies,
        company_parents=dict(
            Company.objects.filter(parent__isnull=False).values_list("slug", "parent__slug")
        ),
        rates_from=rate_table().first_days(),
        today=timezone.localdate(),
    )
    rejected = frozenset().union(*(p.rejected_keys for p in parsed.values()))
    errors += validate_dataset(companies, investments, announcements, known, files.names, rejected)
    errors += validate_outlets(outlets, files.names["outlets"])
    if "outlets" in parsed and not parsed["outlets"].errors:
        # Tiers are judged only from a whole list of outlets: a refused row would make its sources unknown.
        errors += validate_sources(investments, announcements, outlets, files.names)
    errors += validate_overlaps(overlaps, investments, known.currencies, files.names)
    if errors:
        raise DatasetRefused(errors)
    return companies, investments, announcements, outlets, overlaps


def ingest_dataset(
    path: Path | str | None = None, *, progress: Progress = noop, task_id: str = ""
) -> IngestRun:
    """Load the curated dataset; refuse it whole, changing nothing, if any row is invalid."""
    path = Path(path or settings.DATASET_DIR)
    run = IngestRun.objects.start("dataset", str(path), task_id or "")
    try:
        companies, investments, announcements, outlets, overlaps = parse_and_validate(read_dataset(path))
        # Sites (issue 19): sites.csv, investment_sites.csv, capacities.csv, in the same transaction.
        site_files, site_errors = read_and_validate(path, investments)
        if site_errors:
            raise DatasetRefused(site_errors)
        try:  # Population and GDP (issue 18): optional, loaded with the rest or not at all.
            indicators = read_indicators(path)
        except IndicatorsRefused as refused:
            raise DatasetRefused(refused.errors) from None
        with transaction.atomic():
            report = load_dataset(
                companies, investments, announcements, progress, outlets=outlets, overlaps=overlaps
            )
            site_counts = load_sites(site_files)
            if indicators is not None:
                site_counts |= load_indicators(indicators)
        if report.changed:
            refresh_statistics()
    except DatasetRefused as refused:
        run.finish(IngestRun.Status.REFUSED, errors=refused.errors)
        raise
    except Exception as exc:
        run.finish(
            IngestRun.Status.FAILED, errors=[f"{type(exc).__name__}: {exc}"], tb=traceback.format_exc()
        )
        raise
    run.finish(
        IngestRun.Status.SUCCEEDED, counts={**report.as_counts(), **site_counts}, errors=missing_notes(report)
    )
    return run


def missing_notes(report: LoadReport) -> list[str]:
    return [
        f"{ref}: in the database but not in the file (kept; set withdrawn=yes to remove)"
        for ref in report.missing
    ]
