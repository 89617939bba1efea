"""DPO staff: a person's relationships, and ending a parental-responsibility link."""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.relationships import EndRelationshipForm
from portal import db
from portal.models import Person
from portal.services import relationships
from portal.vocabulary import Role
from portal.web.current import account, now, role_required, session_ref, today
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_relationships", "/staff/people/<uuid:person_id>/relationships")


@bp.route("", methods=["GET"])
@role_required(Role.DPO_OFFICER)
def links(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: who this person is linked to, and who holds parental responsibility."""
    return _page(person_id, EndRelationshipForm())


@bp.route("/<uuid:relationship_id>/end", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def end(person_id: uuid.UUID, relationship_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: the link ends today and the adult is signed out everywhere at once."""
    form = EndRelationshipForm()
    if not form.validate_on_submit():
        return _page(person_id, form, failed_id=relationship_id)
    ended = relationships.end_relationship(
        db.session(),
        staff=account(),
        relationship_id=relationship_id,
        reason=form.reason.data,
        now=now(),
        session_ref=session_ref(),
    )
    if ended is None:
        abort(404)
    return redirect(url_for("staff_relationships.links", person_id=person_id))


def _page(
    person_id: uuid.UUID, form: EndRelationshipForm, failed_id: uuid.UUID | None = None
) -> str:
    person = db.session().get(Person, person_id)
    if person is None:
        abort(404)
    return render_template(
        "staff/relationships.html",
        person=person,
        form=form,
        failed_id=failed_id,
        links=relationships.relationships_of(db.session(), person_id),
        today=today(),
    )
