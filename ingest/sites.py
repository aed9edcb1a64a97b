"""The site files of the dataset, read, checked and loaded alongside it (see ingest.dataset_pipeline).

The files are optional as a set: a dataset without sites.csv leaves the stored sites as they are.
Loading runs inside the dataset's transaction, so a refusal anywhere changes nothing anywhere.
Sites missing from the file are reported and kept, like investments; the file's links replace a
listed site's links; capacities replace those of every curated investment.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from ingest.parsers.csv_fields import RowError
from ingest.parsers.sites import SITE_FILES, parse_capacities, parse_links, parse_sites, validate_sites
from investments import versioned_cache
from investments.choices import Origin
from investments.geo import outside_country
from investments.models import Country, Investment, Site

SITE_VALUES = ("name", "place", "country_id", "latitude", "longitude", "precision", "source_url", "notes")
CAPACITY_VALUES = (
    "capacity_mw", "capacity_mw_as_given", "capacity_mw_source", "gpus", "gpus_as_given", "gpus_source",
)  # fmt: skip
NO_CAPACITY = (None, "", "", None, "", "")


@dataclass
class SiteFiles:
    sites: list = field(default_factory=list)
    links: list = field(default_factory=list)
    capacities: list = field(default_factory=list)
    present: bool = False


def read_and_validate(path: Path, investments) -> tuple[SiteFiles, list[RowError | str]]:
    """The parsed site files next to the dataset at `path`, and every error found in them."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    located = {kind: folder / name for kind, name in SITE_FILES.items()}
    if not located["sites"].is_file():
        if located["investment_sites"].is_file():
            return SiteFiles(), [f"{located['investment_sites']}: needs {SITE_FILES['sites']} beside it"]
        return SiteFiles(), []
    errors: list[RowError | str] = []
    parsers = {"sites": parse_sites, "investment_sites": parse_links, "capacities": parse_capacities}
    parsed, limit = {}, settings.INGEST_MAX_FILE_BYTES
    for kind, file in located.items():
        if not file.is_file():
            continue
        if file.stat().st_size > limit:
            errors.append(f"{file.name}: over the {limit:,}-byte limit (INGEST_MAX_FILE_BYTES)")
            continue
        parsed[kind] = parsers[kind](file.read_bytes(), file.name)
        errors += parsed[kind].errors
    files = SiteFiles(*(parsed[kind].records if kind in parsed else [] for kind in SITE_FILES), present=True)
    if not errors:
        countries = frozenset(Country.objects.values_list("iso2", flat=True))
        names = {kind: file.name for kind, file in located.items()}
        errors += validate_sites(
            files.sites, files.links, files.capacities, investments, countries, names, outside_country
        )
    return files, errors


def load_sites(files: SiteFiles) -> dict[str, int]:
    """Upsert the sites, their links and the capacities; the counts of what changed."""
    counts = {
        "sites_created": 0,
        "sites_updated": 0,
        "sites_unchanged": 0,
        "site_links_changed": 0,
        "capacities_changed": 0,
    }
    if not files.present:
        return counts
    with transaction.atomic():
        country_ids = dict(Country.objects.values_list("iso2", "id"))
        investment_ids = dict(Investment.objects.order_by().values_list("ref", "id"))
        stored = {site.ref: site for site in Site.objects.all()}
        for record in files.sites:
            digest = hashlib.blake2b(record.raw.encode(), digest_size=16).hexdigest()
            values = dict(zip(SITE_VALUES, (
                record.name, record.place, country_ids[record.country], record.latitude, record.longitude,
                record.precision, record.source_url, record.notes,
            ), strict=True))  # fmt: skip
            site = stored.get(record.ref)
            if site is None:
                stored[record.ref] = Site.objects.create(ref=record.ref, record_hash=digest, **values)
                counts["sites_created"] += 1
            elif site.record_hash != digest:
                Site.objects.filter(pk=site.pk).update(record_hash=digest, **values)
                counts["sites_updated"] += 1
            else:
                counts["sites_unchanged"] += 1
        counts["site_links_changed"] = replace_links(files, stored, investment_ids)
        counts["capacities_changed"] = set_capacities(files.capacities)
        counts["sites_missing"] = len(set(stored) - {s.ref for s in files.sites})
        if site_changes(counts):
            transaction.on_commit(versioned_cache.bump)
    return counts


def site_changes(counts: dict) -> int:
    """How many sites, links and capacities a load changed (0: the site files changed nothing)."""
    changed = ("sites_created", "sites_updated", "site_links_changed", "capacities_changed")
    return sum(counts.get(k, 0) for k in changed)


def replace_links(files: SiteFiles, stored: dict, investment_ids: dict) -> int:
    """Make each listed site's investments exactly those of the file; the pairs added or removed."""
    through = Site.investments.through
    wanted = {(stored[link.site].pk, investment_ids[link.investment]) for link in files.links}
    listed = [stored[s.ref].pk for s in files.sites]
    current = set(through.objects.filter(site_id__in=listed).values_list("site_id", "investment_id"))
    if current == wanted:
        return 0
    stale = current - wanted
    for site_id, investment_id in stale:
        through.objects.filter(site_id=site_id, investment_id=investment_id).delete()
    through.objects.bulk_create([through(site_id=s, investment_id=i) for s, i in sorted(wanted - current)])
    return len(stale) + len(wanted - current)


def set_capacities(records) -> int:
    """Give each curated investment the capacity figures of the file (none when it lists none)."""
    figures: dict[str, list] = {}
    for r in records:
        row = figures.setdefault(r.investment, list(NO_CAPACITY))
        if r.capacity_mw is not None:
            row[0:3] = [r.capacity_mw, r.capacity_as_given, r.source_url]
        if r.gpus is not None:
            row[3:6] = [r.gpus, r.gpus_as_given, r.source_url]
    changed = 0
    stored = Investment.objects.filter(origin=Origin.DATASET).order_by().values_list("ref", *CAPACITY_VALUES)
    for ref, *current in stored:
        wanted = tuple(figures.get(ref, NO_CAPACITY))
        if tuple(current) != wanted:
            Investment.objects.filter(ref=ref).update(**dict(zip(CAPACITY_VALUES, wanted, strict=True)))
            changed += 1
    return changed
