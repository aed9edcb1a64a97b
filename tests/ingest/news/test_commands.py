"""`manage.py poll_feeds` and `manage.py load_sources` call the pipeline functions the tasks call."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ingest.models import Article, IngestRun, Source
from ingest.parsers.sources import parse_sources
from tests.factories import SourceFactory
from tests.ingest.news.conftest import Reply
from tests.ingest.news.test_news import RSS, rss, text_of

pytestmark = pytest.mark.django_db


def test_sources_declared_in_data_are_seeded(settings):
    from pathlib import Path

    declared = parse_sources(Path(settings.NEWS_SOURCES_PATH).read_bytes())
    assert set(Source.objects.values_list("name", flat=True)) >= {r.name for r in declared}


def test_poll_feeds_polls_the_named_source(server, source, companies, capsys):
    server.serve("/feed.xml", Reply(rss(server, "/articles/aws-france"), content_type=RSS))
    server.serve("/articles/aws-france", Reply(text_of("aws-france.html")))
    call_command("poll_feeds", "--source", "Local Wire")
    assert "Local Wire: OK: 1 items, 1 new articles" in capsys.readouterr().out
    assert IngestRun.objects.get().source == "Local Wire"
    assert Article.objects.get().source == source


def test_poll_feeds_polls_every_enabled_source_by_default(server, source, companies):
    SourceFactory(name="Off", url=server.url("/off.xml"), enabled=False)
    server.serve("/feed.xml", Reply(rss(server), content_type=RSS))
    call_command("poll_feeds")
    assert list(IngestRun.objects.values_list("source", flat=True)) == ["Local Wire"]


def test_poll_feeds_with_a_url_reads_a_feed_that_is_not_a_source(server, companies):
    Source.objects.all().delete()
    server.serve("/other.xml", Reply(rss(server, "/articles/aws-france"), content_type=RSS))
    server.serve("/articles/aws-france", Reply(text_of("aws-france.html")))
    call_command("poll_feeds", "--url", server.url("/other.xml"))
    assert not Source.objects.exists()
    assert Article.objects.get().source is None


def test_poll_feeds_fails_on_an_unknown_source_or_a_failed_feed(server, source):
    with pytest.raises(CommandError, match="no source named Nowhere"):
        call_command("poll_feeds", "--source", "Nowhere")
    with pytest.raises(CommandError, match="1 of 1 source"):
        call_command("poll_feeds", "--source", "Local Wire")  # 404


def test_load_sources_creates_then_updates_by_name(tmp_path, capsys):
    Source.objects.all().delete()
    path = tmp_path / "sources.csv"
    path.write_text(
        "name,kind,url,language,enabled,poll_minutes\nWire,rss,https://wire.example/feed,en,yes,30\n"
    )
    call_command("load_sources", str(path))
    assert "1 created" in capsys.readouterr().out
    Source.objects.filter(name="Wire").update(etag='"x"')
    path.write_text(
        "name,kind,url,language,enabled,poll_minutes\nWire,atom,https://wire.example/atom,en,no,60\n"
    )
    call_command("load_sources", str(path))
    wire = Source.objects.get(name="Wire")
    assert (wire.kind, wire.url, wire.enabled, wire.poll_minutes, wire.etag) == (
        "atom",
        "https://wire.example/atom",
        False,
        60,
        "",
    )
    call_command("load_sources", str(path))
    assert "1 unchanged" in capsys.readouterr().out


def test_load_sources_refuses_an_invalid_file_and_changes_nothing(tmp_path):
    Source.objects.all().delete()
    path = tmp_path / "sources.csv"
    path.write_text(
        "name,kind,url,language,enabled,poll_minutes\nGood,rss,https://a.example/f,en,yes,30\nBad,rss,nope,en,yes,30\n"
    )
    with pytest.raises(CommandError, match="nothing changed"):
        call_command("load_sources", str(path))
    assert not Source.objects.exists()
