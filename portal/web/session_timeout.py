"""The idle-timeout warning (WCAG 2.2.1): a one-click way to stay signed in, with or without
JavaScript. With it, a dialog warns two minutes before the session ends."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal import db
from portal.services.sessions import extend_session, idle_deadline
from portal.web.current import now, safe_next, signed_in

bp = Blueprint("session_timeout", __name__)

WARN_BEFORE_SECONDS = 120


@bp.route("/session/extend", methods=["POST"])
@login_required
def extend() -> ResponseReturnValue:
    """The signed-in user asks for more time: the idle clock starts again."""
    extend_session(db.session(), signed_in().auth_session, now())
    if request.headers.get("Accept") == "application/json":
        return {"seconds_left": seconds_left()}
    return redirect(safe_next(request.form.get("next")) or url_for("pages.start"))


def seconds_left() -> int | None:
    """Seconds until the signed-in session ends by itself, for the page's warning."""
    if not current_user.is_authenticated:
        return None
    return max(0, int((idle_deadline(signed_in().auth_session) - now()).total_seconds()))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(seconds_left, "session_seconds_left")
    app.add_template_global(lambda: WARN_BEFORE_SECONDS, "session_warn_before")
