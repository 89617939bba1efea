"""Signing in and out."""

from __future__ import annotations

import secrets

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required, login_user, logout_user

from forms.sign_in import SignInForm
from portal import db
from portal.extensions import login_manager
from portal.models import Account
from portal.services.accounts import account_by_id, authenticate, record_sign_out
from portal.vocabulary import Role
from portal.web.current import account, safe_next, session_ref

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.FAMILY: "family.your_data",
    Role.DPO_OFFICER: "staff.home",
    Role.ADMINISTRATOR: "staff.home",
}


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    """Anyone: a wrong email and a wrong password get the same answer."""
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        ref = secrets.token_urlsafe(24)
        signed_in = authenticate(db.session(), form.email.data, form.password.data, ref)
        if signed_in is not None:
            _start_session(signed_in, ref)
            home = url_for(HOME_BY_ROLE[signed_in.role])
            return redirect(safe_next(request.args.get("next")) or home)
        failed = True
    return render_template("auth/sign-in.html", form=form, failed=failed)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> ResponseReturnValue:
    """The signed-in user ends their session."""
    record_sign_out(db.session(), account(), session_ref() or "")
    logout_user()
    _fresh_session()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
def signed_out() -> ResponseReturnValue:
    return render_template("auth/signed-out.html")


def _start_session(signed_in: Account, ref: str) -> None:
    # A fresh session on sign-in, so nothing planted before it survives.
    _fresh_session()
    session["ref"] = ref
    login_user(signed_in)


def _fresh_session() -> None:
    """Empties the session but keeps the chosen language."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def _load_account(account_id: str) -> Account | None:
    return account_by_id(db.session(), account_id)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_account)
    login_manager.login_view = "auth.sign_in"
    # No flashed "please sign in": the sign-in page itself says what to do.
    login_manager.login_message = None  # type: ignore[assignment]
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
