"""Parse the site files of the dataset: where the money lands, and how big it is. Pure: bytes in,
records and errors out, read with ingest.parsers.csv_fields like the rest of the dataset (the same
refusal rules and error form).

- sites.csv: one row per site, with its point, how exact it is (campus, town, region) and its source
  (a town's GeoNames page, or the curated source of a campus);
- investment_sites.csv: which investments each site belongs to, one (investment, site) pair a row;
- capacities.csv: capacity in MW and accelerator (GPU) counts of an investment, each as the source
  gave it; a row may carry either figure or both, from one source.

validate_sites() ties them to each other, to the investments of the same dataset, and to the map: a
point outside its country's shape is refused (investments.geo).
"""

from collections import Counter
from decimal import Decimal
from typing import NamedTuple

from ingest.parsers.csv_fields import (
    FieldError,
    Parsed,
    RowError,
    choice,
    country_code,
    parse_plain,
    read_decimal,
    read_table,
    record_id,
    slug,
    url,
)
from investments.choices import SitePrecision

SITE_COLUMNS = (
    "ref",
    "name",
    "place",
    "country",
    "latitude",
    "longitude",
    "precision",
    "source_url",
    "notes",
)
LINK_COLUMNS = ("investment", "site")
CAPACITY_COLUMNS = ("investment", "capacity_mw", "capacity_as_given", "gpus", "gpus_as_given", "source_url")
# The cells a row may not leave empty.
SITE_REQUIRED = ("ref", "name", "country", "latitude", "longitude", "precision", "source_url")
LINK_REQUIRED = ("investment", "site")
CAPACITY_REQUIRED = ("investment", "source_url")
SITE_FILES = {
    "sites": "sites.csv",
    "investment_sites": "investment_sites.csv",
    "capacities": "capacities.csv",
}
MAX_SITE_REF = 60
# The largest campuses announced are a few GW; a figure past these is a typo (kW for MW, a stray zero).
MAX_MW = Decimal(100_000)
MAX_GPUS = 10_000_000


class SiteRecord(NamedTuple):
    line: int
    ref: str
    name: str
    place: str
    country: str
    latitude: Decimal
    longitude: Decimal
    precision: str
    source_url: str
    notes: str
    raw: str


class LinkRecord(NamedTuple):
    line: int
    investment: str
    site: str


class CapacityRecord(NamedTuple):
    line: int
    investment: str
    capacity_mw: Decimal | None
    capacity_as_given: str
    gpus: int | None
    gpus_as_given: str
    source_url: str


def site_ref(value):
    if len(value) > MAX_SITE_REF:
        raise FieldError(f"{value[:40]!r}... is longer than {MAX_SITE_REF} characters")
    return slug(value)


def required_country(value):
    if not value:
        raise FieldError("required: a site lies in one country")
    return country_code(value)


def coordinate(limit, axis):
    def convert(value):
        number = read_decimal(value.replace(",", "."), f"a {axis} in decimal degrees (e.g. 41.65606)")
        if not number.is_finite() or not -limit <= number <= limit:
            raise FieldError(f"{value} is outside -{limit}..{limit}")
        return number.quantize(Decimal("0.00001"))

    return convert


def megawatts(value):
    if not value:
        return None
    number = read_decimal(value, "a number of MW (write 1400 for 1.4 GW)")
    if not number.is_finite() or number <= 0:
        raise FieldError(f"{value} is not a positive number of MW")
    if number > MAX_MW:
        raise FieldError(f"{value} MW is implausibly large (write GW as MW: 1.4 GW is 1400)")
    return number.quantize(Decimal("0.1"))


def gpu_count(value):
    if not value:
        return None
    if not value.isdigit() or int(value) == 0:
        raise FieldError(f"{value[:40]!r} is not a whole number of GPUs (write 18000, not 18k or 18,000)")
    if int(value) > MAX_GPUS:
        raise FieldError(f"{value} GPUs is implausibly many")
    return int(value)


SITE_FIELDS = {
    "ref": site_ref,
    "country": required_country,
    "latitude": coordinate(90, "latitude"),
    "longitude": coordinate(180, "longitude"),
    "precision": choice(SitePrecision),
    "source_url": url,
}
LINK_FIELDS = {"investment": record_id, "site": site_ref}
CAPACITY_FIELDS = {"investment": record_id, "capacity_mw": megawatts, "gpus": gpu_count, "source_url": url}


