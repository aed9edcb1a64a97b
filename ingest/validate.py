"""Rules across records of the dataset: unique ids, references that resolve, currencies we can convert.

Pure: it takes the parsed records and the sets of codes the database knows, and returns errors.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from ingest.parsers.csv_fields import RowError
from investments.choices import DatePrecision
from investments.money import reference_day
from investments.outlets import host_and_path, match
from investments.querysets import STANDING_TIERS, counts


@dataclass(frozen=True)
class Known:
    """What the database already holds, so the file can refer to it."""

    countries: frozenset[str]
    companies: frozenset[str]
    currencies: frozenset[str]
    # Each company's parent in the database (a file may make a cycle with a company it does not list).
    company_parents: dict[str, str] = field(default_factory=dict)
    # The first day the ECB history converts each currency (money.RateTable.first_days).
    rates_from: dict[str, date] = field(default_factory=dict)
    # Announcements dated later than this are refused; None: not checked.
    today: date | None = None


def validate_dataset(
    companies, investments, announcements, known: Known, names: dict[str, str], rejected=frozenset()
) -> list[RowError]:
    """Errors across records; `rejected` holds keys of rows already refused, not to be reported again."""
    errors: list[RowError] = []
    c_name, i_name, a_name = names["companies"], names["investments"], names["announcements"]

    slugs = Counter(c.slug for c in companies)
    company_slugs = set(slugs) | known.companies | rejected
    for c in companies:
        if slugs[c.slug] > 1:
            errors.append(RowError(c_name, c.line, "slug", f"duplicate slug {c.slug!r}"))
        if c.parent and c.parent not in company_slugs:
            errors.append(RowError(c_name, c.line, "parent", f"unknown company {c.parent!r}"))
        if c.parent == c.slug:
            errors.append(RowError(c_name, c.line, "parent", "a company cannot be its own parent"))

    refs = Counter(i.ref for i in investments)
    by_ref = {i.ref: i for i in investments}
    withdrawn = {i.ref for i in investments if i.withdrawn}
    for i in investments:
        if refs[i.ref] > 1:
            errors.append(RowError(i_name, i.line, "id", f"duplicate id {i.ref!r}"))
        if i.company not in company_slugs:
            errors.append(
                RowError(
                    i_name, i.line, "company", f"unknown company {i.company!r} (add it to companies.csv)"
                )
            )
        for code in (i.country, *i.countries):
            if code and code not in known.countries:
                errors.append(
                    RowError(
                        i_name, i.line, "country", f"{code!r} is not a European country the tracker knows"
                    )
                )
        if i.currency and i.currency not in known.currencies:
            errors.append(RowError(i_name, i.line, "currency", f"no ECB reference rate for {i.currency!r}"))
        for column, targets in (
            ("part_of", [i.part_of]),
            ("expands", [i.expands]),
            ("supersedes", i.supersedes),
        ):
            for target in targets:
                if not target:
                    continue
                if target not in by_ref and target not in rejected:
                    errors.append(RowError(i_name, i.line, column, f"unknown id {target!r}"))
                elif target in withdrawn and not i.withdrawn:
                    errors.append(RowError(i_name, i.line, column, f"{target!r} is withdrawn"))
    errors.extend(part_of_cycles(investments, by_ref, i_name))
    errors.extend(dataset_holes(companies, investments, announcements, known, names))

    urls = Counter(a.url for a in announcements)
    sourced = set()
    for a in announcements:
        if urls[a.url] > 1:
            errors.append(
                RowError(a_name, a.line, "url", "duplicate url (one row per source; list several ids with |)")
            )
        for ref in a.investments:
            if ref not in by_ref and ref not in rejected:
                errors.append(RowError(a_name, a.line, "investment", f"unknown id {ref!r}"))
            sourced.add(ref)
        if a.currency and a.currency not in known.currencies:
            errors.append(RowError(a_name, a.line, "currency", f"no ECB reference rate for {a.currency!r}"))
    for i in investments:
        if not i.withdrawn and i.ref not in sourced and i.ref not in rejected:
            errors.append(RowError(i_name, i.line, "id", f"{i.ref!r} has no source in {a_name}"))
    return sorted(errors, key=lambda e: (e.file, e.line, e.field))


def part_of_cycles(investments, by_ref, name) -> list[RowError]:
    errors = []
    for i in investments:
        seen, current = {i.ref}, i.part_of
        while current and current in by_ref:
            if current in seen:
                errors.append(RowError(name, i.line, "part_of", "part_of relations form a cycle"))
                break
            seen.add(current)
            current = by_ref[current].part_of
    return errors


# --- Holes an outside test found (issue 17): cycles, unconvertible dates, zero amounts, the future. ---


def dataset_holes(companies, investments, announcements, known: Known, names) -> list[RowError]:
    c_name, i_name, a_name = names["companies"], names["investments"], names["announcements"]
    return [
        *relation_cycles(investments, i_name),
        *company_parent_cycles(companies, known, c_name),
        *zero_amounts(investments, i_name),
        *zero_amounts(announcements, a_name),
        *dates_before_rate_history(investments, known, i_name),
        *dates_before_rate_history(announcements, known, a_name),
        *dates_in_the_future(investments, known, i_name),
        *dates_in_the_future(announcements, known, a_name),
    ]


def cycles(edges: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Every node on a cycle of the directed graph `edges`, with one cycle through it: a path that
    starts and ends at that node."""
    on_cycle: dict[str, list[str]] = {}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in edges:
        if state.get(start):
            continue
        path, stack = [], [(start, iter(edges.get(start, ())))]
        state[start] = 1
        path.append(start)
        while stack:
            node, targets = stack[-1]
            target = next(targets, None)
            if target is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(target) == 1:  # back to a node on the path: a cycle
                loop = path[path.index(target) :]
                for k, member in enumerate(loop):  # told from each member's side: it starts the path
                    on_cycle.setdefault(member, [*loop[k:], *loop[:k], member])
            elif not state.get(target) and target in edges:
                state[target] = 1
                path.append(target)
                stack.append((target, iter(edges.get(target, ()))))
    return on_cycle


