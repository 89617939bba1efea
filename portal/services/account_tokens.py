"""Single-use, expiring tokens for links in emails, kept only as hashes."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import Account, AccountToken, TokenPurpose
from portal.tokens import hash_token, new_token

LIFETIMES = {
    TokenPurpose.CONFIRM_EMAIL: dt.timedelta(hours=24),
    TokenPurpose.RESET_PASSWORD: dt.timedelta(hours=1),
    TokenPurpose.GUARDIAN_APPROVAL: dt.timedelta(days=7),
}


def issue_token(
    db: Session,
    purpose: TokenPurpose,
    account: Account,
    now: dt.datetime,
    guardian_request_id: uuid.UUID | None = None,
) -> str:
    """A new token for `account` and `purpose`; returns the secret to put in a link."""
    token = new_token()
    db.add(
        AccountToken(
            token_hash=hash_token(token),
            purpose=purpose,
            account_id=account.id,
            guardian_request_id=guardian_request_id,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def find_token(
    db: Session, purpose: TokenPurpose, token: str, now: dt.datetime
) -> AccountToken | None:
    """The usable token with this secret and purpose, or None (unknown, used or expired)."""
    found = db.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == hash_token(token), AccountToken.purpose == purpose
        )
    )
    return found if found is not None and found.is_usable(now) else None


def spend(db: Session, token: AccountToken, now: dt.datetime) -> bool:
    """Marks a token used; False if another request spent it first (a replay or double click)."""
    result = db.execute(
        update(AccountToken)
        .where(AccountToken.id == token.id, AccountToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    token.used_at = now
    return bool(getattr(result, "rowcount", 0))


def spend_all(db: Session, purpose: TokenPurpose, account_id: uuid.UUID, now: dt.datetime) -> None:
    """Cancels an account's other live tokens of one purpose (a new link replaces the old)."""
    db.execute(
        update(AccountToken)
        .where(
            AccountToken.account_id == account_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
