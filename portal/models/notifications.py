"""The notification outbox: written in the same transaction as the change that causes it."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import JSON, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, new_id
from portal.models.columns import UtcDateTime, enum_type, utc_now


class NotificationKind(StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 (a name, not a secret)
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a name, not a secret)
    GUARDIAN_REQUEST = "guardian_request"
    GUARDIAN_DECISION = "guardian_decision"
    CONTACT_CHANGED = "contact_changed"
    ONE_LOGIN_LINKED = "one_login_linked"
    CORRECTION_DECIDED = "correction_decided"
    CORRECTION_EXTENDED = "correction_extended"
    COMPLAINT_ACKNOWLEDGED = "complaint_acknowledged"
    COMPLAINT_MESSAGE = "complaint_message"
    COMPLAINT_OUTCOME = "complaint_outcome"
    COPY_RECEIVED = "copy_received"
    COPY_QUESTION = "copy_question"
    COPY_EXTENDED = "copy_extended"
    COPY_READY = "copy_ready"
    COPY_REFUSED = "copy_refused"


class NotificationChannel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"


class Notification(Base):
    """One email or text message to send. Never deleted: a failed delivery is retried with
    backoff."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind))
    channel: Mapped[NotificationChannel] = mapped_column(
        enum_type(NotificationChannel),
        default=NotificationChannel.EMAIL,
        server_default=NotificationChannel.EMAIL.value,
    )
    to_address: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Only what the message needs (links, first names): the policy was asked before enqueueing.
    personalisation: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[NotificationStatus] = mapped_column(
        enum_type(NotificationStatus), default=NotificationStatus.PENDING
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    # A sender owns a row until its lease ends, so two senders never send one message twice.
    leased_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