def relation_cycles(investments, name) -> list[RowError]:
    """supersedes and expands must not loop: a record superseded by a record it supersedes, say, drops
    both from the totals. (part_of has its own check above.)"""
    errors = []
    for column, targets_of in (("supersedes", lambda i: i.supersedes), ("expands", lambda i: (i.expands,))):
        edges = {i.ref: tuple(t for t in targets_of(i) if t) for i in investments}
        looped = cycles(edges)
        for i in investments:
            if i.ref in looped:
                path = " -> ".join(looped[i.ref])
                errors.append(RowError(name, i.line, column, f"{column} relations form a cycle: {path}"))
    return errors


def company_parent_cycles(companies, known: Known, name) -> list[RowError]:
    """A group cannot be inside one of its own brands; the file's parents override the database's."""
    parents = {**known.company_parents, **{c.slug: c.parent for c in companies}}
    edges = {slug: (parent,) for slug, parent in parents.items() if parent and parent != slug}
    looped = cycles(edges)
    return [
        RowError(name, c.line, "parent", f"company parents form a cycle: {' -> '.join(looped[c.slug])}")
        for c in companies
        if c.slug in looped
    ]


def zero_amounts(records, name) -> list[RowError]:
    return [
        RowError(name, r.line, "amount", "zero: leave amount and currency empty when no figure was given")
        for r in records
        if r.amount is not None and r.amount == 0
    ]


def dates_before_rate_history(records, known: Known, name) -> list[RowError]:
    """An amount dated before the ECB history quotes its currency cannot be converted to EUR and USD
    (the load crashed on it)."""
    errors = []
    for r in records:
        day, precision, column = announced(r)
        first = known.rates_from.get(r.currency)
        if r.amount is None or day is None or first is None:
            continue
        if reference_day(day, precision) < first:
            errors.append(
                RowError(
                    name,
                    r.line,
                    column,
                    f"{day.isoformat()} is before the ECB reference rates for {r.currency} begin "
                    f"({first.isoformat()}): the amount cannot be converted",
                )
            )
    return errors


