"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required, login_user, logout_user

from forms.sign_in import SignInForm
from portal import db
from portal.extensions import login_manager
from portal.services import accounts, registration
from portal.services.sessions import resume_session
from portal.vocabulary import Role
from portal.web.current import SignedIn, now, public, public_url, safe_next, signed_in
from portal.web.limits import PER_ACCOUNT, PER_ADDRESS, email_in_form, limiter

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.FAMILY: "family.your_data",
    Role.DPO_OFFICER: "staff.home",
    Role.ADMINISTRATOR: "staff.home",
}


@bp.route("/sign-in", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, key_func=email_in_form, methods=["POST"])
def sign_in() -> ResponseReturnValue:
    """Anyone: a wrong email and a wrong password get the same answer."""
    form = SignInForm()
    failed = False
    if form.validate_on_submit():
        account = accounts.authenticate(db.session(), form.email.data, form.password.data)
        if account is not None and account.email_confirmed_at is None:
            registration.resend_confirmation(db.session(), account, now(), public_url())
            return render_template("auth/confirm-email-first.html")
        if account is not None:
            auth_session, token = accounts.sign_in(db.session(), account, now())
            _fresh_session()
            login_user(SignedIn(auth_session, token))
            home = url_for(HOME_BY_ROLE[account.role])
            return redirect(safe_next(request.args.get("next")) or home)
        failed = True
    notice = request.args.get("confirmed") and "confirmed" or request.args.get("reset") and "reset"
    return render_template("auth/sign-in.html", form=form, failed=failed, notice=notice)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> ResponseReturnValue:
    """The signed-in user ends their session; a copy of the cookie opens nothing afterwards."""
    accounts.sign_out(db.session(), signed_in().auth_session, now())
    logout_user()
    _fresh_session()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
@public
def signed_out() -> ResponseReturnValue:
    return render_template("auth/signed-out.html")


def _fresh_session() -> None:
    """Empties the cookie session but keeps the chosen language: nothing planted survives."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def _load_user(token: str) -> SignedIn | None:
    auth_session = resume_session(db.session(), token, now())
    return SignedIn(auth_session, token) if auth_session else None


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(_load_user)
    login_manager.login_view = "auth.sign_in"
    # No flashed "please sign in": the sign-in page itself says what to do.
    login_manager.login_message = None  # type: ignore[assignment]
    login_manager.session_protection = None
    app.register_blueprint(bp)
