"""Staff pages. Denied by default: every route needs a signed-in staff account."""

from __future__ import annotations

import uuid

from flask import render_template, request
from flask.typing import ResponseReturnValue

from forms.find_person import FindPersonForm
from portal import db
from portal.services.people_search import find_people
from portal.services.sharing_events import events_about
from portal.vocabulary import Role
from portal.web.current import account, role_required, viewer
from portal.web.records import show_record
from portal.web.staff import STAFF_ROLES, staff_blueprint

bp = staff_blueprint("staff", "/staff")


@bp.route("")
@role_required(*STAFF_ROLES)
def home() -> ResponseReturnValue:
    """Staff: what the signed-in officer can do."""
    return render_template("staff/home.html", role=account().role)


@bp.route("/people")
@role_required(Role.DPO_OFFICER)
def find_person() -> ResponseReturnValue:
    """DPO officers: find a person's record by name, household reference, NHS or NI number."""
    form = FindPersonForm(request.args, meta={"csrf": False})
    matches = None
    if request.args and form.validate():
        matches = find_people(db.session(), viewer(), form.q.data)
    return render_template("staff/find-person.html", form=form, matches=matches)


@bp.route("/people/<uuid:person_id>")
@role_required(Role.DPO_OFFICER)
def person(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: the whole record, withheld items marked, and every sharing with partners;
    every opening is audited."""
    return show_record(
        person_id, "staff/person.html", sharing=events_about(db.session(), person_id)
    )
