"""`python manage.py refresh_indicators [DIR]`: rewrite data/indicators.csv from Eurostat's API."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingest.fetch import FetchError
from ingest.indicators import FILE_NAME, refresh_indicators
from ingest.parsers.indicators import IndicatorsRefused


class Command(BaseCommand):
    help = (
        "Fetch population (demo_pjan) and GDP (nama_10_gdp) from Eurostat and rewrite indicators.csv; "
        "load it with `manage.py ingest`."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="The dataset directory (default: DATASET_DIR).")

    def handle(self, *args, **options):
        directory = Path(options["directory"] or settings.DATASET_DIR)
        try:
            with_population, with_gdp = refresh_indicators(directory)
        except FetchError as exc:
            raise CommandError(
                f"could not reach Eurostat ({exc}); {directory / FILE_NAME} is unchanged"
            ) from None
        except IndicatorsRefused as refused:
            raise CommandError(
                f"Eurostat's answer or {FILE_NAME} refused, nothing written: {refused}"
            ) from None
        self.stdout.write(
            f"{directory / FILE_NAME}: {with_population} countries with a population, {with_gdp} with a GDP"
        )
