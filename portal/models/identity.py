"""Invitation codes, single-use tokens and guardian approval requests."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.accounts import Account
from portal.models.columns import UtcDateTime, enum_type, utc_now
from portal.models.people import Person
from portal.vocabulary import GuardianRequestStatus


class InvitationCode(Base):
    """Given by the Early Help worker: ties a new account to one person. Stored as a keyed hash."""

    __tablename__ = "invitation_codes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"), index=True)
    issued_by_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    issued_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    spent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_because: Mapped[str | None] = mapped_column(String(60))

    person: Mapped[Person] = relationship()

    def is_usable(self, now: dt.datetime) -> bool:
        return self.spent_at is None and self.revoked_at is None and now < self.expires_at


class TokenPurpose(StrEnum):
    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 (a name, not a secret)
    GUARDIAN_APPROVAL = "guardian_approval"


class AccountToken(Base):
    """A random, single-use, expiring token, stored hashed, bound to one account and purpose
    (and, for a guardian's approval, to one child)."""

    __tablename__ = "account_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_type(TokenPurpose))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    guardian_request_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("guardian_requests.id"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    account: Mapped[Account] = relationship()

    def is_usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class GuardianRequest(Base):
    """An under-13's account waiting for a guardian with parental responsibility to approve it."""

    __tablename__ = "guardian_requests"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    child_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[GuardianRequestStatus] = mapped_column(
        enum_type(GuardianRequestStatus), default=GuardianRequestStatus.WAITING
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    decided_by_account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    # Staff decisions must say why (a competent child, no guardian reachable).
    reason: Mapped[str | None] = mapped_column(Text)

    child_account: Mapped[Account] = relationship(foreign_keys=[child_account_id])
