"""One guarded UPDATE: how two officers (or two clicks) acting at once on the same row never
both win, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, update
from sqlalchemy.orm import Session


def conditional_update(
    db: Session, row: Any, conditions: Iterable[ColumnElement[bool]], **values: object
) -> bool:
    """Sets `values` on `row` only where `conditions` still hold: True if it changed the row
    (the caller commits), False if not (rolled back).

    The read transaction is ended first: SQLite cannot turn a transaction that has read into a
    writing one once another connection has written ("database is locked"), but a transaction
    that starts by writing waits for the lock and then sees the latest row. On PostgreSQL the
    UPDATE takes the row lock, and a second one re-checks the conditions after the first
    commits."""
    model, row_id = type(row), row.id
    db.commit()
    result = db.execute(
        update(model)
        .where(model.id == row_id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        db.rollback()
        return False
    return True
