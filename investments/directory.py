"""The countries and companies, kept in process memory per data version.

Both tables are small (45 countries, a few dozen companies) and change only with an ingest, which bumps
the data version (investments.versioned_cache). Filter validation (`country=ES`, `company=alphabet`), the
filter bar's options (choices()), the API's rows and the totals read them on every request; holding them
here saves those queries.

A value that is not found reloads the tables once before it counts as unknown, so a company added
without a new data version (in the admin, say) is still found.

The layers import downwards only: models and querysets never import this module (a company's family is
resolved here, by the FilterSet, before the queryset filters on the ids), so nothing imports in a cycle.
"""

import threading
from types import SimpleNamespace

from investments.models import Company, Country
from investments.versioned_cache import data_version

# The Country fields holding its name in another language than English (name_fr...).
LOCALIZED_NAMES = tuple(f.name for f in Country._meta.fields if f.name.startswith("name_"))
_lock = threading.Lock()
_state = {"version": None, "tables": None}


def _load():
    names = ["name", *LOCALIZED_NAMES]
    rows = list(Country.objects.values_list("pk", "iso2", *names))
    countries = {pk: (iso2, name) for pk, iso2, name, *_ in rows}
    companies = {
        pk: (slug, name, parent)
        for pk, slug, name, parent in Company.objects.values_list("pk", "slug", "name", "parent_id")
    }
    return SimpleNamespace(
        countries=countries,  # pk -> (iso2, name)
        # iso2 -> {language: name}, "en" the English name
        country_names={
            iso2: {
                "en": name,
                **{field[-2:]: text for field, text in zip(LOCALIZED_NAMES, localized, strict=True)},
            }
            for _, iso2, name, *localized in rows
        },
        companies=companies,  # pk -> (slug, name, parent pk)
        country_ids={iso2: pk for pk, (iso2, _) in countries.items()},
        company_ids={slug: pk for pk, (slug, _, _) in companies.items()},
    )


def tables(reload=False):
    """The lookup tables of the current data version."""
    version = data_version()
    with _lock:
        if reload or _state["version"] != version or _state["tables"] is None:
            _state["tables"], _state["version"] = _load(), version
        return _state["tables"]


def resolve(kind, keys):
    """Primary keys for natural keys (`kind` "country": ISO codes, "company": slugs), and the keys that
    name nothing. Only an unknown key costs a query (one reload)."""
    attribute = "country_ids" if kind == "country" else "company_ids"
    ids = getattr(tables(), attribute)
    if any(key not in ids for key in keys):
        ids = getattr(tables(reload=True), attribute)
    return [ids[key] for key in keys if key in ids], [key for key in keys if key not in ids]


def company_family(company_ids):
    """The ids of these companies and of their brands (a group includes its subsidiaries)."""
    wanted = set(company_ids)
    companies = tables().companies
    return sorted(pk for pk, (_, _, parent) in companies.items() if pk in wanted or parent in wanted)


def choices(kind, language):
    """The (natural key, label) pairs a form offers for `kind`: every country by ISO code, labelled and
    sorted by its name in `language` (English where it has none), or every company by slug, in name
    order, a brand labelled with its group in brackets."""
    current = tables()
    if kind == "country":
        pairs = [(iso2, names.get(language) or names["en"]) for iso2, names in current.country_names.items()]
        return sorted(pairs, key=lambda pair: pair[1])
    companies = current.companies
    return [
        (slug, f"{name} ({companies[parent][1]})" if parent in companies else name)
        for slug, name, parent in companies.values()
    ]
