"""Your data: what the council holds about the signed-in family member and their children."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from portal import db
from portal.services.guardian_approval import requests_for_guardian
from portal.services.your_data import household_records
from portal.vocabulary import Role
from portal.web.current import account, now, role_required, today, viewer
from portal.web.records import show_record

bp = Blueprint("family", __name__, url_prefix="/your-data")


@bp.route("")
@role_required(Role.FAMILY)
def your_data() -> ResponseReturnValue:
    """A family member: each person whose record they may see, and what it holds."""
    if viewer().awaiting_guardian:
        return render_template("family/waiting-for-guardian.html")
    records = household_records(db.session(), viewer(), today())
    tasks = requests_for_guardian(db.session(), account(), now())
    answered = request.args.get("answered")
    return render_template("family/your-data.html", records=records, tasks=tasks, answered=answered)


@bp.route("/<uuid:person_id>")
@role_required(Role.FAMILY)
def person(person_id: uuid.UUID) -> ResponseReturnValue:
    """A family member: one record they may see, by category; anything else is 404."""
    return show_record(person_id, "family/person.html")
