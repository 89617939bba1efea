"""Empty databases for tests: a SQLite file, or a fresh database on TEST_DATABASE_URL's server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, create_engine, make_url, text

from portal import create_app
from portal.config import TEST_KEYS, for_tests
from portal.db import Database, make_engine
from portal.encryption import keyring_from_config
from tests.pages import CheckingClient

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or None
NO_POSTGRES = "PostgreSQL not configured: set TEST_DATABASE_URL (make test does in CI)"


def run_database_kind() -> str:
    return "postgresql" if POSTGRES_URL else "sqlite"


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[str]:
    """Yields the URL of a new, empty database of `kind`, and removes it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'portal-{uuid.uuid4().hex[:8]}.db'}"
        return
    assert POSTGRES_URL, NO_POSTGRES
    name = f"portal_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def keyed_engine(url: str) -> Engine:
    """An engine of its own (for races between sessions) with the test suite's keys."""
    return make_engine(url, keyring_from_config(TEST_KEYS))


def use_test_settings(monkeypatch: Any) -> None:
    """For tests of settings read from the environment: the suite's keys and host there."""
    for name, value in TEST_KEYS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TRUSTED_HOSTS", "localhost")
    monkeypatch.setenv("AUDIT_HMAC_KEY", "production-like-audit-key-0123456789")


def migrate_and_load_demo(url: str) -> None:
    """Upgrade an empty database to head and load the demo data with the real command."""
    from portal import create_app
    from portal.config import for_tests
    from portal.migrate import upgrade

    upgrade(url)
    app = create_app(for_tests(url))
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    app.extensions["database"].engine.dispose()


@contextmanager
def rolled_back_app(database_url: str, settings: dict[str, Any]) -> Iterator[Flask]:
    """An app whose every session runs inside one transaction, rolled back afterwards,
    with `settings` on top of the test settings."""
    app = create_app({**for_tests(database_url), **settings})
    app.test_client_class = CheckingClient
    database: Database = app.extensions["database"]
    connection = database.engine.connect()
    transaction = connection.begin()
    database.bind_to(connection)
    try:
        yield app
    finally:
        transaction.rollback()
        connection.close()
        database.engine.dispose()
