"""Keyset pages for the staff queues: a place in a queue is the (due date, id) of a row,
so a page costs the same however long the queue, and rows do not shift between pages as
OFFSET pages do."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


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
