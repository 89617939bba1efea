"""The signed-in account, its policy Viewer and today's date, once per request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, g
from flask_login import current_user, login_required

from portal import db
from portal.ages import london_today
from portal.models import Account, AuthSession
from portal.policy import Viewer
from portal.services.viewers import viewer_for
from portal.vocabulary import Role

View = TypeVar("View", bound=Callable[..., Any])


def today() -> dt.date:
    if "today" not in g:
        g.today = london_today()
    value: dt.date = g.today
    return value


def now() -> dt.datetime:
    if "now" not in g:
        g.now = dt.datetime.now(dt.UTC)
    value: dt.datetime = g.now
    return value


class SignedIn:
    """Flask-Login's user: a live server-side session and its account."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, auth_session: AuthSession, token: str) -> None:
        self.auth_session = auth_session
        self.account = auth_session.account
        self.token = token

    @property
    def role(self) -> Role:
        return self.account.role

    def get_id(self) -> str:
        return self.token


def signed_in() -> SignedIn:
    user: SignedIn = current_user._get_current_object()
    return user


def account() -> Account:
    return signed_in().account


def viewer() -> Viewer:
    if "viewer" not in g:
        g.viewer = viewer_for(db.session(), account(), today())
    value: Viewer = g.viewer
    return value


def session_ref() -> str | None:
    """The signed-in session's id, for the audit trail."""
    if not current_user.is_authenticated:
        return None
    return str(signed_in().auth_session.id)


def public_url() -> str:
    """The portal's own address, for links in emails."""
    url: str = current_app.config["PUBLIC_URL"]
    return url.rstrip("/")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def public(view: View) -> View:
    """Marks a view anyone may open, signed in or not: a decision, not an omission."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def role_required(*roles: Role) -> Callable[[View], View]:
    """Signed in, with one of `roles`; anyone else gets 404, as if nothing were there."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if account().role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return decorate
