"""Staff blueprints deny by default: every route needs a signed-in staff account."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from portal.vocabulary import Role

STAFF_ROLES = (Role.DPO_OFFICER, Role.ADMINISTRATOR)


def staff_blueprint(name: str, url_prefix: str) -> Blueprint:
    blueprint = Blueprint(name, __name__, url_prefix=url_prefix)

    @blueprint.before_request
    def staff_only() -> None:
        if not current_user.is_authenticated or current_user.role not in STAFF_ROLES:
            abort(404)

    return blueprint
