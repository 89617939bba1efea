"""Two-step sign-in with an authenticator app, and recovery codes for a lost phone.

Optional for families, required for staff who sign in with a local password
(staff who use the council's identity provider prove a second factor there).
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.models import Account, RecoveryCode
from portal.services.audit import record_event
from portal.tokens import keyed_hash
from portal.totp import matching_step, new_secret
from portal.vocabulary import Role

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def required(account: Account) -> bool:
    """Staff with a local password must use it; families choose."""
    return account.role is not Role.FAMILY


def enabled(account: Account) -> bool:
    return account.totp_enabled_at is not None


def begin_setup(db: Session, account: Account) -> str:
    """A new secret for the account's authenticator; it works only once a code confirms it."""
    if enabled(account):
        raise ValueError("two-step sign-in is already on")
    account.totp_secret = new_secret()
    db.commit()
    return account.totp_secret


def confirm_setup(
    db: Session,
    account: Account,
    code: str,
    now: dt.datetime,
    secret_key: str,
    session_ref: str | None = None,
) -> list[str] | None:
    """Turns two-step on if `code` comes from the new secret; returns the recovery codes
    (shown once, kept only as hashes), or None for a wrong code."""
    if account.totp_secret is None or enabled(account):
        return None
    step = matching_step(account.totp_secret, code, now, account.totp_last_step)
    if step is None:
        return None
    account.totp_enabled_at = now
    account.totp_last_step = step
    codes = _new_recovery_codes(db, account, secret_key)
    record_event(
        db,
        actor=account,
        action="account.two_step_on",
        subject_person_id=account.person_id,
        session_ref=session_ref,
    )
    db.commit()
    return codes


def check_code(db: Session, account: Account, code: str, now: dt.datetime, secret_key: str) -> bool:
    """The second step at sign-in: a code from the app (each usable once) or a recovery code."""
    if not enabled(account) or account.totp_secret is None:
        return False
    step = matching_step(account.totp_secret, code, now, account.totp_last_step)
    if step is not None:
        result = db.execute(
            update(Account)
            .where(Account.id == account.id)
            .where((Account.totp_last_step.is_(None)) | (Account.totp_last_step < step))
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        )
        account.totp_last_step = step
        db.commit()
        return bool(getattr(result, "rowcount", 0))
    return _spend_recovery_code(db, account, code, now, secret_key)


def turn_off(
    db: Session,
    account: Account,
    code: str,
    now: dt.datetime,
    secret_key: str,
    session_ref: str | None,
) -> bool:
    """A family member turns two-step off, proving it with a current code. Staff cannot."""
    if required(account) or not check_code(db, account, code, now, secret_key):
        return False
    account.totp_secret = None
    account.totp_enabled_at = None
    account.totp_last_step = None
    db.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    record_event(
        db,
        actor=account,
        action="account.two_step_off",
        subject_person_id=account.person_id,
        session_ref=session_ref,
    )
    db.commit()
    return True


def _new_recovery_codes(db: Session, account: Account, secret_key: str) -> list[str]:
    db.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODES)
    ]
    for code in codes:
        db.add(
            RecoveryCode(account_id=account.id, code_hash=keyed_hash(code, secret_key, "recovery"))
        )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _spend_recovery_code(
    db: Session, account: Account, typed: str, now: dt.datetime, secret_key: str
) -> bool:
    code = typed.replace("-", "").replace(" ", "").lower()
    found = db.scalar(
        select(RecoveryCode).where(
            RecoveryCode.account_id == account.id,
            RecoveryCode.code_hash == keyed_hash(code, secret_key, "recovery"),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return False
    found.used_at = now
    record_event(
        db, actor=account, action="account.recovery_code_used", subject_person_id=account.person_id
    )
    db.commit()
    return True
