"""Refreshing the ECB reference-rate history: fetch -> parse (check it is a rate table) -> swap in."""

import os
import tempfile
from pathlib import Path

from django.conf import settings

from ingest.fetch import fetch
from ingest.models import IngestRun
from investments.money import RateTable, rate_table


def refresh_fx_history(task_id: str = "") -> IngestRun:
    """Fetch the ECB's eurofxref-hist.zip and use it from now on, if it parses; record the run."""
    run = IngestRun.objects.start("fx", settings.FX_HISTORY_URL, task_id)
    target = Path(settings.FX_HISTORY_PATH)
    try:
        # The operator's own setting, not a link from a feed: it may name a mirror on the private network.
        fetched = fetch(settings.FX_HISTORY_URL, timeout=60, max_bytes=20 * 1024 * 1024, allow_private=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, suffix=".zip")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(fetched.body)
            table = RateTable.from_zip(Path(temp))  # refuse a file that is not a rate history
            os.replace(temp, target)
        finally:
            Path(temp).unlink(missing_ok=True)
        rate_table.cache_clear()
    except Exception as exc:
        run.finish(IngestRun.Status.FAILED, errors=[f"{type(exc).__name__}: {exc}"])
        raise
    run.finish(IngestRun.Status.SUCCEEDED, counts={"days": len(table.days), "last": str(table.last_day)})
    return run
