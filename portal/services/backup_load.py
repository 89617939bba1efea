"""Loading a backup's rows (portal/services/backup.py): into an empty database migrated to
the backup's revision, parents before children, a batch at a time. A table that refers to
itself gets those references after all its rows are in; PostgreSQL's sequences are moved
past the restored keys so new rows do not collide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Integer, Table, bindparam, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from portal.db import Base
from portal.services.audit_chain import CHAIN
from portal.services.stored_rows import from_json, stored


class BackupError(Exception):
    """A backup that cannot be written or restored, said so the operator can act."""


def check_empty_at(connection: Connection, revision: str) -> None:
    """Refuses a database that is not migrated to `revision` or already has rows, then makes
    way for the backup's chain row (the migration writes one)."""
    try:
        current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError as error:
        raise BackupError(
            "The database is not migrated: run `flask --app portal migrate`."
        ) from error
    if current != revision:
        raise BackupError(
            f"The backup is at revision {revision}, the database at {current}: restore with "
            "the portal version the backup came from, then migrate."
        )
    filled = [
        table.name
        for table in Base.metadata.sorted_tables
        if table is not CHAIN
        and connection.execute(select(func.count()).select_from(table)).scalar()
    ]
    if filled or connection.execute(select(CHAIN.c.tail_position)).scalar():
        raise BackupError(
            "The database is not empty: restore only into a new database, after "
            f"`flask --app portal migrate` (rows found in {', '.join(filled) or 'audit_chain'})."
        )
    connection.execute(delete(CHAIN))


class Loader:
    """Inserts the rows that follow each table's line, in batches."""

    def __init__(self, connection: Connection, batch: int) -> None:
        self.connection, self.batch = connection, batch
        self.counts: dict[str, int] = {}
        self.table: Table | None = None
        self.own: list[str] = []
        self.rows: list[dict[str, Any]] = []
        self.later: list[dict[str, Any]] = []

    def load(self, lines: Iterable[Any]) -> dict[str, int]:
        for line in lines:
            if isinstance(line, list):
                self._add(line)
            elif "table" in line:
                self._finish_table()
                self._start(line["table"], line["columns"])
            elif "counts" in line:
                self._finish_table()
                if line["counts"] != self.counts:
                    raise BackupError("The backup's row counts do not match its rows.")
                if self.connection.dialect.name == "postgresql":
                    self._move_sequences()
                return self.counts
        raise BackupError("The backup ends early (no row counts at its end).")

    def _start(self, name: str, columns: list[str]) -> None:
        model_table = Base.metadata.tables[name]
        self.table = stored(model_table)
        if columns != [column.name for column in self.table.columns]:
            raise BackupError(f"The backup's columns of {name} are not this portal's.")
        self.counts[name] = 0
        self.own = [
            key.parent.name for key in model_table.foreign_keys if key.column.table is model_table
        ]

    def _add(self, values: list[Any]) -> None:
        assert self.table is not None, "rows before any table"
        row = {
            column.name: from_json(column.type, value)
            for column, value in zip(self.table.columns, values, strict=True)
        }
        if any(row[name] is not None for name in self.own):
            self.later.append({**self._key(row), **{f"new_{n}": row[n] for n in self.own}})
            row.update(dict.fromkeys(self.own))
        self.rows.append(row)
        self.counts[self.table.name] += 1
        if len(self.rows) >= self.batch:
            self._insert()

    def _key(self, row: dict[str, Any]) -> dict[str, Any]:
        assert self.table is not None
        return {f"key_{column.name}": row[column.name] for column in self.table.primary_key}

    def _insert(self) -> None:
        if self.rows and self.table is not None:
            self.connection.execute(self.table.insert(), self.rows)
        self.rows = []

    def _finish_table(self) -> None:
        """The table's last rows, then the references its rows make to each other."""
        self._insert()
        if self.later and self.table is not None:
            table = self.table
            statement = (
                update(table)
                .where(*(c == bindparam(f"key_{c.name}") for c in table.primary_key))
                .values({name: bindparam(f"new_{name}") for name in self.own})
            )
            self.connection.execute(statement, self.later)
        self.later = []

    def _move_sequences(self) -> None:
        """Each serial key's sequence continues after the largest restored key."""
        for table in Base.metadata.sorted_tables:
            for column in table.primary_key:
                if not isinstance(column.type, Integer):
                    continue
                following = select(func.coalesce(func.max(column), 0) + 1).scalar_subquery()
                sequence = func.pg_get_serial_sequence(table.name, column.name)
                self.connection.execute(select(func.setval(sequence, following, False)))
