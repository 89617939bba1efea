"""Backups: a portable logical dump of every table, and its restore into an empty database.

The file is gzip-compressed JSON lines: a header (format, Alembic revision, tables), then
each table in foreign-key order (a line naming it and its columns, a line per row), then the
row counts. Values are copied as stored (portal/services/stored_rows.py), so encrypted
columns stay encrypted and the audit chain verifies on the restored database.

Callers: `flask --app portal backup FILE` and `flask --app portal restore FILE`.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text

from portal.db import Base
from portal.services.backup_load import BackupError, Loader, check_empty_at
from portal.services.stored_rows import stored, to_json

FORMAT = "family-data-portal-backup"
VERSION = 1
BATCH = 1000

__all__ = ["BackupError", "restore_backup", "write_backup"]


def write_backup(engine: Engine, path: Path) -> dict[str, int]:
    """Writes a new file (mode 0600) from one snapshot of the database; rows per table."""
    if path.exists():
        raise BackupError(f"{path} exists: choose a new file name.")
    partial = path.with_name(path.name + ".partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as error:
        raise BackupError(f"{partial} exists (an earlier backup stopped?): remove it.") from error
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb") as out,
            _snapshot(engine) as connection,
        ):
            counts = _dump(connection, out)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One transaction that sees one moment (SQLite's transactions always do)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            yield connection


def _dump(connection: Connection, out: gzip.GzipFile) -> dict[str, int]:
    def write(item: object) -> None:
        out.write(json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n")

    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    tables = [stored(table) for table in Base.metadata.sorted_tables]
    write({"format": FORMAT, "version": VERSION, "revision": revision})
    counts: dict[str, int] = {}
    for table in tables:
        write({"table": table.name, "columns": [column.name for column in table.columns]})
        rows = connection.execution_options(yield_per=BATCH).execute(
            select(table).order_by(*table.primary_key.columns)
        )
        counts[table.name] = 0
        for row in rows:
            write([to_json(value) for value in row])
            counts[table.name] += 1
    write({"counts": counts})
    return counts


def restore_backup(engine: Engine, path: Path) -> dict[str, int]:
    """Loads the file into an empty database migrated to the backup's revision, in one
    transaction: a failure leaves the database as empty as it was. Rows per table."""
    with engine.begin() as connection:
        try:
            with gzip.open(path, "rb") as packed:
                lines = (json.loads(line) for line in packed)
                header = next(lines, None)
                if not isinstance(header, dict) or header.get("format") != FORMAT:
                    raise BackupError(f"{path} is not a backup of this portal.")
                check_empty_at(connection, header["revision"])
                return Loader(connection, BATCH).load(lines)
        except (OSError, EOFError, ValueError, KeyError, TypeError) as error:
            raise BackupError(f"{path} is not a complete backup: {error}") from error
