"""Who did what to which record, when, from which session; and where the chain that proves
nothing was edited or deleted starts and ends."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base
from portal.models.columns import BigIntegerKey, UtcDateTime, utc_now

# The previous MAC of the first event ever chained.
GENESIS = "0" * 64
CHAIN_ROW = 1


class AuditEvent(Base):
    """The chain columns are filled at flush by portal/services/audit_chain.py, in the
    caller's transaction, never by the caller. Events recorded before the chain began have
    no MAC and sit at or before the chain's anchor."""

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
    chain_position: Mapped[int] = mapped_column(BigInteger, unique=True)
    key_id: Mapped[str | None] = mapped_column(String(20))
    previous_mac: Mapped[str | None] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditChain(Base):
    """One row. The chain runs from just after the anchor (the last event retention removed,
    or the last one recorded before the chain began) to the tail (the last event appended);
    verify-audit checks both ends, so a deleted first or last event is found too."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    anchor_position: Mapped[int] = mapped_column(BigInteger)
    anchor_mac: Mapped[str] = mapped_column(String(64))
    tail_position: Mapped[int] = mapped_column(BigInteger)
    tail_mac: Mapped[str] = mapped_column(String(64))
