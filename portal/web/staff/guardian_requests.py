"""DPO staff: children's accounts waiting for a guardian, approved with a recorded reason."""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.guardian_approval import ConfirmForm, StaffApprovalForm
from portal import db
from portal.services import guardian_approval
from portal.vocabulary import Role
from portal.web.current import account, now, public_url, role_required, session_ref
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_guardian", "/staff/guardian-requests")


@bp.route("")
@role_required(Role.DPO_OFFICER)
def queue() -> ResponseReturnValue:
    """DPO officers: requests with staff, waiting on guardians, declined or expired."""
    requests = guardian_approval.requests_for_staff(db.session())
    return render_template("staff/guardian-requests/queue.html", requests=requests)


@bp.route("/<uuid:request_id>", methods=["GET", "POST"])
@role_required(Role.DPO_OFFICER)
def request(request_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: approve on a guardian's behalf, giving the grounds and details."""
    found = guardian_approval.request_for_staff(db.session(), request_id)
    if found is None:
        abort(404)
    form = StaffApprovalForm()
    if found.status in guardian_approval.OPEN and form.validate_on_submit():
        reason = f"{form.grounds.data}: {form.details.data}"
        guardian_approval.approve_by_staff(
            db.session(), account(), found, reason, now(), public_url(), session_ref()
        )
        return redirect(url_for("staff_guardian.queue"))
    return render_template(
        "staff/guardian-requests/request.html", item=found, form=form, again=ConfirmForm()
    )


@bp.route("/<uuid:request_id>/ask-again", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def ask_again(request_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: ask the guardians again after a decline or expiry."""
    found = guardian_approval.request_for_staff(db.session(), request_id)
    if (
        found is None
        or found.status in guardian_approval.OPEN
        or not ConfirmForm().validate_on_submit()
    ):
        abort(404)
    fresh = guardian_approval.ask_again(
        db.session(), account(), found, now(), public_url(), session_ref()
    )
    return redirect(url_for("staff_guardian.request", request_id=fresh.id))