def dates_in_the_future(records, known: Known, name) -> list[RowError]:
    if known.today is None:
        return []
    errors = []
    for r in records:
        day, _, column = announced(r)
        if day is not None and day > known.today:
            errors.append(
                RowError(name, r.line, column, f"{day.isoformat()} is in the future (today is {known.today})")
            )
    return errors


def announced(record) -> tuple[date | None, str, str]:
    """(date, precision, column) of an investment's announcement or a source's publication."""
    if hasattr(record, "announced_on"):
        return record.announced_on, record.announced_precision, "announced_on"
    return record.published_on, DatePrecision.DAY.value, "published_on"


def counted_refs(investments) -> set[str]:
    """The ids of the file's records that count toward totals (investments.querysets.counts())."""
    superseded = {old for i in investments if not i.withdrawn for old in i.supersedes}
    return {
        i.ref
        for i in investments
        if counts(
            part_of=i.part_of,
            not_counted_reason=i.not_counted_reason,
            superseded=i.ref in superseded,
            withdrawn=i.withdrawn,
            status=i.status,
        )
    }


def validate_outlets(outlets, name: str) -> list[RowError]:
    """One row per outlet domain."""
    domains = Counter(o.domain for o in outlets)
    return [
        RowError(name, o.line, "domain", f"duplicate domain {o.domain!r}")
        for o in outlets
        if domains[o.domain] > 1
    ]


def validate_sources(investments, announcements, outlets, names: dict[str, str]) -> list[RowError]:
    """Every source's URL resolves to an outlet, and every counted record stands on a primary or major
    source (an aggregator or the trade press may add a figure, never carry a total alone)."""
    errors: list[RowError] = []
    a_name, i_name, o_name = names["announcements"], names["investments"], names["outlets"]
    tiers = {o.domain: o.tier for o in outlets}
    standing = set()
    for a in announcements:
        domain = match(a.url, tiers.keys())
        if domain is None:
            host, _ = host_and_path(a.url)
            errors.append(
                RowError(
                    a_name, a.line, "url", f"no outlet in {o_name} covers {host!r} (add it with its tier)"
                )
            )
        elif tiers[domain] in STANDING_TIERS:
            standing.update(a.investments)
    # A record with no source at all is reported by validate_dataset().
    sourced = {ref for a in announcements for ref in a.investments}
    counted = counted_refs(investments)
    for i in investments:
        if i.ref in counted and i.ref in sourced and i.ref not in standing:
            errors.append(
                RowError(
                    i_name,
                    i.line,
                    "id",
                    f"{i.ref!r} counts toward totals but has no primary or major source in {a_name} (cite "
                    "the company's or government's release or a national outlet; trade press and "
                    "aggregators may only add to one)",
                )
            )
    return errors


def validate_overlaps(overlaps, investments, currencies, names: dict[str, str]) -> list[RowError]:
    """Each overlap joins two different counted records of the file, once, in a currency with a rate."""
    errors: list[RowError] = []
    name = names["overlaps"]
    refs = {i.ref for i in investments}
    counted = counted_refs(investments)
    pairs = Counter((o.investment, o.overlaps) for o in overlaps)
    for o in overlaps:
        for column in ("investment", "overlaps"):
            ref = getattr(o, column)
            if ref not in refs:
                errors.append(RowError(name, o.line, column, f"unknown id {ref!r}"))
            elif ref not in counted:
                errors.append(
                    RowError(
                        name, o.line, column, f"{ref!r} does not count toward totals: nothing to net out"
                    )
                )
        if pairs[(o.investment, o.overlaps)] > 1:
            errors.append(RowError(name, o.line, "overlaps", "duplicate pair (one row per overlap)"))
        if (o.overlaps, o.investment) in pairs:
            errors.append(
                RowError(
                    name,
                    o.line,
                    "overlaps",
                    "the pair is listed both ways: list it once, from the record that repeats the money",
                )
            )
        if o.currency and o.currency not in currencies:
            errors.append(RowError(name, o.line, "currency", f"no ECB reference rate for {o.currency!r}"))
    return errors
