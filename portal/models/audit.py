"""Who did what to which record, when, from which session."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.models.columns import BigIntegerKey, UtcDateTime, utc_now


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_subject_person_id_occurred_at", "subject_person_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(BigIntegerKey, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    actor_account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    subject_person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    session_ref: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