def parse_sites(data: bytes, name: str = "sites.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, SITE_COLUMNS, SITE_REQUIRED, parsed)
    if table is None:
        return parsed
    keys = list(table.columns["ref"])
    table.convert(parsed, SITE_FIELDS)
    parsed.records = [SiteRecord(line, *values, raw) for _, line, values, raw in table.rows(SITE_COLUMNS)]
    parsed.rejected_keys.update(keys[i] for i in table.bad)
    return parsed


def parse_links(data: bytes, name: str = "investment_sites.csv") -> Parsed:
    return parse_plain(data, name, LINK_COLUMNS, LINK_REQUIRED, LINK_FIELDS, LinkRecord)


def parse_capacities(data: bytes, name: str = "capacities.csv") -> Parsed:
    parsed = Parsed()
    table = read_table(data, name, CAPACITY_COLUMNS, CAPACITY_REQUIRED, parsed)
    if table is None:
        return parsed
    table.convert(parsed, CAPACITY_FIELDS)
    records = []
    for index, line, values, _ in table.rows(CAPACITY_COLUMNS):
        record = CapacityRecord(line, *values)
        problems = capacity_rules(record)
        for column, reason in problems:
            table.error(parsed, index, column, reason)
        if not problems:
            records.append(record)
    parsed.records = records
    return parsed


def capacity_rules(r: CapacityRecord) -> list[tuple[str, str]]:
    if r.capacity_mw is None and r.gpus is None:
        return [("capacity_mw", "give capacity_mw or gpus (or both): the row says nothing")]
    problems = []
    for figure, column in ((r.capacity_mw, "capacity_as_given"), (r.gpus, "gpus_as_given")):
        if figure is not None and not getattr(r, column):
            problems.append((column, "required with its figure: the words the source used, e.g. '1.4 GW'"))
        if figure is None and getattr(r, column):
            problems.append((column, "given without its figure"))
    return problems


def validate_sites(sites, links, capacities, investments, countries, names, outside) -> list[RowError]:
    """Errors across the site files and the investments of the same dataset.

    `investments` are the parsed investment records, `countries` the ISO codes the database knows and
    `outside(iso2, lon, lat)` says why a point is not in its country ("" when it is).
    """
    errors: list[RowError] = []
    s_name, l_name, c_name = names["sites"], names["investment_sites"], names["capacities"]
    by_ref = {i.ref: i for i in investments}
    refs = Counter(s.ref for s in sites)
    by_site = {s.ref: s for s in sites}
    for s in sites:
        if refs[s.ref] > 1:
            errors.append(RowError(s_name, s.line, "ref", f"duplicate site id {s.ref!r}"))
        if s.country not in countries:
            errors.append(
                RowError(s_name, s.line, "country", f"{s.country!r} is not a country the tracker knows")
            )
            continue
        reason = outside(s.country, float(s.longitude), float(s.latitude))
        if reason:
            errors.append(RowError(s_name, s.line, "latitude", reason))

    pairs = Counter((link.investment, link.site) for link in links)
    for link in links:
        investment, site = by_ref.get(link.investment), by_site.get(link.site)
        if pairs[(link.investment, link.site)] > 1:
            errors.append(RowError(l_name, link.line, "site", "the same pair appears twice"))
        if investment is None:
            errors.append(RowError(l_name, link.line, "investment", f"unknown id {link.investment!r}"))
        elif investment.withdrawn:
            errors.append(RowError(l_name, link.line, "investment", f"{link.investment!r} is withdrawn"))
        if site is None:
            errors.append(
                RowError(l_name, link.line, "site", f"unknown site {link.site!r} (add it to {s_name})")
            )
        if investment is not None and site is not None:
            hosts = {investment.country} if investment.country else set(investment.countries)
            if hosts and site.country not in hosts:
                errors.append(
                    RowError(
                        l_name,
                        link.line,
                        "site",
                        f"{link.site!r} lies in {site.country}; {link.investment!r} is in "
                        f"{', '.join(sorted(hosts))}",
                    )
                )

    seen: dict[tuple[str, str], int] = {}
    for c in capacities:
        investment = by_ref.get(c.investment)
        if investment is None:
            errors.append(RowError(c_name, c.line, "investment", f"unknown id {c.investment!r}"))
        elif investment.withdrawn:
            errors.append(RowError(c_name, c.line, "investment", f"{c.investment!r} is withdrawn"))
        for figure, column in ((c.capacity_mw, "capacity_mw"), (c.gpus, "gpus")):
            if figure is None:
                continue
            first = seen.setdefault((c.investment, column), c.line)
            if first != c.line:
                errors.append(
                    RowError(c_name, c.line, column, f"{c.investment!r} already has one (line {first})")
                )
    return sorted(errors, key=lambda e: (e.file, e.line, e.field))
