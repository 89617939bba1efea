"""Sign-ins: a family account is tied to exactly one person; staff accounts to none."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, new_id
from portal.models.columns import EncryptedText, UtcDateTime, enum_type, utc_now
from portal.models.people import Person
from portal.vocabulary import Role


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        # A closed account keeps its row (audit events name it) but nothing else.
        CheckConstraint(
            "closed_at IS NOT NULL OR (role = 'family') = (person_id IS NOT NULL)",
            name="family_accounts_have_a_person",
        ),
        UniqueConstraint("oidc_issuer", "oidc_subject"),
        # The few staff among every family's account, by name: the queues' officer lists.
        Index("ix_accounts_role_display_name_email", "role", "display_name", "email"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    # None for staff who only sign in through the council's identity provider.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    team: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Set when a guardian (or staff, with a reason) approves an under-13's account.
    guardian_approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # An OpenID Connect identity linked to this account (the council's provider for staff,
    # GOV.UK One Login for families).
    oidc_issuer: Mapped[str | None] = mapped_column(String(200))
    oidc_subject: Mapped[str | None] = mapped_column(String(255))
    # Two-step sign-in with an authenticator app (RFC 6238); the last step used stops replays.
    # The key that makes two-step codes: sealed like personal data (portal/encryption.py).
    # Deferred: read (and decrypted) only by the code that checks or shows it, not with every
    # account a page loads (the signed-in session's own, on every request).
    totp_secret: Mapped[str | None] = mapped_column(
        EncryptedText("accounts.totp_secret"), deferred=True
    )
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The language emails to this account are written in.
    language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # Set by retention when the person's case data was disposed of: no one can sign in.
    closed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    person: Mapped[Person | None] = relationship()


class RecoveryCode(Base):
    """One-time codes for when the authenticator is lost; kept as hashes."""

    __tablename__ = "recovery_codes"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
