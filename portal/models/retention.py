"""What retention leaves behind: a tombstone per disposed record, with no personal data."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import JSON, Date, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, new_id
from portal.models.columns import UtcDateTime, enum_type


class TombstoneKind(StrEnum):
    HOUSEHOLD = "household"
    CORRECTION_REQUEST = "correction_request"
    COPY_REQUEST = "copy_request"
    INVITATION_CODE = "invitation_code"


class RetentionRule(StrEnum):
    """Which line of the retention schedule (DESIGN.md) a record was disposed of under."""

    COMPLAINT_CLOSED = "complaint_closed"
    REQUEST_CLOSED = "request_closed"
    COPY_RELEASED = "copy_released"
    INVITATION_UNUSED = "invitation_unused"
    YOUNGEST_CHILD_AGE = "youngest_child_age"
    NO_CHILD_INACTIVE = "no_child_inactive"
    # A closed request about (or by) someone whose household's case data was disposed of.
    WITH_HOUSEHOLD = "with_household"


class Tombstone(Base):
    """A disposed record: its kind, the rule, the dates and, for a request, its reference
    and final status; for a household, counts of what went. A random id, never the
    household's reference, and nothing that names or locates anyone."""

    __tablename__ = "retention_tombstones"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kind: Mapped[TombstoneKind] = mapped_column(enum_type(TombstoneKind))
    rule: Mapped[RetentionRule] = mapped_column(enum_type(RetentionRule))
    reference: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(40))
    opened_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    disposed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
