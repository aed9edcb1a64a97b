"""The investment counts per country and company (investments.models.InvestmentCount), kept by PostgreSQL.

Statement-level triggers with transition tables: a load of 10,000 rows updates each (country, company)
count once, not 10,000 times, and an update that moves no record between countries or companies writes
nothing. The counts are changed in ascending key order, so that two loads running at once lock them in
the same order and wait for each other instead of deadlocking. SQLite gets no table: it counts its rows.
"""

from django.db import migrations, models

TABLE = "investments_investmentcount"

# The change a statement made, as (country_id, company_id, +1 or -1) rows, by the statement's kind.
CHANGES = {
    "INSERT": "SELECT country_id, company_id, 1 AS n FROM added",
    "DELETE": "SELECT country_id, company_id, -1 AS n FROM removed",
    "UPDATE": "SELECT country_id, company_id, 1 AS n FROM added "
    "UNION ALL SELECT country_id, company_id, -1 FROM removed",
}

CREATE = f"""
CREATE TABLE {TABLE} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    country_id bigint,
    company_id bigint NOT NULL,
    investments bigint NOT NULL,
    CONSTRAINT {TABLE}_key UNIQUE NULLS NOT DISTINCT (country_id, company_id)
);

CREATE FUNCTION {TABLE}_rebuild() RETURNS void LANGUAGE sql AS $$
    DELETE FROM {TABLE};
    INSERT INTO {TABLE} (country_id, company_id, investments)
    SELECT country_id, company_id, count(*) FROM investments_investment GROUP BY 1, 2;
$$;

CREATE FUNCTION {TABLE}_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    lowest bigint;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {TABLE};
        RETURN NULL;
    END IF;
    -- Each changed count by its net change, rising or falling; the lowest count it leaves tells
    -- whether one fell to zero (its row goes) or below (the counts were not kept: refuse).
    EXECUTE 'WITH applied AS (INSERT INTO {TABLE} AS kept (country_id, company_id, investments) '
        'SELECT country_id, company_id, sum(n) FROM ('
        || CASE TG_OP WHEN 'INSERT' THEN '{CHANGES["INSERT"]}'
                      WHEN 'DELETE' THEN '{CHANGES["DELETE"]}'
                      ELSE '{CHANGES["UPDATE"]}' END
        || ') AS changed GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2 '
        'ON CONFLICT (country_id, company_id) DO UPDATE SET investments = kept.investments + EXCLUDED.investments '
        'RETURNING kept.investments) SELECT min(investments) FROM applied'
        INTO lowest;
    IF lowest < 0 THEN
        RAISE EXCEPTION '{TABLE} fell below zero: the counts were not kept (loaded with triggers off?)'
            USING HINT = 'SELECT {TABLE}_rebuild();';
    ELSIF lowest = 0 THEN
        DELETE FROM {TABLE} WHERE investments = 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER {TABLE}_insert AFTER INSERT ON investments_investment
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_apply();
CREATE TRIGGER {TABLE}_update AFTER UPDATE ON investments_investment
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_apply();
CREATE TRIGGER {TABLE}_delete AFTER DELETE ON investments_investment
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_apply();
CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON investments_investment
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_apply();

SELECT {TABLE}_rebuild();
"""  # noqa: S608 - this module's constants only

DROP = f"""
DROP TRIGGER IF EXISTS {TABLE}_insert ON investments_investment;
DROP TRIGGER IF EXISTS {TABLE}_update ON investments_investment;
DROP TRIGGER IF EXISTS {TABLE}_delete ON investments_investment;
DROP TRIGGER IF EXISTS {TABLE}_truncate ON investments_investment;
DROP FUNCTION IF EXISTS {TABLE}_apply();
DROP FUNCTION IF EXISTS {TABLE}_rebuild();
DROP TABLE IF EXISTS {TABLE};
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("investments", "0007_country_indicators"),
    ]

    operations = [
        migrations.CreateModel(
            name="InvestmentCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("investments", models.BigIntegerField()),
            ],
            options={
                "db_table": TABLE,
                "managed": False,
            },
        ),
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP)),
    ]
