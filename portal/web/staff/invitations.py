"""DPO staff: issuing and withdrawing the invitation codes that tie an account to a person."""

from __future__ import annotations

import uuid

from flask import abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.guardian_approval import ConfirmForm
from portal import db
from portal.models import Person
from portal.services import invitations
from portal.vocabulary import Role
from portal.web.current import account, now, role_required, session_ref
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_invitations", "/staff/people/<uuid:person_id>/invitation-codes")


@bp.route("", methods=["GET"])
@role_required(Role.DPO_OFFICER)
def codes(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: the person's codes, and buttons to issue a new one or stop them all."""
    person = _person(person_id)
    return render_template(
        "staff/invitation-codes.html",
        person=person,
        form=ConfirmForm(),
        codes=invitations.codes_for(db.session(), person.id),
        now=now(),
    )


@bp.route("", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def issue(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: a new code, shown once; older unused codes stop working."""
    person = _person(person_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    code = invitations.issue_code(
        db.session(),
        staff=account(),
        person=person,
        now=now(),
        secret=current_app.config["SECRET_KEY"],
        session_ref=session_ref(),
    )
    return render_template("staff/invitation-code-issued.html", person=person, code=code)


@bp.route("/withdraw", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def withdraw(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: every unused code for the person stops working at once."""
    person = _person(person_id)
    if ConfirmForm().validate_on_submit():
        invitations.withdraw_codes(
            db.session(), staff=account(), person=person, now=now(), session_ref=session_ref()
        )
    return redirect(url_for("staff_invitations.codes", person_id=person.id))


def _person(person_id: uuid.UUID) -> Person:
    person = db.session().get(Person, person_id)
    if person is None:
        abort(404)
    return person
