"""`python manage.py poll_feeds [--source NAME] [--url FEED_URL]`: the function the poll task calls."""

from django.core.management.base import BaseCommand, CommandError

from ingest import news
from ingest.fetch import TransientFetchError
from ingest.models import IngestRun, Source


class Command(BaseCommand):
    help = (
        "Poll news feeds now and read their new articles: every enabled source, the named ones "
        "(--source), only those due (--due), or a feed that is not a source (--url)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", default=[], metavar="NAME", help="A source's name.")
        parser.add_argument("--due", action="store_true", help="Only the sources whose interval has elapsed.")
        parser.add_argument("--url", help="Poll this feed once without saving it as a source.")
        parser.add_argument("--kind", choices=Source.Kind.values, default=Source.Kind.RSS, help="With --url.")
        parser.add_argument("--language", default="", help="With --url: the articles' language, if known.")

    def handle(self, *args, **options):
        if options["url"]:
            sources = [
                Source(
                    name=options["url"],
                    url=options["url"],
                    kind=options["kind"],
                    language=options["language"],
                )
            ]
        elif options["source"]:
            sources = list(Source.objects.filter(name__in=options["source"]))
            unknown = set(options["source"]) - {s.name for s in sources}
            if unknown:
                raise CommandError(f"no source named {', '.join(sorted(unknown))}")
        elif options["due"]:
            sources = news.due_sources()
        else:
            sources = list(Source.objects.filter(enabled=True))
        failed = 0
        for source in sources:
            try:
                run = news.poll_source(source)
            except TransientFetchError as exc:
                failed += 1
                self.stderr.write(f"{source.name}: {exc} (transient: try again later)")
                continue
            if run.status != IngestRun.Status.SUCCEEDED:
                failed += 1
                self.stderr.write(f"{source.name}: {'; '.join(run.errors)}")
                continue
            self.stdout.write(f"{source.name}: {news.summary(run.counts)}")
            for error in run.errors:
                self.stdout.write(self.style.WARNING(f"  {error}"))
        if failed:
            raise CommandError(f"{failed} of {len(sources)} source(s) failed")
