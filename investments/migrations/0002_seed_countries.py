"""Seed every European country the tracker covers, with names from CLDR (Babel) and ISO codes (pycountry)."""

from django.db import migrations

# A frozen copy of investments/europe.py: migrations must not change when app code does.
EU27 = [
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
]
# EEA outside the EU, the UK, Switzerland, the Western Balkans, Ukraine, Moldova, Türkiye, microstates.
OTHERS = [
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
]
# Kosovo has no ISO 3166 entry; XK/XKX are the codes the EU and the World Bank use.
NOT_IN_ISO = {"XK": "XKX"}


def english_name(territories, iso2):
    # CLDR writes "Bosnia & Herzegovina"; spell it out for a formal list.
    return territories[iso2].replace(" & ", " and ")


def seed(apps, schema_editor):
    import pycountry
    from babel import Locale

    Country = apps.get_model("investments", "Country")
    names = {lang: Locale(lang).territories for lang in ("en", "fr", "es", "de", "it")}
    for iso2 in EU27 + OTHERS:
        record = pycountry.countries.get(alpha_2=iso2)
        Country.objects.update_or_create(
            iso2=iso2,
            defaults={
                "iso3": record.alpha_3 if record else NOT_IN_ISO[iso2],
                "name": english_name(names["en"], iso2),
                "name_fr": names["fr"][iso2],
                "name_es": names["es"][iso2],
                "name_de": names["de"][iso2],
                "name_it": names["it"][iso2],
                "eu_member": iso2 in EU27,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("investments", "Country").objects.filter(iso2__in=EU27 + OTHERS).delete()


class Migration(migrations.Migration):
    dependencies = [("investments", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
