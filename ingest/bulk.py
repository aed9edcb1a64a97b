"""Inserting many rows fast: COPY on PostgreSQL, bulk_create elsewhere (SQLite in development)."""

from django.db import connection

BATCH = 2000


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert `rows` (tuples in `columns` order, attribute names such as company_id) into `model`'s table."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        quoted = ", ".join(
            connection.ops.quote_name(model._meta.get_field(c).column if not c.endswith("_id") else c)
            for c in columns
        )
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH
    )
