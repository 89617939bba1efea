"""The declarative base, and one engine and session factory per app.

Views get the request's session from `session()`; services take a session as
an argument and never reach for Flask themselves.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from portal.audit_keys import SESSION_INFO, AuditKeys
from portal.encryption import Keyring, install, keyring_from_config

# Statements that change nothing. A transaction that ran anything else wrote (WROTE, kept in
# its connection's info), and is never committed by `close_session`.
READS = ("SELECT", "BEGIN", "SAVEPOINT", "RELEASE")
WROTE = "portal_wrote"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def new_id() -> uuid.UUID:
    """Random identifiers, so a URL never hints at how many records exist."""
    return uuid.uuid4()


def make_engine(url: str, keyring: Keyring | None = None, **kwargs: Any) -> Engine:
    """An engine with the SQLite settings that make transactions behave as on PostgreSQL,
    and `keyring` for its encrypted columns (without one, reading or writing them fails).
    Errors and SQL logging never show a statement's parameters: they are personal data."""
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _make_sqlite_transactional(engine)
    else:
        # No JIT compiling: the portal's queries are short, and a misjudged plan's cost estimate
        # made PostgreSQL spend 6 ms compiling a query that then ran in 0.1 ms.
        options = {"options": "-c jit=off"}
        engine = create_engine(url, pool_pre_ping=True, connect_args=options, **kwargs)
    if keyring is not None:
        install(engine, keyring)
    _note_writes(engine)
    return engine


def _note_writes(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _execute(connection: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip()[:9].upper().startswith(READS):
            connection.info[WROTE] = True


def _make_sqlite_transactional(engine: Engine) -> None:
    # pysqlite opens transactions lazily and ignores SAVEPOINT semantics unless
    # we take over BEGIN ourselves (SQLAlchemy's documented recipe).
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


class Database:
    """The app's engine and session factory; tests may bind it to one connection. Every
    session carries `info` (the audit keys that chain its audit events)."""

    def __init__(self, url: str, keyring: Keyring, info: dict[str, Any] | None = None) -> None:
        self.keyring = keyring
        self.engine = make_engine(url, keyring)
        self.info = info or {}
        self.sessions = self._sessionmaker(bind=self.engine)

    def bind_to(self, connection: Connection) -> None:
        """Run every session inside `connection`'s transaction (per-test rollback)."""
        self.sessions = self._sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint"
        )

    def _sessionmaker(self, **options: Any) -> sessionmaker[Session]:
        """Sessions carrying `info`, whose every transaction starts having written nothing."""
        sessions = sessionmaker(expire_on_commit=False, info=self.info, **options)
        event.listen(sessions, "after_begin", _nothing_written_yet)
        return sessions


def _nothing_written_yet(_session: Session, _transaction: Any, connection: Connection) -> None:
    connection.info[WROTE] = False


def init_app(app: Flask) -> None:
    keys = AuditKeys.from_config(app.config)
    app.extensions["database"] = Database(
        app.config["DATABASE_URL"], keyring_from_config(app.config), {SESSION_INFO: keys}
    )
    app.teardown_appcontext(_close_session)


def database() -> Database:
    db: Database = current_app.extensions["database"]
    return db


def session() -> Session:
    """The session of the current request or app context, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    db_session: Session = g.db_session
    return db_session


def roll_back() -> None:
    """Undo whatever the current request's session began (portal/web/unavailable.py, when the
    database fails mid-request). On a lost connection there is nothing to undo: the server
    discarded the transaction, and the session only lets go of it."""
    db_session = g.get("db_session")
    if db_session is None:
        return
    try:
        db_session.rollback()
    except SQLAlchemyError:
        # Not even a rollback gets through: throw the connection away instead.
        db_session.invalidate()


def _close_session(_exc: BaseException | None) -> None:
    close_session()


def close_session() -> None:
    """Ends the current context's session, rolling back anything uncommitted.

    A transaction that only read ends with COMMIT instead, which changes nothing: after a
    ROLLBACK psycopg forgets the statements it has prepared on the connection, and PostgreSQL
    would parse and plan the portal's repeated queries afresh on every request."""
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    with suppress(SQLAlchemyError):  # a read that failed: closing rolls it back
        if only_read(db_session):
            db_session.commit()
    db_session.close()


def only_read(db_session: Session) -> bool:
    """Whether the session's open transaction ran nothing but reads, and holds no unsaved
    change that committing would flush."""
    if not db_session.in_transaction() or db_session.new or db_session.dirty or db_session.deleted:
        return False
    return db_session.connection().info.get(WROTE) is False
