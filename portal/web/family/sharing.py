"""Who we shared your data with, and who our partners are."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from portal import db
from portal.services import sharing_record
from portal.services.your_data import visible_people
from portal.vocabulary import Role
from portal.web.current import public, role_required, today, viewer

bp = Blueprint("sharing", __name__)


@bp.route("/who-we-shared-with")
@role_required(Role.FAMILY)
def record() -> ResponseReturnValue:
    """A family member: each time we shared data about someone whose record they may see."""
    people = visible_people(db.session(), viewer(), today())
    chosen = _chosen_person(request.args.get("person"), {p.id for p in people})
    page = request.args.get("page", "1")
    found = sharing_record.sharing_record(
        db.session(),
        viewer(),
        today(),
        person_id=chosen,
        page=int(page) if page.isascii() and page.isdigit() else 1,
    )
    return render_template("family/sharing.html", found=found, people=people, chosen=chosen)


@bp.route("/where-your-data-came-from")
@role_required(Role.FAMILY)
def sources() -> ResponseReturnValue:
    """A family member: the organisations our data about them and their children came from."""
    found = sharing_record.sources_of(db.session(), viewer(), today())
    return render_template("family/sources.html", found=found)


@bp.route("/partners/<code>")
@public
def partner(code: str) -> ResponseReturnValue:
    """Anyone: who a partner organisation is and why the council shares with them."""
    found = sharing_record.partner_by_code(db.session(), code)
    if found is None:
        abort(404)
    return render_template("pages/partner.html", partner=found)


def _chosen_person(value: str | None, allowed: set[uuid.UUID]) -> uuid.UUID | None:
    try:
        chosen = uuid.UUID(value) if value else None
    except ValueError:
        return None
    return chosen if chosen in allowed else None
