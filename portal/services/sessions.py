"""Server-side sessions: started at sign-in, checked on every request, revocable at once.

Timeouts (DESIGN.md "Security"): 30 minutes idle, 12 hours absolute.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from portal.db import new_id
from portal.models import Account, AuthSession
from portal.tokens import hash_token, new_token

IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
# Record activity at most once a minute: enough for a 30-minute idle timeout.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def start_session(db: Session, account: Account, now: dt.datetime) -> tuple[AuthSession, str]:
    """A new session for `account`; returns it and the token for the cookie (never stored)."""
    token = new_token()
    auth_session = AuthSession(
        id=new_id(),
        token_hash=hash_token(token),
        account_id=account.id,
        created_at=now,
        last_seen_at=now,
        expires_at=now + ABSOLUTE_TIMEOUT,
    )
    db.add(auth_session)
    return auth_session, token


def resume_session(db: Session, token: str, now: dt.datetime) -> AuthSession | None:
    """The live session this token opens, or None if it ended, idled out or expired.

    Called on every request; keeps the idle clock running by recording activity. Reads the
    account and its person in the same query: every page needs them.
    """
    auth_session = db.scalar(
        select(AuthSession)
        .where(AuthSession.token_hash == hash_token(token))
        .options(joinedload(AuthSession.account).joinedload(Account.person))
    )
    if auth_session is None or auth_session.ended_at is not None:
        return None
    if now >= auth_session.expires_at or now - auth_session.last_seen_at >= IDLE_TIMEOUT:
        end_session(db, auth_session, now, "expired" if now >= auth_session.expires_at else "idle")
        db.commit()
        return None
    if now - auth_session.last_seen_at >= TOUCH_INTERVAL:
        auth_session.last_seen_at = now
        db.commit()
    return auth_session


def idle_deadline(auth_session: AuthSession) -> dt.datetime:
    """When this session signs out by itself if nothing happens."""
    return min(auth_session.last_seen_at + IDLE_TIMEOUT, auth_session.expires_at)


def extend_session(db: Session, auth_session: AuthSession, now: dt.datetime) -> None:
    """The user asked for more time: restart the idle clock (never past the absolute limit)."""
    auth_session.last_seen_at = now
    db.commit()


def end_session(db: Session, auth_session: AuthSession, now: dt.datetime, because: str) -> None:
    auth_session.ended_at = now
    auth_session.ended_because = because
    db.flush()


def end_all_sessions(db: Session, account_id: uuid.UUID, now: dt.datetime, because: str) -> int:
    """Signs an account out everywhere (sign out everywhere, password change, link revoked)."""
    result = db.execute(
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.ended_at.is_(None))
        .values(ended_at=now, ended_because=because)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)
