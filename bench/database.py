"""The benchmark's PostgreSQL database: made once with `demo-data --households N` and reused by
every later run (the generator only adds households that are missing)."""

from __future__ import annotations

import os
import subprocess  # noqa: S404 - runs the portal's own flask commands
import sys
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

FLASK = str(Path(sys.executable).with_name("flask"))
TABLES = ("households", "people", "data_items", "sharing_events", "complaints", "copy_requests")


def ensure(url: str, households: int, env: dict[str, str]) -> None:
    """Creates the database if it is missing, migrates it, tops up the generated households
    and refreshes the planner's statistics when it added any."""
    _create(url)
    _flask(env, "migrate")
    if _generated(url) < households:
        print(f"Generating {households} households (once; this takes a while)...", flush=True)
        _flask(env, "demo-data", "--households", str(households))
        with connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


def counts(url: str) -> dict[str, int]:
    """How much data the run measured against."""
    with connect(url) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]  # noqa: S608 - fixed names
            for table in TABLES
        }


def _create(url: str) -> None:
    name = make_url(url).database
    with connect(url, database="postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _generated(url: str) -> int:
    with connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM households WHERE reference LIKE 'EH-L%%'"
        ).fetchone()
        return int(row[0]) if row else 0


def connect(url: str, database: str | None = None, autocommit: bool = False) -> psycopg.Connection:
    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=database or parsed.database,
        autocommit=autocommit,
    )


def _flask(env: dict[str, str], *arguments: str) -> None:
    subprocess.run(  # noqa: S603 - the portal's own command, fixed arguments
        [FLASK, "--app", "portal", *arguments],
        check=True,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
    )
