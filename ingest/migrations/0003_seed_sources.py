"""Seed the Source table from the declared feeds (data/sources.csv); `manage.py load_sources` re-syncs."""

from pathlib import Path

from django.conf import settings
from django.db import migrations

from ingest.parsers.sources import parse_sources


def seed_sources(apps, schema_editor):
    Source = apps.get_model("ingest", "Source")
    path = Path(settings.NEWS_SOURCES_PATH)
    if not path.is_file():
        return
    for record in parse_sources(path.read_bytes(), path.name):
        Source.objects.get_or_create(
            name=record.name,
            defaults={
                "kind": record.kind,
                "url": record.url,
                "language": record.language,
                "enabled": record.enabled,
                "poll_minutes": record.poll_minutes,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ingest", "0002_news")]

    operations = [migrations.RunPython(seed_sources, migrations.RunPython.noop)]
