"""Writing many rows fast: COPY on PostgreSQL, bulk_create / bulk_update elsewhere (SQLite in development).

Rows are plain tuples in the order of the columns given (attribute names such as company_id): building
a model instance per row costs more than the database does.
"""

from django.db import connection, transaction

BATCH = 2000


def column_names(model, columns) -> list[str]:
    return [
        connection.ops.quote_name(model._meta.get_field(c).column if not c.endswith("_id") else c)
        for c in columns
    ]


def copy_rows(cursor, table: str, columns: str, rows) -> None:
    with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert `rows` into `model`'s table."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_rows(cursor, model._meta.db_table, ", ".join(column_names(model, columns)), rows)
        return
    model.objects.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH
    )


def update_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Set `columns` of existing rows; each row is (pk, *values in `columns` order).

    On PostgreSQL the rows are copied into a temporary table and applied with one UPDATE ... FROM:
    bulk_update's CASE WHEN statements grow with the batch and cost seconds for a few thousand rows.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(
            [model(pk=row[0], **dict(zip(columns, row[1:], strict=True))) for row in rows],
            list(columns),
            batch_size=500,
        )
        return
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    names = column_names(model, columns)
    # Every name below is a quoted identifier from the model's metadata; values travel through COPY.
    # In a transaction of its own if the caller has none: the temporary table lives until commit.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bulk_update_rows")
        # The temporary table copies the target's column types, so COPY converts as it would there.
        cursor.execute(
            f"CREATE TEMPORARY TABLE bulk_update_rows ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {pk} AS pk_, {', '.join(names)} FROM {table} WITH NO DATA"
        )
        copy_rows(cursor, "bulk_update_rows", ", ".join(["pk_", *names]), rows)
        assignments = ", ".join(f"{name} = bulk_update_rows.{name}" for name in names)
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM bulk_update_rows "  # noqa: S608
            f"WHERE {table}.{pk} = bulk_update_rows.pk_"
        )
        cursor.execute("DROP TABLE bulk_update_rows")
