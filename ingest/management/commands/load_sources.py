"""`python manage.py load_sources [PATH]`: create or update the news sources declared in data/sources.csv."""

from django.core.management.base import BaseCommand, CommandError

from ingest import news
from ingest.parsers.sources import SourcesRefused


class Command(BaseCommand):
    help = "Create or update the news sources declared in a sources CSV (default: NEWS_SOURCES_PATH)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="The sources CSV (name, kind, url, language, enabled, poll_minutes)."
        )

    def handle(self, *args, **options):
        try:
            counts = news.load_sources(options["path"])
        except SourcesRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(f"sources refused, nothing changed: {len(refused.errors)} error(s)") from None
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"sources: {counts.get('created', 0)} created, {counts.get('updated', 0)} updated, "
            f"{counts.get('unchanged', 0)} unchanged, {counts.get('not_in_file', 0)} in the database only"
        )
