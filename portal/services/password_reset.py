"""Forgotten passwords: a single-use link by email, then a new password and every session ended."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account, NotificationKind, TokenPurpose
from portal.passwords import hash_password, spend_equal_time
from portal.services import account_tokens
from portal.services.accounts import normalise_email
from portal.services.audit import record_event
from portal.services.notifications import enqueue
from portal.services.sessions import end_all_sessions


def request_reset(db: Session, email: str, now: dt.datetime, public_url: str) -> None:
    """Anyone: emails a reset link if the address has an account. The caller says the same
    thing either way, so nobody learns whether an account exists."""
    account = db.scalar(select(Account).where(Account.email == normalise_email(email)))
    # Accounts that only sign in through an identity provider have no password to reset:
    # giving them one would open a way in around the provider and its second factor.
    if account is None or account.password_hash is None:
        return
    account_tokens.spend_all(db, TokenPurpose.RESET_PASSWORD, account.id, now)
    token = account_tokens.issue_token(db, TokenPurpose.RESET_PASSWORD, account, now)
    enqueue(
        db,
        NotificationKind.RESET_PASSWORD,
        account.email,
        account.language,
        link=f"{public_url}/reset-password/{token}",
    )
    record_event(
        db,
        actor=account,
        action="account.password_reset_requested",
        subject_person_id=account.person_id,
    )
    db.commit()


def reset_link_is_live(db: Session, token: str, now: dt.datetime) -> bool:
    return account_tokens.find_token(db, TokenPurpose.RESET_PASSWORD, token, now) is not None


def reset_password(db: Session, token: str, new_password: str, now: dt.datetime) -> Account | None:
    """The holder of a live link sets a new password; every session of the account ends."""
    found = account_tokens.find_token(db, TokenPurpose.RESET_PASSWORD, token, now)
    if found is None:
        spend_equal_time(new_password)
        return None
    if not account_tokens.spend(db, found, now):
        return None
    account = found.account
    set_password(db, account, new_password, now, because="password_reset")
    # Following the emailed link proves the address too.
    account.email_confirmed_at = account.email_confirmed_at or now
    db.commit()
    return account


def set_password(
    db: Session, account: Account, new_password: str, now: dt.datetime, because: str
) -> None:
    """Changes the password, signs the account out everywhere and tells its owner; the caller
    commits."""
    account.password_hash = hash_password(new_password)
    account.password_changed_at = now
    end_all_sessions(db, account.id, now, because)
    enqueue(db, NotificationKind.PASSWORD_CHANGED, account.email, account.language)
    record_event(
        db,
        actor=account,
        action="account.password_changed",
        subject_person_id=account.person_id,
        detail={"because": because},
    )
