"""Signing in and out."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required, logout_user

from forms.sign_in import SignInForm
from portal import db
from portal.extensions import login_manager
from portal.services import accounts, registration, two_step
from portal.services.sessions import resume_session
from portal.web import session_timeout
from portal.web.auth import two_step as two_step_views
from portal.web.auth.signing_in import complete_sign_in, fresh_session, hold_for_second_step
from portal.web.current import SignedIn, now, public, public_url, signed_in
from portal.web.limits import PER_ACCOUNT, PER_ADDRESS, email_in_form, limiter

bp = Blueprint("auth", __name__)


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
        if account is not None and (two_step.required(account) or two_step.enabled(account)):
            hold_for_second_step(account, request.args.get("next"))
            return redirect(url_for("two_step.security_code"))
        if account is not None:
            return redirect(complete_sign_in(account, request.args.get("next")))
        failed = True
        form.mark_refused()
    notice = next((n for n in ("confirmed", "reset", "timed_out") if request.args.get(n)), None)
    return render_template("auth/sign-in.html", form=form, failed=failed, notice=notice)


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out() -> ResponseReturnValue:
    """The signed-in user ends their session; a copy of the cookie opens nothing afterwards."""
    accounts.sign_out(db.session(), signed_in().auth_session, now())
    logout_user()
    fresh_session()
    return redirect(url_for("auth.signed_out"))


@bp.route("/signed-out")
@public
def signed_out() -> ResponseReturnValue:
    return render_template("auth/signed-out.html")


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
    app.register_blueprint(two_step_views.bp)
    session_timeout.init_app(app)
