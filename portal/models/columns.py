"""Column types shared by the models."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum

from sqlalchemy import BigInteger, DateTime, Enum, Integer
from sqlalchemy.types import TypeDecorator

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
