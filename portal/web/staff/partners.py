"""Administrators: the partner register. Add, change, retire, restore, and delete a partner
nothing names. Every change is a POST that a service audits, then a redirect with what
happened for the page's banner."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.guardian_approval import ConfirmForm
from forms.partners import NewPartnerForm, PartnerDetailsForm
from portal import db
from portal.i18n import lazy_gettext as _l
from portal.models import Partner
from portal.services import partners
from portal.vocabulary import PartnerKind, Role
from portal.web.current import account, role_required, session_ref, today
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_partners", "/staff/partners")

REFUSED_CODES = {
    partners.Refusal.CODE_TAKEN: _l("A partner with this code already exists: choose another"),
    partners.Refusal.CODE_FORMAT: _l(
        "Code must be 3 to 60 characters: lowercase letters, digits and hyphens only"
    ),
}


@bp.route("")
@role_required(Role.ADMINISTRATOR)
def register() -> ResponseReturnValue:
    """Administrators: every partner, current first, with its status."""
    return render_template("staff/partners/register.html", partners=partners.register(db.session()))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def add() -> ResponseReturnValue:
    """Administrators: a new partner with the words families read, in English and Welsh. A
    code already taken is an error on the form, the answers kept."""
    form = NewPartnerForm()
    if form.validate_on_submit():
        try:
            partners.add_partner(
                db.session(), account(), form.code.data, _details(form), session_ref()
            )
        except partners.PartnerRefused as refused:
            form.refuse(form.code, REFUSED_CODES[refused.reason])
        else:
            return redirect(url_for("staff_partners.register", outcome="added"))
    return render_template("staff/partners/add.html", form=form)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def edit(code: str) -> ResponseReturnValue:
    """Administrators: the partner's status and uses, and a form to change its words or kind."""
    found = _found(code)
    form = PartnerDetailsForm(obj=found)
    if form.validate_on_submit():
        partners.change_partner(db.session(), account(), found, _details(form), session_ref())
        return _back(code, "changed")
    return render_template(
        "staff/partners/edit.html",
        partner=found,
        form=form,
        usage=partners.usage(db.session(), found),
        confirm=ConfirmForm(formdata=None),
    )


@bp.route("/<code>/retire", methods=["POST"])
@role_required(Role.ADMINISTRATOR)
def retire(code: str) -> ResponseReturnValue:
    """Administrators: the partner receives no more data; past sharing still names it."""
    partners.retire_partner(db.session(), account(), _posted(code), today(), session_ref())
    return _back(code, "retired")


@bp.route("/<code>/restore", methods=["POST"])
@role_required(Role.ADMINISTRATOR)
def restore(code: str) -> ResponseReturnValue:
    """Administrators: a retired partner is current again."""
    partners.restore_partner(db.session(), account(), _posted(code), session_ref())
    return _back(code, "restored")


@bp.route("/<code>/delete", methods=["GET"])
@role_required(Role.ADMINISTRATOR)
def confirm_delete(code: str) -> ResponseReturnValue:
    """Administrators: are you sure? Only for a partner no sharing event or task names."""
    found = _found(code)
    if partners.usage(db.session(), found).in_use:
        return _back(code, "in-use")
    return render_template("staff/partners/delete.html", partner=found, confirm=ConfirmForm())


@bp.route("/<code>/delete", methods=["POST"])
@role_required(Role.ADMINISTRATOR)
def delete(code: str) -> ResponseReturnValue:
    """Administrators: the partner is gone, unless something names it by now."""
    try:
        partners.delete_partner(db.session(), account(), _posted(code), session_ref())
    except partners.PartnerRefused:
        return _back(code, "in-use")
    return redirect(url_for("staff_partners.register", outcome="deleted"))


def _details(form: PartnerDetailsForm) -> partners.PartnerDetails:
    return partners.PartnerDetails(
        kind=PartnerKind(form.kind.data),
        name_en=form.name_en.data,
        name_cy=form.name_cy.data,
        description_en=form.description_en.data,
        description_cy=form.description_cy.data,
    )


def _found(code: str) -> Partner:
    found = partners.by_code(db.session(), code)
    if found is None:
        abort(404)
    return found


def _posted(code: str) -> Partner:
    """A partner named by a button-only form, whose CSRF token is the point."""
    found = _found(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return found


def _back(code: str, outcome: str) -> ResponseReturnValue:
    """Post/redirect/get: the partner's page, with what happened for its banner."""
    return redirect(url_for("staff_partners.edit", code=code, outcome=outcome))
