"""Backups read and write values as stored: a TypeDecorator's processing (such as
decrypting) never runs, so a backup never holds what the app would show."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Uuid,
    create_engine,
    insert,
    select,
)
from sqlalchemy.types import TypeDecorator

from portal.services.stored_rows import from_json, stored, to_json


class Reversed(TypeDecorator[str]):
    """Stands in for an encrypted column: what is stored is not what the app reads."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return value[::-1] if value else value

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return value[::-1] if value else value


def test_a_decorated_column_is_read_and_written_as_stored() -> None:
    table = Table(
        "secrets", MetaData(), Column("id", Integer, primary_key=True), Column("note", Reversed)
    )
    engine = create_engine("sqlite://")
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table).values(id=1, note="Sam's address"))
        assert connection.execute(select(stored(table).c.note)).scalar() == "sserdda s'maS"
        connection.execute(insert(stored(table)).values(id=2, note="sserdda s'maS"))
        assert (
            connection.execute(select(table.c.note).where(table.c.id == 2)).scalar()
            == "Sam's address"
        )
    engine.dispose()


def test_every_kind_of_value_survives_json() -> None:
    values = [
        (DateTime(timezone=True), dt.datetime(2024, 2, 29, 23, 59, 1, 5, tzinfo=dt.UTC)),
        (DateTime(), dt.datetime(2024, 2, 29, 23, 59, 1, 5)),
        (Date(), dt.date(2024, 2, 29)),
        (Uuid(), uuid.uuid4()),
        (LargeBinary(), b"\x00\xff ciphertext"),
        (Numeric(10, 2), Decimal("12.30")),
        (Integer(), 2**62),
        (String(), "Ŵyn ŷ"),
    ]
    for type_, value in values:
        assert from_json(type_, json.loads(json.dumps(to_json(value)))) == value
