"""Every periodic task, in one place. Times are UTC."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The ECB publishes reference rates around 16:00 CET on TARGET business days.
    "refresh-fx-history": {
        "task": "ingest.tasks.refresh_fx",
        "schedule": crontab(hour=16, minute=30, day_of_week="mon-fri"),
    },
    # Each news source carries its own interval (Source.poll_minutes, at least 5); this tick only
    # enqueues the sources that are due, so five minutes is the finest interval that takes effect.
    "poll-due-news-sources": {
        "task": "ingest.tasks.poll_due_sources",
        "schedule": crontab(minute="*/5"),
    },
    # A run whose worker died stays `running` until its message is delivered again, forever if that
    # message is lost: runs older than any task may run are closed as failed.
    "close-abandoned-ingest-runs": {
        "task": "ingest.tasks.close_abandoned_runs",
        "schedule": crontab(minute="7,37"),
    },
}
