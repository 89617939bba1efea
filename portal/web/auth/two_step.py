"""The second step of signing in: a code from an authenticator app, or a recovery code."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from forms.two_step import CodeForm
from portal import db
from portal.models import Account
from portal.services import two_step
from portal.totp import provisioning_uri
from portal.web.auth.signing_in import complete_sign_in, pending_account, pending_next
from portal.web.current import now, public
from portal.web.limits import PER_ACCOUNT, PER_ADDRESS, limiter

bp = Blueprint("two_step", __name__, url_prefix="/sign-in")

ISSUER = "Family Data Portal"


def _pending_key() -> str:
    pending = session.get("pending_sign_in")
    return "second-step:" + (str(pending.get("account")) if isinstance(pending, dict) else "none")


@bp.route("/security-code", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, key_func=_pending_key, methods=["POST"])
def security_code() -> ResponseReturnValue:
    """Whoever just gave the right password: the code that proves the second factor."""
    account = pending_account()
    if account is None:
        return redirect(url_for("auth.sign_in"))
    if not two_step.enabled(account):
        return redirect(url_for("two_step.set_up"))
    form = CodeForm()
    failed = False
    if form.validate_on_submit():
        secret_key = current_app.config["SECRET_KEY"]
        if two_step.check_code(db.session(), account, form.code.data, now(), secret_key):
            return redirect(complete_sign_in(account, pending_next()))
        failed = True
        form.mark_refused()
    return render_template("auth/security-code.html", form=form, failed=failed)


@bp.route("/set-up-security-code", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(PER_ACCOUNT, key_func=_pending_key, methods=["POST"])
def set_up() -> ResponseReturnValue:
    """Staff with a local password, at their first sign-in: two-step is not optional."""
    account = pending_account()
    if account is None or two_step.enabled(account):
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = two_step.confirm_setup(
            db.session(), account, form.code.data, now(), current_app.config["SECRET_KEY"]
        )
        if codes is not None:
            destination = complete_sign_in(account, pending_next())
            return render_template("auth/recovery-codes.html", codes=codes, destination=destination)
        form.mark_refused()
        return render_setup(account, form, failed=True)
    if account.totp_secret is None:
        two_step.begin_setup(db.session(), account)
    return render_setup(account, form)


def render_setup(account: Account, form: CodeForm, failed: bool = False) -> str:
    assert account.totp_secret is not None
    return render_template(
        "auth/set-up-security-code.html",
        form=form,
        failed=failed,
        secret=" ".join(
            account.totp_secret[i : i + 4] for i in range(0, len(account.totp_secret), 4)
        ),
        uri=provisioning_uri(account.totp_secret, account.email, ISSUER),
    )
