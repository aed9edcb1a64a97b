from django.db import models

from investments.querysets import InvestmentQuerySet


class InvestmentCountQuerySet(models.QuerySet):
    # The company filter (InvestmentFilterSet.filter_company) selects these counts as it selects records.
    for_company_ids = InvestmentQuerySet.for_company_ids


class InvestmentCount(models.Model):
    """How many investments each company has in each country (no country: Europe-wide programmes).

    What an API list filtered by country and company counts, added up from a few rows instead of
    counted again at each request: at 1,000,000 records, counting Spain's 84,000 was most of what
    PostgreSQL spent on a cold list (docs/benchmarks.md). Not a cache: PostgreSQL keeps the rows
    itself, by triggers on investments_investment, in the transaction of every insert, update,
    delete or truncate, whoever makes it (ingest, admin, loaddata, SQL), so a count read in a
    transaction agrees with the rows that transaction sees. PostgreSQL only (migration 0008):
    investments.api.compiled reads it; SQLite counts its rows as they are.

    A restore that loads investments with triggers off (pg_restore --disable-triggers, or
    session_replication_role = replica as benchmarks/synthetic.py) then runs
    `SELECT investments_investmentcount_rebuild()`.
    """

    country = models.ForeignKey(
        "investments.Country", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    company = models.ForeignKey(
        "investments.Company", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    investments = models.BigIntegerField()

    objects = InvestmentCountQuerySet.as_manager()

    class Meta:
        managed = False  # the table and its triggers are PostgreSQL's own: migration 0008
        db_table = "investments_investmentcount"

    def __str__(self):
        return f"{self.company_id} in {self.country_id or 'Europe'}: {self.investments}"
