"""Pages anyone may read: start, privacy notice, cookies, accessibility, language, health."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from portal import db
from portal.i18n import is_supported
from portal.web.current import public, safe_next

bp = Blueprint("pages", __name__)


@bp.route("/")
@public
def start() -> ResponseReturnValue:
    return render_template("pages/start.html")


@bp.route("/privacy-notice")
@public
def privacy_notice() -> ResponseReturnValue:
    return render_template("pages/privacy-notice.html")


@bp.route("/cookies")
@public
def cookies() -> ResponseReturnValue:
    return render_template("pages/cookies.html")


@bp.route("/accessibility")
@public
def accessibility() -> ResponseReturnValue:
    return render_template("pages/accessibility.html")


@bp.route("/language/<language>")
@public
def language(language: str) -> ResponseReturnValue:
    """Switch between English and Welsh, then go back to the page the user was on."""
    if not is_supported(language):
        abort(404)
    session["language"] = language
    return redirect(safe_next(request.args.get("next")) or url_for("pages.start"))


@bp.route("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """For the load balancer: the app answers and the database answers."""
    db.session().execute(text("SELECT 1"))
    return {"status": "ok"}
