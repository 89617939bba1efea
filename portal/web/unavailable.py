"""When the database is unavailable (PostgreSQL restarting, a full disk, SQLite busy past its
timeout): 503 with Retry-After, and nothing the user typed lost.

A POST is answered with a page holding what was sent in hidden fields and a "Try again" button
that posts it back to the same address, without JavaScript. It goes to the browser that sent
it, on a no-store page (portal/web/security.py), and the template escapes every value.
Passwords are never written back into a page, and files cannot be: the page says so. Nothing
half-done survives: the session is rolled back, and every journey that gives a reference
commits before it redirects to the page that shows it (post/redirect/get), so a reference
once shown is in the database. The engine's pool pre-ping (portal/db.py) reconnects by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from portal import db
from portal.extensions import login_manager

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


@dataclass(frozen=True)
class Retry:
    """A POST to send again: where to, its fields, and what could not be kept."""

    action: str
    fields: list[tuple[str, str]]
    without_password: bool
    without_files: bool


def is_unavailable(error: DBAPIError) -> bool:
    """A lost or refused connection, a full disk or a lock held too long; not a bug in a query."""
    return isinstance(error, OperationalError | InterfaceError) or error.connection_invalidated


def _database_unavailable(error: DBAPIError) -> ResponseReturnValue:
    if not is_unavailable(error):
        raise error
    # The driver's own words only: the SQLAlchemy message would carry the query's parameters.
    log.error("database unavailable: %s: %s", type(error.orig).__name__, _first_line(error))
    db.roll_back()
    # The signed-in user is loaded from the database: render this page as nobody's.
    login_manager._update_request_context_with_user()
    page = render_template("errors/unavailable.html", retry=_retry())
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _first_line(error: DBAPIError) -> str:
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else ""


def _retry() -> Retry | None:
    """What a POST sent, to post again; None for other methods (a reload is enough)."""
    if request.method != "POST":
        return None
    sent = list(request.form.items(multi=True))
    # The page carries a fresh token of its own.
    kept = [(name, value) for name, value in sent if name != "csrf_token" and _keepable(name)]
    action = request.script_root + (request.full_path if request.query_string else request.path)
    return Retry(
        action=action,
        fields=kept,
        without_password=any(not _keepable(name) for name, _ in sent),
        without_files=any(upload.filename for upload in request.files.values()),
    )


def _keepable(name: str) -> bool:
    return "password" not in name.lower()


def init_app(app: Flask) -> None:
    app.register_error_handler(DBAPIError, _database_unavailable)
