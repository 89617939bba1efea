"""`flask --app portal rotate-keys` re-encrypts everything under the current key, in batches
that survive a stop half-way; a second run changes nothing. A database of its own: the
rotation commits, and two apps with different keys share it."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Text, select, type_coerce, update
from sqlalchemy.orm import Session

from portal import create_app
from portal.config import TEST_KEYS, for_tests
from portal.demo.synthetic import demo_id
from portal.models import DataItem
from portal.services.key_rotation import encrypted_models, rotate_keys
from tests.conftest import person_id, sign_in
from tests.databases import empty_database, migrate_and_load_demo, run_database_kind

NEW_KEY = f"test-2:{base64.b64encode(b'n' * 32).decode()}"
BOTH_KEYS = {"DATA_KEYS": f"{NEW_KEY},{TEST_KEYS['DATA_KEYS']}", "DATA_KEY_ID": "test-2"}
SAM_NI = demo_id("item:sam-ni")


class Stopped(Exception):
    """Stands for a rotation killed half-way."""


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """The demo data under test-1, with Sam's NI number as plaintext from before encryption."""
    with empty_database(run_database_kind(), tmp_path) as url:
        migrate_and_load_demo(url)
        with app_with(url) as app, app.extensions["database"].sessions() as db:
            plaintext = type_coerce(db.get(DataItem, SAM_NI).value, Text())
            db.execute(
                update(DataItem.__table__)
                .where(DataItem.__table__.c.id == SAM_NI)
                .values(value=plaintext, lookup_hash=None)
            )
            db.commit()
        yield url


@contextmanager
def app_with(url: str, **keys: str) -> Iterator[Flask]:
    app = create_app({**for_tests(url), **keys})
    try:
        yield app
    finally:
        app.extensions["database"].engine.dispose()


def stored(app: Flask) -> dict[str, str]:
    """Every non-null encrypted value as the database holds it, by table, column and row."""
    found = {}
    with app.extensions["database"].sessions() as db:
        for model in encrypted_models():
            key = model.mapper.primary_key[0]
            for column in model.columns:
                raw = type_coerce(column, Text())
                rows = db.execute(select(key, raw).where(raw.is_not(None)))
                found |= {f"{column.table.name}.{column.name}.{id}": value for id, value in rows}
    return found


def test_a_stopped_rotation_finishes_when_run_again_and_a_second_run_changes_nothing(
    database: str,
) -> None:
    with app_with(database, **BOTH_KEYS) as app:
        stop_half_way_then_finish(app)


def stop_half_way_then_finish(app: Flask) -> None:
    before = stored(app)
    assert sum(value.startswith("v1:test-1:") for value in before.values()) > 10
    legacy = [value for value in before.values() if not value.startswith("v1:")]
    assert len(legacy) == 1 and legacy[0].startswith("MW")  # Sam's NI number, plaintext

    def stop_after_one_batch(_table: str, _rows: int) -> None:
        raise Stopped

    with app.extensions["database"].sessions() as db, pytest.raises(Stopped):
        rotate_keys(db, 3, stop_after_one_batch)
    halfway = stored(app)
    assert sum(value.startswith("v1:test-2:") for value in halfway.values()) == 3
    assert sum(value.startswith("v1:test-1:") for value in halfway.values()) > 0

    result = app.test_cli_runner().invoke(args=["rotate-keys", "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert "every value is under key test-2" in result.output
    rotated = stored(app)
    assert rotated.keys() == before.keys()
    assert all(value.startswith("v1:test-2:") for value in rotated.values())

    again = app.test_cli_runner().invoke(args=["rotate-keys"])
    assert "Done: 0 rows re-encrypted" in again.output
    assert stored(app) == rotated


def test_after_rotation_the_old_key_can_go_and_everything_still_reads(database: str) -> None:
    with app_with(database, **BOTH_KEYS) as app, app.extensions["database"].sessions() as db:
        ni = db.get(DataItem, SAM_NI).value
        assert rotate_keys(db, 500, lambda _table, _rows: None) > 0
    with app_with(database, DATA_KEYS=NEW_KEY, DATA_KEY_ID="test-2") as app:
        read_with_the_new_key_only(app, ni)


def read_with_the_new_key_only(app: Flask, ni: str) -> None:
    client = app.test_client()
    sign_in(client, "sam.rivers@example.com")
    page = client.get(f"/your-data/{person_id('ellie')}").get_data(as_text=True)
    assert "Asthma; inhaler kept at school" in page
    # The plaintext from before encryption is encrypted now, and found by its blind index.
    with app.extensions["database"].sessions() as db:
        assert _raw(db, SAM_NI).startswith("v1:test-2:")
    officer = app.test_client()
    sign_in(officer, "dpo.officer@example.com")
    assert "Sam Rivers" in officer.get(f"/staff/people?q={ni}").get_data(as_text=True)


def _raw(db: Session, item_id: object) -> str:
    raw = type_coerce(DataItem.value, Text())
    return db.scalars(select(raw).where(DataItem.id == item_id)).one()
