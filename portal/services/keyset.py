"""Keyset pages for the staff queues: a place in a queue is the (due date, id) of a row,
so a page costs the same however long the queue, and rows do not shift between pages as
OFFSET pages do."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, Subquery, select, tuple_, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

Row = TypeVar("Row")


@dataclass(frozen=True)
class Cursor:
    """A place in the queue: the (due date, id) of a row, written into next/previous links."""

    due_on: dt.date
    id: uuid.UUID

    def __str__(self) -> str:
        return f"{self.due_on.isoformat()}_{self.id.hex}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """None for anything that is not a cursor this module wrote."""
        due_on, _, key = (text or "").partition("_")
        try:
            return cls(dt.date.fromisoformat(due_on), uuid.UUID(hex=key))
        except ValueError:
            return None


@dataclass(frozen=True)
class Window(Generic[Row]):
    """One page's rows in queue order, and the cursors for the links either side (None at an
    end)."""

    rows: list[Row]
    next: Cursor | None
    previous: Cursor | None


def window(
    fetched: Sequence[Row],
    size: int,
    *,
    backwards: bool,
    after: Cursor | None,
    cursor_of: Callable[[Row], Cursor],
) -> Window[Row]:
    """A page from up to `size + 1` rows read past the cursor (in reverse order when going
    `backwards`): the extra row only says whether there is more beyond."""
    more = len(fetched) > size
    rows = list(fetched[:size])
    if backwards:
        rows.reverse()
    cursors = [cursor_of(row) for row in rows]
    further = cursors[-1] if cursors and (more or backwards) else None
    earlier = cursors[0] if cursors and (more if backwards else after is not None) else None
    return Window(rows, further, earlier)


def read_past(
    conditions: Sequence[ColumnElement[bool]],
    due: InstrumentedAttribute[dt.date],
    key: InstrumentedAttribute[uuid.UUID],
    *,
    cursor: Cursor | None,
    backwards: bool,
    limit: int,
) -> Select[Any]:
    """The (due date, id) of at most `limit` rows meeting `conditions` past the cursor, in
    queue order: with one status among the conditions, read along the index on (status, due
    date, id), so the database sorts nothing and stops after `limit` rows."""
    query = select(due.label("due_on"), key.label("id")).where(*conditions)
    if cursor is not None:
        place, mark = tuple_(due, key), tuple_(cursor.due_on, cursor.id)
        query = query.where(place < mark if backwards else place > mark)
    order = (due.desc(), key.desc()) if backwards else (due, key)
    # SQLite takes ORDER BY and LIMIT in a compound SELECT only inside a subquery.
    piece = query.order_by(*order).limit(limit).subquery()
    return select(piece.c.due_on, piece.c.id)


def merged(pieces: Sequence[Select[Any]]) -> Subquery | None:
    """One status's keys per piece, merged into one list; None when no status can match."""
    return union_all(*pieces).subquery("keys") if pieces else None


def heading(after: Cursor | None, before: Cursor | None) -> tuple[Cursor | None, bool]:
    """The cursor a page starts from, and whether it reads backwards (only `before` given)."""
    backwards = before is not None and after is None
    return (before if backwards else after), backwards


def read_page(
    db: Session,
    model: Any,
    keys: Subquery,
    options: Sequence[Any],
    size: int,
    *,
    backwards: bool,
    after: Cursor | None,
) -> Window[Any]:
    """The `model` rows whose (due date, id) are `keys`, loaded with `options`, as one page in
    queue order: one query, however long the queue."""
    order = (keys.c.due_on.desc(), keys.c.id.desc()) if backwards else (keys.c.due_on, keys.c.id)
    rows = db.execute(
        select(model, keys.c.due_on)
        .join(keys, keys.c.id == model.id)
        .options(*options)
        .order_by(*order)
        .limit(size + 1)
    ).all()
    found = window(
        [(entity, due_on) for entity, due_on in rows],
        size,
        backwards=backwards,
        after=after,
        cursor_of=lambda row: Cursor(row[1], row[0].id),
    )
    return Window([entity for entity, _ in found.rows], found.next, found.previous)
