"""Signing in with an email and password."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account
from portal.passwords import spend_equal_time, verify_password
from portal.services.audit import record_event


def normalise_email(email: str) -> str:
    return email.strip().lower()


def account_by_id(db: Session, account_id: str) -> Account | None:
    try:
        key = uuid.UUID(account_id)
    except ValueError:
        return None
    return db.get(Account, key)


def authenticate(db: Session, email: str, password: str, session_ref: str) -> Account | None:
    """The account these credentials open, or None: the same answer and time either way.

    Anyone may call this; it records successful sign-ins in the audit trail.
    """
    account = db.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None:
        spend_equal_time(password)
        return None
    if not verify_password(account.password_hash, password):
        return None
    record_event(
        db,
        actor=account,
        action="account.signed_in",
        subject_person_id=account.person_id,
        session_ref=session_ref,
    )
    db.commit()
    return account


def record_sign_out(db: Session, account: Account, session_ref: str) -> None:
    record_event(
        db,
        actor=account,
        action="account.signed_out",
        subject_person_id=account.person_id,
        session_ref=session_ref,
    )
    db.commit()
