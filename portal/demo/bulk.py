"""Writing generated rows in bulk: PostgreSQL's COPY, which loads the benchmark's millions of
rows several times faster than INSERT; a plain many-row INSERT elsewhere.

Rows go through each column's own bind processing (encryption, enums, UTC timestamps), and
columns a row leaves out get their Python-side defaults, as an INSERT would give them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import psycopg
from sqlalchemy import Column, Table, insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session


def write_rows(db: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Adds `rows` (dicts with the same keys) to `table` in the session's transaction."""
    if not rows:
        return
    connection = db.connection()
    if connection.dialect.name != "postgresql":
        db.execute(insert(table), rows)
        return
    columns = [column for column in table.columns if column.name in rows[0] or _default(column)]
    prepare = [_preparer(column, connection.dialect) for column in columns]
    quote = connection.dialect.identifier_preparer
    names = ", ".join(quote.quote(column.name) for column in columns)
    statement = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
    raw = cast(psycopg.Connection[Any], connection.connection.dbapi_connection)
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([step(row) for step in prepare])


def _default(column: Column[Any]) -> bool:
    """Whether the database would not fill the column itself, but SQLAlchemy would."""
    return column.default is not None


def _preparer(column: Column[Any], dialect: Dialect) -> Callable[[dict[str, Any]], Any]:
    process = column.type.bind_processor(dialect) or (lambda value: value)
    default = column.default
    if default is not None and getattr(default, "is_callable", False):
        make = default.arg  # type: ignore[attr-defined]
    else:
        fixed = getattr(default, "arg", None)

        def make(_context: object) -> Any:
            return fixed

    def prepare(row: dict[str, Any]) -> Any:
        value = row[column.name] if column.name in row else make(None)
        return process(value)

    return prepare
