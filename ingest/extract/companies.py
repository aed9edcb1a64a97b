"""The company catalogue (data/companies.csv) and the mentions of its companies in text.

A company is named by its name, its aliases and its epithets ("la firme de Redmond", "the Redmond-based
group"), all `|`-separated in the catalogue's `aliases` column. Names match with their case (so Spanish
"la meta" is not Meta); epithets, which start in lower case, also match at the start of a sentence.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_WORD = re.compile(r"\w+")

# The catalogue shipped with the project, for callers that pass none (the command passes its own path).
DEFAULT_CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "companies.csv"


@dataclass(frozen=True)
class CatalogueCompany:
    """A company as the extractor knows it: its names, aliases and epithets, its group and where it has
    its headquarters. Read from a companies CSV, or built from the database's
    investments.models.Company rows (ingest.news.company_catalogue)."""

    slug: str
    name: str
    parent: str
    aliases: tuple[str, ...]
    country: str = ""  # ISO alpha-2 of the headquarters: "la compañía estadounidense" is an American one

    @property
    def family(self) -> str:
        """The group the company belongs to: Google and Alphabet are one investor, AWS and Amazon too."""
        return self.parent or self.slug


@dataclass(frozen=True)
class CompanyMention:
    slug: str
    family: str
    start: int
    end: int
    text: str
    epithet: bool


class Catalogue:
    """Companies by slug, and every name, alias and epithet they are written with, looked up word by
    word (a dictionary lookup per word is far cheaper than one pattern of a few hundred names)."""

    def __init__(self, companies: list[CatalogueCompany]):
        self.companies = {company.slug: company for company in companies}
        names: dict[str, str] = {}
        for company in companies:
            for name in (company.name, *company.aliases):
                # A name listed under two slugs ("Amazon Web Services") belongs to the first row naming
                # it as its own name, else to the first row listing it.
                if name and (name not in names or name == company.name):
                    names[" ".join(name.split())] = company.slug
        self._slug_of = names
        self._epithets = {name for name in names if name[:1].islower()}
        self._acronyms = {name for name in names if name.isupper() and name.isalpha() and len(name) >= 3}
        # Each name's first word, lower-cased, with the most words a name starting with it has.
        self._first_words: dict[str, int] = {}
        for name in names:
            words = _WORD.findall(name)
            if words:
                first = words[0].lower()
                self._first_words[first] = max(self._first_words.get(first, 0), len(words))

    @classmethod
    def from_csv(cls, path: str | Path) -> "Catalogue":
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        companies = [
            CatalogueCompany(
                slug=row["slug"].strip(),
                name=row["name"].strip(),
                parent=(row.get("parent") or "").strip(),
                aliases=tuple(
                    alias.strip() for alias in (row.get("aliases") or "").split("|") if alias.strip()
                ),
                country=(row.get("hq_country") or "").strip().upper(),
            )
            for row in rows
            if row.get("slug")
        ]
        return cls(companies)

    def country(self, slug: str) -> str:
        """Where the company has its headquarters (ISO alpha-2), or "" when the catalogue does not say."""
        company = self.companies.get(slug)
        return company.country if company else ""

    def family(self, slug: str) -> str:
        company = self.companies.get(slug)
        return company.family if company else slug

    def _slug(self, written: str) -> tuple[str | None, bool]:
        """The slug a written name stands for, and whether it is an epithet (which may start a
        sentence with a capital: "La firme de Redmond")."""
        written = " ".join(written.split())
        if written in self._slug_of:
            return self._slug_of[written], written in self._epithets
        lowered = written[:1].lower() + written[1:]
        if lowered in self._epithets:
            return self._slug_of[lowered], True
        # Italian and Spanish press write acronyms as names: "Aws", "Ibm".
        upper = written.upper()
        if written.istitle() and upper in self._acronyms:
            return self._slug_of[upper], False
        return None, False

    def find(self, text: str) -> list[CompanyMention]:
        """Every mention of a catalogue company in `text`, in reading order, longest name first."""
        mentions = []
        words = list(_WORD.finditer(text))
        index = 0
        while index < len(words):
            word = words[index]
            lowered = word.group().lower()
            longest = self._first_words.get(lowered, 0)
            if not longest and lowered.endswith("s"):
                longest = int(lowered[:-1] in self._first_words)  # German genitive: "Microsofts"
            if not longest or (word.start() and text[word.start() - 1] in "@#/.-"):
                index += 1
                continue
            found = None
            for length in range(min(longest, len(words) - index), 0, -1):
                last = words[index + length - 1]
                slug, epithet = self._slug(text[word.start() : last.end()])
                if slug is None and length == 1 and word.group().endswith("s"):
                    slug, epithet = self._slug(word.group()[:-1])  # German genitive: "Microsofts"
                if slug:
                    found = CompanyMention(slug, self.family(slug), word.start(), last.end(),
                                           text[word.start() : last.end()], epithet)  # fmt: skip
                    break
            if found:
                mentions.append(found)
                index += length
            else:
                index += 1
        return mentions


@cache
def load_catalogue(path: str | Path = DEFAULT_CATALOGUE) -> Catalogue:
    """The catalogue read from a companies CSV (slug, name, parent, aliases), read once per path."""
    return Catalogue.from_csv(path)
