"""PostgreSQL's planner statistics, refreshed once a dataset load has committed.

PostgreSQL plans by the statistics that autovacuum gathers some time after a large change: until
then, a freshly loaded dataset is planned as the few rows the statistics last saw. The firm totals
of 2,000 just-loaded records then took 1.8 s instead of 3 ms (a nested loop that aggregated every
source again for each record), and /api/v1/stats/ answered in seconds for the first minute after
each load (`python -m benchmarks load`, docs/reliability.md).
"""

import logging

from django.db import DatabaseError, connection, transaction

from investments.models import Announcement, Company, Investment, Outlet, Overlap, Site

logger = logging.getLogger(__name__)

# What a dataset load writes (ingest.load, ingest.sites): the tables the totals and lists read.
LOADED = (
    Company,
    Investment,
    Investment.countries.through,
    Investment.supersedes.through,
    Announcement,
    Announcement.investments.through,
    Outlet,
    Overlap,
    Site,
    Site.investments.through,
)


def refresh_statistics() -> None:
    """ANALYZE the loaded tables (PostgreSQL; SQLite plans without them). The load has committed by
    then: a failure here is logged, never turned into a failed run."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in LOADED)
    try:
        with transaction.atomic(), connection.cursor() as cursor:  # a failure undoes this alone
            cursor.execute(f"ANALYZE {tables}")
    except DatabaseError:
        logger.warning(
            "ANALYZE after the dataset load failed; autovacuum will gather the statistics", exc_info=True
        )
