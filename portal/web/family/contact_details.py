"""Families changing their own contact details, after proving it is them again."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from forms.contact_details import AddressForm, ConfirmPasswordForm, EmailForm, PhoneForm
from portal import db
from portal.contact_formats import normalise_phone, postal_address
from portal.i18n import gettext as _
from portal.passwords import verify_password
from portal.services import contact_details
from portal.vocabulary import ItemKind, Role
from portal.web.auth.signing_in import authenticated_within, note_fresh_authentication
from portal.web.current import account, now, role_required, safe_next, session_ref, today, viewer
from portal.web.limits import PER_ACCOUNT, limiter

bp = Blueprint("contact_details", __name__)

FORMS = {ItemKind.PHONE: PhoneForm, ItemKind.EMAIL: EmailForm, ItemKind.ADDRESS: AddressForm}


@bp.route("/your-data/items/<uuid:item_id>/change", methods=["GET", "POST"])
@role_required(Role.FAMILY)
def change(item_id: uuid.UUID) -> ResponseReturnValue:
    """A family member changes a contact detail on their own record; others are 404."""
    item = contact_details.own_contact_item(db.session(), viewer(), item_id, today())
    if item is None:
        abort(404)
    if not authenticated_within(contact_details.REAUTHENTICATION_WINDOW):
        return redirect(url_for("contact_details.confirm_password", next=request.path))
    form = FORMS[item.kind]()
    if form.validate_on_submit():
        contact_details.change_contact(
            db.session(),
            account=account(),
            viewer=viewer(),
            item_id=item.id,
            new_value=_new_value(item.kind, form),
            now=now(),
            session_ref=session_ref(),
        )
        return redirect(url_for("family.person", person_id=item.person_id, changed=1))
    return render_template("family/change-contact.html", item=item, form=form)


@bp.route("/confirm-password", methods=["GET", "POST"])
@role_required(Role.FAMILY)
@limiter.limit(PER_ACCOUNT, key_func=lambda: f"reauth:{account().id}", methods=["POST"])
def confirm_password() -> ResponseReturnValue:
    """Before a sensitive change: the password again (or, without one, One Login again)."""
    form = ConfirmPasswordForm()
    destination = safe_next(request.args.get("next")) or url_for("family.your_data")
    if form.validate_on_submit():
        stored = account().password_hash
        if stored is not None and verify_password(stored, form.password.data):
            note_fresh_authentication()
            return redirect(destination)
        form.refuse(form.password, _("Enter your password correctly"))
    return render_template(
        "family/confirm-password.html",
        form=form,
        has_password=account().password_hash is not None,
        destination=destination,
    )


def _new_value(kind: ItemKind, form: PhoneForm | EmailForm | AddressForm) -> str:
    if isinstance(form, PhoneForm):
        return normalise_phone(form.value.data) or form.value.data
    if isinstance(form, EmailForm):
        return form.value.data.lower()
    address = postal_address(
        form.line_1.data, form.line_2.data or "", form.town.data, form.postcode.data
    )
    assert address is not None  # the form checked the postcode
    return address
