"""The European countries the tracker covers, by ISO alpha-2 code.

investments/migrations/0002_seed_countries.py seeds the same list; a migration keeps its own frozen
copy, so changing this list needs a new data migration too.
"""

EU27 = (
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
)
# EEA outside the EU, the UK, Switzerland, the Western Balkans, Ukraine, Moldova, Türkiye, microstates.
OTHERS = (
    "IS",
    "LI",
    "NO",
    "GB",
    "CH",
    "AL",
    "BA",
    "ME",
    "MK",
    "RS",
    "XK",
    "UA",
    "MD",
    "TR",
    "AD",
    "MC",
    "SM",
    "VA",
)
EUROPEAN_COUNTRIES = EU27 + OTHERS
