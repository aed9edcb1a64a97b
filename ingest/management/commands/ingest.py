"""`python manage.py ingest dataset [PATH]` and `ingest fx`: the same functions the Celery tasks call."""

import sys

from django.core.management.base import BaseCommand, CommandError

from ingest import dataset_pipeline, fx
from ingest.sites import site_changes


class ProgressBar:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, stream):
        self.stream = stream
        self.active = stream.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.active or not total:
            return
        filled = int(30 * done / total)
        self.stream.write(f"\r{stage:<14} [{'#' * filled}{'.' * (30 - filled)}] {done:>9,}/{total:,}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Run an ingest pipeline: 'dataset [PATH]' loads the curated CSV dataset; 'fx' refreshes ECB rates."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="pipeline", required=True)
        dataset = sub.add_parser("dataset", help="Validate and load the curated dataset (default: data/).")
        dataset.add_argument("path", nargs="?", help="A dataset folder, or its investments.csv.")
        sub.add_parser("fx", help="Fetch the ECB reference-rate history (needs the network).")

    def handle(self, *args, **options):
        if options["pipeline"] == "fx":
            run = fx.refresh_fx_history()
            self.stdout.write(f"FX history refreshed: {run.counts}")
            return
        try:
            run = dataset_pipeline.ingest_dataset(options["path"], progress=ProgressBar(sys.stderr))
        except dataset_pipeline.DatasetRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(f"dataset refused, nothing changed: {len(refused.errors)} error(s)") from None
        c = run.counts
        changed = (
            c["created"]
            or c["updated"]
            or c["withdrawn"]
            or c["announcements_created"]
            or c["announcements_updated"]
            or c["companies_created"]
            or c["companies_updated"]
            or site_changes(c)
        )
        self.stdout.write(
            f"investments: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged, "
            f"{c['withdrawn']} withdrawn, 0 rejected; sources: {c['announcements_created']} created, "
            f"{c['announcements_updated']} updated, {c['announcements_unchanged']} unchanged"
        )
        if "sites_created" in c:
            self.stdout.write(
                f"sites: {c['sites_created']} created, {c['sites_updated']} updated, "
                f"{c['sites_unchanged']} unchanged; {c['site_links_changed']} links and "
                f"{c['capacities_changed']} capacities changed"
            )
        for note in run.errors:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write("nothing changed" if not changed else self.style.SUCCESS("dataset loaded"))
