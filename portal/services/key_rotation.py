"""Re-encrypting personal data under the current data key (`flask --app portal rotate-keys`).

Every encrypted column (portal/models/columns.py EncryptedText) whose value is not sealed under
DATA_KEY_ID, or is plaintext written before migration 0013, is read and written again through
the ORM, so the column type seals it under the current key and the blind index of NHS and NI
numbers is filled where it was missing. Rows go in batches in primary key order, one commit a
batch: a run stopped half-way leaves every finished batch done, and the next run picks up what
is left; a run with nothing left changes nothing.

The blind index key is not rotated: BLIND_INDEX_KEY stays as it is. Remove an old key from
DATA_KEYS only after a run that re-encrypted everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, Text, and_, or_, select, type_coerce
from sqlalchemy.orm import Mapper, Session, undefer
from sqlalchemy.orm.attributes import flag_modified

from portal.db import Base
from portal.encryption import session_keyring
from portal.models.columns import EncryptedText

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class EncryptedModel:
    mapper: Mapper[Any]
    columns: tuple[Column[Any], ...]

    @property
    def attributes(self) -> list[str]:
        return [self.mapper.get_property_by_column(column).key for column in self.columns]

    @property
    def loads(self) -> list[Any]:
        return [undefer(getattr(self.mapper.class_, name)) for name in self.attributes]

    @property
    def table(self) -> str:
        return self.columns[0].table.name


def encrypted_models() -> list[EncryptedModel]:
    """Every model with encrypted columns, and those columns' attribute names."""
    found = []
    for mapper in sorted(Base.registry.mappers, key=lambda m: m.class_.__name__):
        columns = tuple(c for c in mapper.columns if isinstance(c.type, EncryptedText))
        if columns:
            found.append(EncryptedModel(mapper, columns))  # type: ignore[arg-type]
    return found


def rotate_keys(db: Session, batch_size: int, progress: Progress) -> int:
    """Called by the rotate-keys command: re-encrypts every stale value under the current
    key, calling `progress(table, rows so far)` after each committed batch. Returns the rows
    changed."""
    return sum(_rotate_model(db, model, batch_size, progress) for model in encrypted_models())


def _rotate_model(db: Session, model: EncryptedModel, batch_size: int, progress: Progress) -> int:
    key = model.mapper.primary_key[0]
    key_name = model.mapper.get_property_by_column(key).key
    stale = _stale(db, model)
    done, after = 0, None
    while True:
        # Locked (on PostgreSQL) until the batch commits, so no change made meanwhile is lost.
        query = (
            select(model.mapper)
            .where(stale)
            .options(*model.loads)  # deferred columns too (an account's two-step secret)
            .order_by(key)
            .limit(batch_size)
            .with_for_update()
        )
        if after is not None:
            query = query.where(key > after)
        rows = db.scalars(query).all()
        if not rows:
            return done
        for row in rows:
            for name in model.attributes:
                flag_modified(row, name)
        after = getattr(rows[-1], key_name)
        db.commit()
        db.expunge_all()
        done += len(rows)
        progress(model.table, done)


def _stale(db: Session, model: EncryptedModel) -> ColumnElement[bool]:
    """A row with any value not under the current key (its raw text, not decrypted)."""
    current = session_keyring(db).current_prefix() + "%"
    raw = (type_coerce(column, Text()) for column in model.columns)
    return or_(*(and_(value.is_not(None), value.not_like(current)) for value in raw))
