"""Finishing a sign-in, whichever way it started, and holding it for a second step."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import session, url_for
from flask_login import login_user

from portal import db
from portal.models import Account
from portal.services import accounts
from portal.vocabulary import Role
from portal.web.current import SignedIn, now, safe_next

HOME_BY_ROLE = {
    Role.FAMILY: "family.your_data",
    Role.DPO_OFFICER: "staff.home",
    Role.ADMINISTRATOR: "staff.home",
}


def complete_sign_in(account: Account, next_url: str | None = None) -> str:
    """Starts the server-side session and returns where to go next (a path on this site)."""
    auth_session, token = accounts.sign_in(db.session(), account, now())
    fresh_session()
    login_user(SignedIn(auth_session, token))
    note_fresh_authentication()
    return safe_next(next_url) or url_for(HOME_BY_ROLE[account.role])


# The password was right; the second step must follow within this long.
SECOND_STEP_WINDOW = dt.timedelta(minutes=5)


def hold_for_second_step(account: Account, next_url: str | None) -> None:
    fresh_session()
    session["pending_sign_in"] = {
        "account": str(account.id),
        "until": (now() + SECOND_STEP_WINDOW).timestamp(),
        "next": safe_next(next_url) or "",
    }


def pending_account() -> Account | None:
    """The account whose password was just given, if its second step is still due."""
    pending = session.get("pending_sign_in")
    if not isinstance(pending, dict) or pending.get("until", 0) < now().timestamp():
        return None
    try:
        return db.session().get(Account, uuid.UUID(str(pending.get("account"))))
    except ValueError:
        return None


def pending_next() -> str | None:
    pending = session.get("pending_sign_in")
    return safe_next(pending.get("next")) if isinstance(pending, dict) else None


def fresh_session() -> None:
    """Empties the cookie session but keeps the chosen language: nothing planted survives."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def note_fresh_authentication() -> None:
    """The user just proved who they are (sign-in or password again): sensitive changes such
    as a new email address are allowed for a short while."""
    session["authenticated_at"] = now().timestamp()


def authenticated_within(window: dt.timedelta) -> bool:
    at = session.get("authenticated_at")
    return isinstance(at, int | float) and now().timestamp() - at <= window.total_seconds()
