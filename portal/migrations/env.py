"""Alembic environment: the URL comes from portal.migrate or the DATABASE_URL variable."""

from __future__ import annotations

import os
from typing import Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

import portal.models  # noqa: F401  (registers every table on Base.metadata)
from portal.config import DEFAULT_DATABASE_URL
from portal.db import Base, make_engine
from portal.models.columns import UtcDateTime

config = context.config
database_url = config.attributes.get("database_url") or os.environ.get(
    "DATABASE_URL", DEFAULT_DATABASE_URL
)


def render_item(type_: str, obj: object, _context: AutogenContext) -> str | Literal[False]:
    """Migrations name plain SQLAlchemy types, never the app's own, so they never break."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=database_url,
        target_metadata=Base.metadata,
        literal_binds=True,
        render_item=render_item,
        render_as_batch=database_url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite's batch mode copies and drops tables, which foreign keys would forbid
            # once rows refer to them. The pragma only works outside a transaction.
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_item=render_item,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
