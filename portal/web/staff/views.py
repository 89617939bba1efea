"""Staff pages. Denied by default: every route needs a signed-in staff account."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from forms.find_person import FindPersonForm
from portal import db
from portal.services.people_search import find_people
from portal.vocabulary import Role
from portal.web.current import account, role_required, viewer
from portal.web.records import show_record

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
    return show_record(person_id, "staff/person.html")
