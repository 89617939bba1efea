"""Who looked at your data in this portal: staff by team, when and why, and your own visits."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from portal import db
from portal.services.access_record import accesses
from portal.vocabulary import Role
from portal.web.current import account, role_required, today, viewer

bp = Blueprint("access_record", __name__)


@bp.route("/who-looked-at-your-data")
@role_required(Role.FAMILY)
def record() -> ResponseReturnValue:
    """A family member: each opening of a record they may see, newest first, paginated."""
    page = request.args.get("page", "1")
    found = accesses(
        db.session(),
        viewer(),
        account().id,
        today(),
        page=int(page) if page.isascii() and page.isdigit() else 1,
    )
    return render_template("family/who-looked.html", found=found)
