"""Rows exactly as the database stores them, for backups (portal/services/backup.py).

A table's stored twin has the same columns with the types underneath the app's own: a
TypeDecorator's impl (so an encrypted value is read and written as its ciphertext, never
decrypted), an enum as its text. Values become JSON and back by their column's type.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    Uuid,
)
from sqlalchemy.types import TypeDecorator, TypeEngine


@cache
def stored(table: Table) -> Table:
    """The table with its stored types; its columns keep their names and primary key."""
    columns = (
        Column(column.name, _stored_type(column.type), primary_key=column.primary_key)
        for column in table.columns
    )
    return Table(table.name, MetaData(), *columns)


def _stored_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    while isinstance(type_, TypeDecorator):
        type_ = type_.impl_instance
    if isinstance(type_, Enum):
        return String(type_.length)
    return type_


def to_json(value: object) -> object:
    """A stored value as JSON: timestamps keep their offset (or lack of one), bytes base64."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def from_json(type_: TypeEngine[Any], value: Any) -> object:
    """The stored value again, by its column's stored type."""
    if value is None:
        return None
    readers: list[tuple[type[TypeEngine[Any]], Any]] = [
        (DateTime, dt.datetime.fromisoformat),
        (Date, dt.date.fromisoformat),
        (Time, dt.time.fromisoformat),
        (Uuid, uuid.UUID),
        (LargeBinary, base64.b64decode),
        (Float, float),
        (Numeric, Decimal),
    ]
    for kind, read in readers:
        if isinstance(type_, kind):
            return read(value)
    return value
