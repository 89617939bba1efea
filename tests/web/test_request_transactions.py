"""How a request's transaction ends: one that only read is committed, which changes nothing
and keeps the statements psycopg prepared on the connection; one that wrote and did not
commit is rolled back, whatever way it wrote."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from portal import create_app, db
from portal.config import for_tests
from portal.models import Partner
from portal.vocabulary import PartnerKind
from tests.databases import POSTGRES_URL

POLICE = "west-mercia-police"
NEW_NAME = "Renamed but never saved"


def police(session: Session) -> Partner:
    partner = session.scalar(select(Partner).where(Partner.code == POLICE))
    assert partner is not None
    return partner


def rename_with_flush() -> None:
    police(db.session()).name_en = NEW_NAME
    db.session().flush()


def rename_in_memory() -> None:
    police(db.session()).name_en = NEW_NAME


def rename_with_a_statement() -> None:
    db.session().execute(update(Partner).where(Partner.code == POLICE).values(name_en=NEW_NAME))


def add_with_flush() -> None:
    names = {"name_en": NEW_NAME, "name_cy": "x", "description_en": "x", "description_cy": "x"}
    db.session().add(Partner(code="never-saved", kind=PartnerKind.INTERNAL, **names))
    db.session().flush()


@pytest.mark.parametrize(
    "write", [rename_with_flush, rename_in_memory, rename_with_a_statement, add_with_flush]
)
def test_a_request_that_wrote_without_committing_leaves_nothing(
    app: Flask, db: Session, write: Callable[[], None]
) -> None:
    plain = {"Content-Type": "text/plain"}
    app.add_url_rule("/test-write", "test_write", lambda: write() or ("written", 200, plain))
    assert app.test_client().get("/test-write").status_code == 200
    assert db.scalar(select(Partner).where(Partner.name_en == NEW_NAME)) is None


@pytest.mark.skipif(not POSTGRES_URL, reason="prepared statements are PostgreSQL's")
def test_a_page_read_again_and_again_is_planned_once_per_connection(database_url: str) -> None:
    app = create_app(for_tests(database_url))
    client = app.test_client()
    for _ in range(8):
        assert client.get(f"/partners/{POLICE}").status_code == 200
    engine = app.extensions["database"].engine
    assert engine.pool.checkedin() == 1  # the one connection every request used
    with engine.connect() as connection:
        prepared = connection.execute(text("SELECT statement FROM pg_prepared_statements"))
        assert any("FROM partners" in statement for statement in prepared.scalars())
    engine.dispose()
