"""Backups: the demo database backed up and restored into a fresh one has every row as it
was stored, its audit chain verifies, and new rows (and audit events) follow on."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Engine, select

from portal import create_app
from portal.config import for_tests
from portal.db import Base
from portal.migrate import upgrade
from portal.models import DataItem
from portal.services.audit import record_event
from portal.services.stored_rows import stored
from tests.databases import empty_database, migrate_and_load_demo, run_database_kind


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A demo database where one item was replaced by a later one (a table whose rows refer
    to each other), and its backup, made with the command."""
    folder = tmp_path_factory.mktemp("backup")
    with empty_database(run_database_kind(), folder) as url:
        migrate_and_load_demo(url)
        app = create_app(for_tests(url))
        with app.extensions["database"].sessions() as session:
            first, second = session.scalars(select(DataItem).order_by(DataItem.id).limit(2))
            first.replaced_by_id = second.id
            session.commit()
        result = app.test_cli_runner().invoke(args=["backup", str(folder / "portal.backup")])
        app.extensions["database"].engine.dispose()
        assert result.exit_code == 0, result.output
        yield url, folder / "portal.backup"


@pytest.fixture
def backed_up(source: tuple[str, Path]) -> Path:
    return source[1]


@pytest.fixture
def fresh_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on a new database, migrated and empty."""
    with empty_database(run_database_kind(), tmp_path) as url:
        upgrade(url)
        app = create_app(for_tests(url))
        yield app
        app.extensions["database"].engine.dispose()


def stored_rows(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as connection:
        return {
            table.name: connection.execute(
                select(stored(table)).order_by(*stored(table).primary_key)
            ).all()
            for table in Base.metadata.sorted_tables
        }


def test_a_backup_restores_every_row_as_stored_and_the_chain_verifies(
    source: tuple[str, Path], fresh_app: Flask
) -> None:
    source_url, backed_up = source
    assert stat.S_IMODE(backed_up.stat().st_mode) == 0o600
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["restore", str(backed_up)])
    assert result.exit_code == 0, result.output

    original = create_app(for_tests(source_url)).extensions["database"].engine
    assert stored_rows(fresh_app.extensions["database"].engine) == stored_rows(original)
    original.dispose()
    verified = runner.invoke(args=["verify-audit"])
    assert verified.exit_code == 0 and "Audit chain OK" in verified.output

    with fresh_app.extensions["database"].sessions() as session:
        record_event(session, actor=None, action="test.after_restore")
        session.commit()
    assert runner.invoke(args=["verify-audit"]).exit_code == 0


def test_restore_refuses_a_database_that_is_not_empty(backed_up: Path, fresh_app: Flask) -> None:
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["restore", str(backed_up)]).exit_code == 0
    again = runner.invoke(args=["restore", str(backed_up)])
    assert again.exit_code == 1 and "The database is not empty" in again.output


def test_backup_never_overwrites_a_file(source: tuple[str, Path]) -> None:
    source_url, backed_up = source
    app = create_app(for_tests(source_url))
    result = app.test_cli_runner().invoke(args=["backup", str(backed_up)])
    app.extensions["database"].engine.dispose()
    assert result.exit_code == 1 and "exists: choose a new file name" in result.output
