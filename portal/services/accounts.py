"""Signing in and out with an email address and password."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account, AuthSession
from portal.passwords import spend_equal_time, verify_password
from portal.services.audit import record_event
from portal.services.sessions import end_all_sessions, end_session, start_session


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(db: Session, email: str, password: str) -> Account | None:
    """The account these credentials open, or None: the same answer and time either way."""
    account = db.scalar(select(Account).where(Account.email == normalise_email(email)))
    if account is None or account.password_hash is None:
        spend_equal_time(password)
        return None
    if not verify_password(account.password_hash, password):
        return None
    return account


def sign_in(db: Session, account: Account, now: dt.datetime) -> tuple[AuthSession, str]:
    """Starts a server-side session for an authenticated account; returns it and its token."""
    auth_session, token = start_session(db, account, now)
    _audit(db, account, auth_session, "account.signed_in")
    db.commit()
    return auth_session, token


def sign_out(db: Session, auth_session: AuthSession, now: dt.datetime) -> None:
    """Ends this browser's session: its cookie opens nothing from now on."""
    end_session(db, auth_session, now, "signed_out")
    _audit(db, auth_session.account, auth_session, "account.signed_out")
    db.commit()


def sign_out_everywhere(db: Session, auth_session: AuthSession, now: dt.datetime) -> None:
    """Ends every session of the account, this one included."""
    end_all_sessions(db, auth_session.account_id, now, "signed_out_everywhere")
    _audit(db, auth_session.account, auth_session, "account.signed_out_everywhere")
    db.commit()


def _audit(db: Session, account: Account, auth_session: AuthSession, action: str) -> None:
    record_event(
        db,
        actor=account,
        action=action,
        subject_person_id=account.person_id,
        session_ref=str(auth_session.id),
    )
