"""Creating an account, confirming its email, resetting a password, account settings."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required, logout_user

from forms.account_settings import SharingWithParentsForm
from forms.create_account import CreateAccountForm
from forms.guardian_approval import ConfirmForm
from forms.passwords import NewPasswordForm, ResetRequestForm
from forms.two_step import CodeForm
from portal import db
from portal.i18n import chosen_language
from portal.i18n import gettext as _
from portal.services import account_settings, accounts, password_reset, registration, two_step
from portal.vocabulary import Role
from portal.web.auth.two_step import render_setup
from portal.web.current import (
    account,
    now,
    public,
    public_url,
    role_required,
    session_ref,
    signed_in,
    today,
)
from portal.web.limits import (
    ACCOUNT_CREATION,
    PER_ADDRESS,
    RESET_PER_ACCOUNT,
    email_in_form,
    limiter,
)

bp = Blueprint("accounts", __name__)


@bp.route("/create-account", methods=["GET", "POST"])
@public
@limiter.limit(ACCOUNT_CREATION, methods=["POST"])
def create_account() -> ResponseReturnValue:
    """Anyone with an invitation code; every mismatch gets the same answer."""
    form = CreateAccountForm()
    failed = False
    if form.validate_on_submit() and form.date_of_birth.data is not None:
        details = registration.Registration(
            invitation_code=form.invitation_code.data,
            date_of_birth=form.date_of_birth.data,
            email=form.email.data,
            password=form.password.data,
            language=chosen_language(),
        )
        created = registration.create_account(
            db.session(), details, now(), current_app.config["SECRET_KEY"], public_url()
        )
        if created is not None:
            return redirect(url_for("accounts.check_email"))
        failed = True
        form.mark_refused()
    return render_template("accounts/create-account.html", form=form, failed=failed)


@bp.route("/create-account/check-your-email")
@public
def check_email() -> ResponseReturnValue:
    return render_template("accounts/check-your-email.html")


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS, methods=["POST"])
def confirm_email(token: str) -> ResponseReturnValue:
    """Anyone holding the emailed link. A button, not the GET, confirms (scanners follow links)."""
    form = ConfirmForm()
    if form.validate_on_submit():
        if registration.confirm_email(db.session(), token, now()) is None:
            return render_template("accounts/link-expired.html"), 404
        return redirect(url_for("auth.sign_in", confirmed=1))
    return render_template("accounts/confirm-email.html", form=form)


@bp.route("/reset-password", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS, methods=["POST"])
@limiter.limit(RESET_PER_ACCOUNT, key_func=email_in_form, methods=["POST"])
def reset_password() -> ResponseReturnValue:
    """Anyone: the same answer whether or not the email has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        password_reset.request_reset(db.session(), form.email.data, now(), public_url())
        return redirect(url_for("accounts.reset_sent"))
    return render_template("accounts/reset-password.html", form=form)


@bp.route("/reset-password/sent")
@public
def reset_sent() -> ResponseReturnValue:
    return render_template("accounts/reset-sent.html")


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(PER_ADDRESS, methods=["POST"])
def new_password(token: str) -> ResponseReturnValue:
    """The holder of a live reset link chooses a new password; all sessions end."""
    if not password_reset.reset_link_is_live(db.session(), token, now()):
        return render_template("accounts/link-expired.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        if password_reset.reset_password(db.session(), token, form.password.data, now()) is None:
            return render_template("accounts/link-expired.html"), 404
        logout_user()
        return redirect(url_for("auth.sign_in", reset=1))
    return render_template("accounts/new-password.html", form=form)


@bp.route("/account", methods=["GET"])
@role_required(Role.FAMILY)
def settings() -> ResponseReturnValue:
    """A family member's account: their email, sharing choice (13 to 17), sign out everywhere."""
    return _settings_page()


def _settings_page(
    sharing: SharingWithParentsForm | None = None,
    code_form: CodeForm | None = None,
) -> str:
    if sharing is None:
        choice = account_settings.sharing_choice(account(), today())
        if choice is not None:
            sharing = SharingWithParentsForm(data={"share": "yes" if choice else "no"})
    code_form = code_form or CodeForm()
    # The page's error summary and "Error:" title follow whichever form failed.
    failed = next((f for f in (sharing, code_form) if f is not None and f.errors), None)
    return render_template(
        "accounts/settings.html",
        sharing=sharing,
        everywhere=ConfirmForm(),
        code_form=code_form,
        two_step_on=two_step.enabled(account()),
        **({"form": failed} if failed is not None else {}),
    )


@bp.route("/account/sharing", methods=["POST"])
@role_required(Role.FAMILY)
def sharing() -> ResponseReturnValue:
    """A 13-to-17-year-old allows or stops their parents seeing their record."""
    form = SharingWithParentsForm()
    if not account_settings.may_choose_sharing(account(), today()):
        return redirect(url_for("accounts.settings"))
    if not form.validate_on_submit():
        return _settings_page(sharing=form)
    account_settings.set_sharing_with_guardians(
        db.session(), account(), form.share.data == "yes", now(), session_ref()
    )
    return redirect(url_for("accounts.settings", saved=1))


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """Ends every session of the signed-in account, on every device."""
    if ConfirmForm().validate_on_submit():
        accounts.sign_out_everywhere(db.session(), signed_in().auth_session, now())
        logout_user()
    return redirect(url_for("auth.signed_out"))


@bp.route("/account/two-step", methods=["GET", "POST"])
@role_required(Role.FAMILY)
def two_step_on() -> ResponseReturnValue:
    """A family member turns on two-step sign-in with their authenticator app."""
    if two_step.enabled(account()):
        return redirect(url_for("accounts.settings"))
    form = CodeForm()
    if form.validate_on_submit():
        codes = two_step.confirm_setup(
            db.session(),
            account(),
            form.code.data,
            now(),
            current_app.config["SECRET_KEY"],
            session_ref(),
        )
        if codes is not None:
            return render_template(
                "auth/recovery-codes.html", codes=codes, destination=url_for("accounts.settings")
            )
        form.mark_refused()
        return render_setup(account(), form, failed=True)
    if account().totp_secret is None:
        two_step.begin_setup(db.session(), account())
    return render_setup(account(), form)


@bp.route("/account/two-step/off", methods=["POST"])
@role_required(Role.FAMILY)
def two_step_off() -> ResponseReturnValue:
    """A family member turns two-step off, proving it with a current code."""
    form = CodeForm()
    if form.validate_on_submit() and two_step.turn_off(
        db.session(),
        account(),
        form.code.data,
        now(),
        current_app.config["SECRET_KEY"],
        session_ref(),
    ):
        return redirect(url_for("accounts.settings", saved=1))
    if not form.errors:
        form.refuse(form.code, _("Enter a correct security code"))
    return _settings_page(code_form=form)
