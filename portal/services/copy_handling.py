"""DPO staff work a copy request: claim it safely (or take it over, saying why), ask the
requester a question (the clock pauses), extend it (the requester is told why), refuse it on
the statutory grounds, and release the copy. A copy that leaves out or redacts anything is
released only when a second officer approves it. What the copy shows is decided in
portal/services/copy_redactions.py.

Callers are DPO officers' views (the caller checks the role). Each change is one guarded
UPDATE (two officers, or two clicks, never both win), writes its history row and audit event,
and commits.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from portal import deadlines
from portal.ages import london_today
from portal.models import Account, CopyRequest, NotificationKind
from portal.services.conditional import conditional_update
from portal.services.copy_assembly import Assembly
from portal.services.copy_requests import (
    DOWNLOAD_DAYS,
    add_event,
    audit,
    due_date,
    request_path,
)
from portal.services.notifications import enqueue
from portal.vocabulary import (
    CopyDelivery,
    CopyRefusal,
    CopyStatus,
)

# Statuses in which an officer may still change the copy or refuse the request.
WORKABLE = (CopyStatus.RECEIVED, CopyStatus.WAITING, CopyStatus.AWAITING_APPROVAL)


class Result(Enum):
    DONE = "done"
    # Someone else holds it, or it is no longer in a state for this.
    NOT_ALLOWED = "not_allowed"
    # The record changed since the copy was built: wait for the build job to rebuild it.
    NOT_BUILT = "not_built"
    # The officer who asked to release a copy cannot also approve it.
    SAME_OFFICER = "same_officer"


def held_by(request: CopyRequest, staff: Account) -> bool:
    return request.assigned_account_id == staff.id


def claim(
    db: Session, staff: Account, request: CopyRequest, now: dt.datetime, session_ref: str | None
) -> Result:
    """Takes an unclaimed open request: of two officers claiming at once exactly one wins."""
    won = conditional_update(
        db,
        request,
        (CopyRequest.assigned_account_id.is_(None), CopyRequest.status.in_(WORKABLE)),
        assigned_account_id=staff.id,
        assigned_at=now,
    )
    return _done(db, staff, request, now, session_ref, won, "claimed")


def take_over(
    db: Session,
    staff: Account,
    request: CopyRequest,
    reason: str,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """Any DPO officer takes over an open request another officer holds (who is away, say),
    saying why; the reason stays in the staff history. Guarded on the holder it had, so of
    two officers taking over at once one wins."""
    holder = request.assigned_account_id
    if holder is None or holder == staff.id:
        return Result.NOT_ALLOWED
    taken = conditional_update(
        db,
        request,
        (CopyRequest.assigned_account_id == holder, CopyRequest.status.in_(WORKABLE)),
        assigned_account_id=staff.id,
        assigned_at=now,
    )
    return _done(db, staff, request, now, session_ref, taken, "taken_over", reason)


def ask_question(
    db: Session,
    staff: Account,
    request: CopyRequest,
    question: str,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """Asks the requester to clarify what they want: the clock stops until they answer."""
    paused = conditional_update(
        db,
        request,
        (*_held(staff), CopyRequest.status == CopyStatus.RECEIVED),
        status=CopyStatus.WAITING,
        paused_on=london_today(now),
    )
    return _done(
        db,
        staff,
        request,
        now,
        session_ref,
        paused,
        "question",
        question,
        True,
        tell=NotificationKind.COPY_QUESTION,
    )


def extend(
    db: Session,
    staff: Account,
    request: CopyRequest,
    months: int,
    reason: str,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """Up to two more months in all for a complex request, decided within the first month;
    the requester is told the new date and why. `months` is the whole extension."""
    allowed = deadlines.extension_allowed(
        request.received_on,
        request.paused_days,
        request.extended_months,
        months,
        london_today(now),
    )
    if not held_by(request, staff) or not allowed:
        return Result.NOT_ALLOWED
    due_on = due_date(request.received_on, request.paused_days, months)
    extended = conditional_update(
        db,
        request,
        (*_held(staff), CopyRequest.status.in_(WORKABLE), CopyRequest.extended_months < months),
        extended_months=months,
        due_on=due_on,
    )
    return _done(
        db,
        staff,
        request,
        now,
        session_ref,
        extended,
        "extended",
        reason,
        True,
        tell=NotificationKind.COPY_EXTENDED,
        due=due_on.isoformat(),
    )


def release(
    db: Session,
    staff: Account,
    request: CopyRequest,
    assembly: Assembly,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """The officer who holds it releases the copy, or, when the copy leaves out or redacts
    anything, asks a second officer to approve it."""
    if not held_by(request, staff) or request.status is not CopyStatus.RECEIVED:
        return Result.NOT_ALLOWED
    if request.copy_fingerprint != assembly.fingerprint:
        return Result.NOT_BUILT
    if not assembly.needs_second_officer:
        guard = (*_held(staff), _built(assembly))
        return _release(db, staff, request, now, session_ref, guard, CopyStatus.RECEIVED)
    asked = conditional_update(
        db,
        request,
        (*_held(staff), CopyRequest.status == CopyStatus.RECEIVED, _built(assembly)),
        status=CopyStatus.AWAITING_APPROVAL,
        release_requested_by_id=staff.id,
        release_requested_at=now,
    )
    return _done(db, staff, request, now, session_ref, asked, "release_asked")


def approve(
    db: Session,
    staff: Account,
    request: CopyRequest,
    assembly: Assembly,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """A second officer approves the release of a copy that leaves out or redacts something."""
    if request.status is not CopyStatus.AWAITING_APPROVAL:
        return Result.NOT_ALLOWED
    if request.release_requested_by_id == staff.id:
        return Result.SAME_OFFICER
    if request.copy_fingerprint != assembly.fingerprint:
        return Result.NOT_BUILT
    guard = (CopyRequest.release_requested_by_id != staff.id,)
    return _release(
        db,
        staff,
        request,
        now,
        session_ref,
        guard,
        CopyStatus.AWAITING_APPROVAL,
        approved_by_id=staff.id,
    )


def refuse(
    db: Session,
    staff: Account,
    request: CopyRequest,
    reason: CopyRefusal,
    note: str,
    now: dt.datetime,
    session_ref: str | None,
) -> Result:
    """Refuses on Article 12(5)'s grounds (or a requester with no authority); the requester
    is told why, how to complain to the ICO and that they may apply to a court."""
    refused = conditional_update(
        db,
        request,
        (*_held(staff), CopyRequest.status.in_(WORKABLE)),
        status=CopyStatus.REFUSED,
        refusal_reason=reason,
        refusal_note=note,
        closed_at=now,
        paused_on=None,
    )
    return _done(
        db,
        staff,
        request,
        now,
        session_ref,
        refused,
        "refused",
        note,
        True,
        tell=NotificationKind.COPY_REFUSED,
    )


def _release(
    db: Session,
    staff: Account,
    request: CopyRequest,
    now: dt.datetime,
    session_ref: str | None,
    guard: tuple[ColumnElement[bool], ...],
    status: CopyStatus,
    **values: object,
) -> Result:
    downloadable = request.delivery is CopyDelivery.DOWNLOAD
    released = conditional_update(
        db,
        request,
        (*guard, CopyRequest.status == status, CopyRequest.copy_fingerprint.is_not(None)),
        status=CopyStatus.RELEASED,
        released_at=now,
        closed_at=now,
        download_until=now + dt.timedelta(days=DOWNLOAD_DAYS) if downloadable else None,
        **values,
    )
    action = "released" if downloadable else "posted"
    return _done(
        db,
        staff,
        request,
        now,
        session_ref,
        released,
        action,
        visible=True,
        tell=NotificationKind.COPY_READY,
        delivery=request.delivery.value,
    )


def _held(staff: Account) -> tuple[ColumnElement[bool], ...]:
    return (CopyRequest.assigned_account_id == staff.id,)


def _built(assembly: Assembly) -> ColumnElement[bool]:
    return CopyRequest.copy_fingerprint == assembly.fingerprint


def _done(
    db: Session,
    staff: Account,
    request: CopyRequest,
    now: dt.datetime,
    session_ref: str | None,
    changed: bool,
    action: str,
    note: str | None = None,
    visible: bool = False,
    tell: NotificationKind | None = None,
    **more: str,
) -> Result:
    """After a guarded UPDATE: its history row, audit event and email, in its transaction."""
    if not changed:
        return Result.NOT_ALLOWED
    db.refresh(request)
    add_event(request, staff, now, action, note=note, visible=visible)
    audit(db, staff, request, f"copy.{action}", session_ref)
    if tell is not None:
        _tell(db, request, tell, **more)
    db.commit()
    return Result.DONE


def _tell(db: Session, request: CopyRequest, kind: NotificationKind, **more: str) -> None:
    """An email to the requester, in their language: that there is news, not the news itself
    (that waits behind sign-in)."""
    requester = request.requester
    enqueue(
        db,
        kind,
        requester.email,
        requester.language,
        reference=request.reference,
        path=request_path(request),
        **more,
    )
