"""Staff pages. Denied by default: every route needs a signed-in staff account."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from forms.find_person import FindPersonForm
from portal import db
from portal.services.audit import record_view
from portal.services.people_search import find_people
from portal.services.your_data import person_record
from portal.vocabulary import Role
from portal.web.current import account, role_required, session_ref, today, viewer

bp = Blueprint("staff", __name__, url_prefix="/staff")

STAFF_ROLES = (Role.DPO_OFFICER, Role.ADMINISTRATOR)


@bp.before_request
def staff_only() -> None:
    if not current_user.is_authenticated or account().role not in STAFF_ROLES:
        abort(404)


@bp.route("")
@role_required(*STAFF_ROLES)
def home() -> ResponseReturnValue:
    """Staff: what the signed-in officer can do."""
    return render_template("staff/home.html", role=account().role)


@bp.route("/people")
@role_required(Role.DPO_OFFICER)
def find_person() -> ResponseReturnValue:
    """DPO officers: find a person's record by name or household reference."""
    form = FindPersonForm(request.args, meta={"csrf": False})
    matches = None
    if request.args and form.validate():
        matches = find_people(db.session(), viewer(), form.q.data)
    return render_template("staff/find-person.html", form=form, matches=matches)


@bp.route("/people/<uuid:person_id>")
@role_required(Role.DPO_OFFICER)
def person(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: the whole record, withheld items marked; every opening is audited."""
    record = person_record(db.session(), viewer(), person_id, today())
    if record is None:
        abort(404)
    record_view(
        db.session(), actor=account(), subject_person_id=person_id, session_ref=session_ref()
    )
    return render_template("staff/person.html", record=record)
