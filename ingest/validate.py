"""Rules across records of the dataset: unique ids, references that resolve, currencies we can convert.

Pure: it takes the parsed records and the sets of codes the database knows, and returns errors.
"""

from collections import Counter
from dataclasses import dataclass

from ingest.parsers.dataset import RowError


@dataclass(frozen=True)
class Known:
    """What the database already holds, so the file can refer to it."""

    countries: frozenset[str]
    companies: frozenset[str]
    currencies: frozenset[str]


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
