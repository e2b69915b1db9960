"""Fast inserts for large seeds: PostgreSQL COPY and id pre-allocation.

COPY bypasses save(), signals and model validation; callers pass rows that are already
consistent (MPTT columns, polymorphic content types, denormalised keys) and check the result.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY `rows` into `table`; columns left out take their database defaults."""
    count = 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reserve_ids(table: str, count: int) -> list[int]:
    """`count` fresh ids from the table's id sequence, so rows can reference each other
    before they are inserted."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]
