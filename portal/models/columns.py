"""Column types shared by the models."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Enum, Integer, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, operators
from sqlalchemy.types import TypeDecorator

from portal.encryption import keyring_of

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigIntegerKey = BigInteger().with_variant(Integer(), "sqlite")


def enum_type(enum_class: type[StrEnum]) -> Enum:
    """Stores an enum's values as text, with a CHECK constraint on both databases."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "_", enum_class.__name__).lower()
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timestamps stored in UTC and read back timezone-aware on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: object
    ) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class EncryptedText(TypeDecorator[str]):
    """Text sealed with AES-256-GCM under the engine's keyring (portal/encryption.py), bound to
    its "table.column". SQL cannot compare, order or search what it holds, so any such use is
    an error here rather than a query that silently matches nothing: look values up by a
    blind index column, and filter in Python."""

    impl = Text
    cache_ok = True

    class Comparator(TypeDecorator.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op not in (operators.is_, operators.is_not):
                _refuse_values(op, other)
            return super().operate(op, *other, **kwargs)

        def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
            _refuse_values(op, (other,))
            return super().reverse_operate(op, other, **kwargs)

    comparator_factory = Comparator

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring_of(dialect).encrypt(value, self.context)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else keyring_of(dialect).decrypt(value, self.context)


def _refuse_values(op: Any, operands: tuple[Any, ...]) -> None:
    """Comparing ciphertext with a value (==, LIKE, IN ...) would match nothing, silently.
    Column-to-column expressions, which SQLAlchemy builds itself, pass."""
    if any(not isinstance(operand, ClauseElement) for operand in operands):
        raise TypeError(f"{op.__name__} on an encrypted column: use its blind index")
