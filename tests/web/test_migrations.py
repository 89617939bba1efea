"""The migrations build the schema the models describe, from empty, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import portal.models  # noqa: F401
from portal.db import Base, make_engine
from portal.demo.household import DEMO_ACCOUNTS
from portal.migrate import MIGRATIONS, downgrade, upgrade
from tests.databases import NO_POSTGRES, POSTGRES_URL, empty_database

KINDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)),
]


@pytest.mark.parametrize("kind", KINDS)
def test_upgrade_from_empty_matches_the_models(kind: str, tmp_path: Path) -> None:
    with empty_database(kind, tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        engine.dispose()
        assert differences == []


@pytest.mark.parametrize("kind", KINDS)
def test_downgrade_to_empty_and_up_again(kind: str, tmp_path: Path) -> None:
    with empty_database(kind, tmp_path) as url:
        upgrade(url)
        downgrade(url, "base")
        engine = make_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        upgrade(url)


def test_migrations_are_numbered_in_sequence() -> None:
    names = sorted(path.name for path in (MIGRATIONS / "versions").glob("*.py"))
    assert [name[:4] for name in names] == [f"{n:04d}" for n in range(1, len(names) + 1)]


@pytest.mark.parametrize("kind", KINDS)
def test_downgrade_and_upgrade_again_with_the_demo_data_in_place(kind: str, tmp_path: Path) -> None:
    """Migrations that rebuild tables (SQLite's batch mode) must work on tables other rows
    refer to, not only on an empty database."""
    from tests.databases import migrate_and_load_demo

    with empty_database(kind, tmp_path) as url:
        migrate_and_load_demo(url)
        downgrade(url, "0003")
        upgrade(url)
        engine = make_engine(url)
        with engine.connect() as connection:
            accounts = connection.exec_driver_sql("SELECT count(*) FROM accounts").scalar()
        engine.dispose()
        assert accounts == len(DEMO_ACCOUNTS)


@pytest.mark.parametrize("kind", KINDS)
def test_the_database_accepts_every_value_of_every_enum(kind: str, tmp_path: Path) -> None:
    """CHECK constraints on enum columns are written by hand when an enum grows (autogenerate
    cannot see them): a value the code has and the database refuses would fail only in use."""
    from sqlalchemy import Enum

    with empty_database(kind, tmp_path) as url:
        upgrade(url)
        engine = make_engine(url)
        inspector = inspect(engine)
        missing = []
        for table in Base.metadata.sorted_tables:
            checks = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
            for column in table.columns:
                if isinstance(column.type, Enum):
                    sql = checks.get(f"ck_{table.name}_{column.type.name}", "")
                    missing += [
                        f"{table.name}.{column.name}={value}"
                        for value in column.type.enums
                        if f"'{value}'" not in sql
                    ]
        engine.dispose()
        assert missing == []
