"""What a copy shows: a DPO officer holding a request leaves an item out of the copy, or
redacts its value, under an exemption with a note for staff, and can undo it. Changing the
copy withdraws a release waiting for a second officer's approval, which must be asked again
once the build job has rebuilt the copy.

Callers are DPO officers' views (the caller checks the role); the officer must hold the
request (portal/services/copy_handling.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.jobs.queue import Job, after_commit
from portal.models import Account, CopyItemTreatment, CopyRequest, DataItem
from portal.services.copy_assembly import Assembly
from portal.services.copy_handling import WORKABLE, Result, held_by
from portal.services.copy_requests import add_event, audit
from portal.vocabulary import OFFICER_REASONS, CopyReason, CopyStatus, CopyTreatment


def treat_item(
    db: Session,
    staff: Account,
    request: CopyRequest,
    assembly: Assembly,
    *,
    item_id: uuid.UUID,
    treatment: CopyTreatment,
    reason: CopyReason,
    note: str,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """Leaves one item in the copy out, or redacts its value, under an exemption. Only items
    the copy would show may be treated; a release waiting for approval goes back to the
    officer, since the copy has changed."""
    shown = {item.id for item in assembly.included}
    if reason not in OFFICER_REASONS or item_id not in shown or not _may_change(request, staff):
        return Result.NOT_ALLOWED
    decision = CopyItemTreatment(
        copy_request_id=request.id,
        item_id=item_id,
        treatment=treatment,
        reason=reason,
        note=note,
        decided_by_id=staff.id,
        decided_at=now,
    )
    try:
        # A second submit at the same moment meets the unique (request, item) constraint.
        with db.begin_nested():
            db.add(decision)
    except IntegrityError:
        return Result.NOT_ALLOWED
    item = db.get(DataItem, item_id)
    detail = f"{item.kind.value}: {treatment.value}, {reason.value}" if item else None
    return _changed_copy(db, staff, request, now, session_ref, "item_treated", detail)


def undo_treatment(
    db: Session,
    staff: Account,
    request: CopyRequest,
    item_id: uuid.UUID,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """Puts an item an officer left out or redacted back as it was."""
    if not _may_change(request, staff):
        return Result.NOT_ALLOWED
    removed = db.execute(
        delete(CopyItemTreatment).where(
            CopyItemTreatment.copy_request_id == request.id,
            CopyItemTreatment.item_id == item_id,
        )
    )
    if not getattr(removed, "rowcount", 0):
        db.rollback()
        return Result.NOT_ALLOWED
    return _changed_copy(db, staff, request, now, session_ref, "treatment_undone", None)


def treatments_by_item(request: CopyRequest) -> dict[uuid.UUID, CopyItemTreatment]:
    return {treatment.item_id: treatment for treatment in request.treatments}


def _changed_copy(
    db: Session,
    staff: Account,
    request: CopyRequest,
    now: dt.datetime,
    session_ref: str | None,
    action: str,
    detail: str | None,
) -> Result:
    """The copy's content changed: a release waiting for approval must be asked again, and
    the copy is built again."""
    if request.status is CopyStatus.AWAITING_APPROVAL:
        request.status = CopyStatus.RECEIVED
        request.release_requested_by_id = None
        request.release_requested_at = None
    add_event(request, staff, now, action, note=detail)
    audit(db, staff, request, f"copy.{action}", session_ref)
    after_commit(db, Job.BUILD_COPY, str(request.id))
    db.commit()
    return Result.DONE


def _may_change(request: CopyRequest, staff: Account) -> bool:
    return held_by(request, staff) and request.status in WORKABLE
