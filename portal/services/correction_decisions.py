"""DPO staff decide correction requests: claim one safely, accept, refuse, extend, follow up.

Accepting never overwrites another organisation's data: council-held items get a new
version; partner-sourced items get a task to ask the source. Every partner that received
the item gets a task to be told (Article 19).

Callers are DPO officers' views (the caller checks the role). Each change writes its audit
event in the same transaction and commits.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from portal import deadlines
from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.models import (
    Account,
    CorrectionEvent,
    CorrectionRequest,
    CorrectionTask,
    DataItem,
    NotificationKind,
    SharingEvent,
)
from portal.services import person_fields
from portal.services.audit import record_event
from portal.services.conditional import conditional_update
from portal.services.correction_queue import COUNCIL_SOURCES, recipients_of
from portal.services.item_versions import replace_item
from portal.services.notifications import enqueue
from portal.services.person_fields import Corrected
from portal.vocabulary import CorrectionStatus, CorrectionTaskKind, RefusalReason


def claim(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    now: dt.datetime,
    session_ref: str | None = None,
) -> bool:
    """Takes an unclaimed request. One conditional UPDATE, so of two officers claiming at once
    exactly one wins, on SQLite or PostgreSQL."""
    won = _conditional_update(
        db,
        request,
        (
            CorrectionRequest.claimed_by_account_id.is_(None),
            CorrectionRequest.status == CorrectionStatus.RECEIVED,
        ),
        claimed_by_account_id=staff.id,
        claimed_at=now,
        status=CorrectionStatus.IN_REVIEW,
    )
    if not won:
        return False
    _event(db, request, staff, now, "claimed")
    _audit(db, staff, request, "correction.claimed", session_ref)
    db.commit()
    db.refresh(request)
    return True


def release(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    now: dt.datetime,
    session_ref: str | None = None,
) -> bool:
    """The officer who claimed a request puts it back in the queue, undecided."""
    released = _conditional_update(
        db,
        request,
        _held_by_condition(staff),
        claimed_by_account_id=None,
        claimed_at=None,
        status=CorrectionStatus.RECEIVED,
    )
    if not released:
        return False
    _event(db, request, staff, now, "released")
    _audit(db, staff, request, "correction.released", session_ref)
    db.commit()
    db.refresh(request)
    return True


def accept(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    decision_text: str,
    now: dt.datetime,
    session_ref: str | None,
    corrected: Corrected | None = None,
    public_url: str = "",
) -> bool:
    """The officer who claimed it accepts it; for a name or date of birth, `corrected` is the
    value they checked (and `public_url` makes the links if guardians must now be asked).
    Returns False if they do not hold it (or it was decided meanwhile: a second click does
    nothing), or if `corrected` does not fit the request."""
    field = request.person_field
    if field is not None and not person_fields.fits(field, corrected):
        return False
    if not _take_decision(db, staff, request, CorrectionStatus.ACCEPTED, now):
        return False
    if request.item is None:
        assert corrected is not None  # noqa: S101 (checked by fits() above)
        person_fields.apply_correction(db, request, corrected, staff, now)
        person_fields.ask_guardians_if_now_under_13(db, request.person, now, public_url)
        recipients = person_fields.shares_about(db, request)
    else:
        recipients = _correct_item(db, request, request.item, now)
    for partner_id in sorted({event.partner_id for event in recipients}):
        db.add(
            CorrectionTask(
                request=request,
                kind=CorrectionTaskKind.TELL_RECIPIENT,
                partner_id=partner_id,
                created_at=now,
            )
        )
    _decided(db, request, staff, now, CorrectionStatus.ACCEPTED, decision_text, session_ref)
    return True


def _correct_item(
    db: Session, request: CorrectionRequest, item: DataItem, now: dt.datetime
) -> list[SharingEvent]:
    """A council-held item gets a new version; another organisation's item a task to ask
    them. Returns every sharing event that carried any version of it."""
    current = _current_version(db, item)
    if current.source in COUNCIL_SOURCES:
        replace_item(
            db,
            current,
            value=request.should_say,
            source=current.source,
            now=now,
            obtained_on=london_today(now),
        )
    else:
        db.add(
            CorrectionTask(
                request=request,
                kind=CorrectionTaskKind.ASK_SOURCE,
                source=current.source,
                created_at=now,
            )
        )
    return [event for version in {item, current} for event in recipients_of(db, version)]


def refuse(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    reason: RefusalReason,
    decision_text: str,
    now: dt.datetime,
    session_ref: str | None,
) -> bool:
    """The officer who claimed it refuses it with a reason from the list and their words;
    the item is then disputed and the person may add a statement."""
    if not _take_decision(db, staff, request, CorrectionStatus.REFUSED, now):
        return False
    request.refusal_reason = reason
    _decided(db, request, staff, now, CorrectionStatus.REFUSED, decision_text, session_ref)
    return True


def held_by(request: CorrectionRequest, staff: Account) -> bool:
    """Claimed by this officer and not yet decided: only they may decide or extend it."""
    return (
        request.status == CorrectionStatus.IN_REVIEW and request.claimed_by_account_id == staff.id
    )


def extension_allowed(request: CorrectionRequest, months: int, today: dt.date) -> bool:
    """See `deadlines.extension_allowed`."""
    return deadlines.extension_allowed(
        request.received_on, request.paused_days, request.extended_months, months, today
    )


def extend(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    months: int,
    reason: str,
    now: dt.datetime,
    session_ref: str | None,
) -> bool:
    """Up to two more months in all for a complex request; the family is told why.
    `months` is the whole extension from the original due date, not an addition to it."""
    if not held_by(request, staff) or not extension_allowed(request, months, london_today(now)):
        return False
    due_on = statutory_due_date(
        request.received_on, paused_days=request.paused_days, extension_months=months
    )
    # Conditional, so that a second click (or tab) extending by as much does nothing more.
    extended = _conditional_update(
        db,
        request,
        (*_held_by_condition(staff), CorrectionRequest.extended_months < months),
        extended_months=months,
        extension_reason=reason,
        due_on=due_on,
    )
    if not extended:
        return False
    db.refresh(request)
    _event(db, request, staff, now, "extended", note=reason, visible=True)
    _audit(db, staff, request, "correction.extended", session_ref)
    _tell_family(db, request, NotificationKind.CORRECTION_EXTENDED, due=request.due_on.isoformat())
    db.commit()
    return True


def finish_task(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    task_id: uuid.UUID,
    now: dt.datetime,
    session_ref: str | None = None,
) -> bool:
    """Marks one of this request's follow-up tasks done, once: one conditional UPDATE, so of
    two officers (or two clicks) at once only one records it. Any DPO officer may."""
    request_id = request.id
    db.commit()  # end the read first (see _conditional_update)
    done = db.execute(
        update(CorrectionTask)
        .where(
            CorrectionTask.id == task_id,
            CorrectionTask.request_id == request_id,
            CorrectionTask.done_at.is_(None),
        )
        .values(done_at=now, done_by_account_id=staff.id)
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 0):
        db.rollback()
        return False
    kind = db.scalar(select(CorrectionTask.kind).where(CorrectionTask.id == task_id))
    _event(db, request, staff, now, "task_done", note=kind.value if kind else None)
    _audit(db, staff, request, "correction.task_done", session_ref)
    db.commit()
    return True


def _held_by_condition(staff: Account) -> tuple[ColumnElement[bool], ...]:
    return (
        CorrectionRequest.status == CorrectionStatus.IN_REVIEW,
        CorrectionRequest.claimed_by_account_id == staff.id,
    )


def _conditional_update(
    db: Session,
    request: CorrectionRequest,
    conditions: tuple[ColumnElement[bool], ...],
    **values: object,
) -> bool:
    return conditional_update(db, request, conditions, **values)


def _take_decision(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    status: CorrectionStatus,
    now: dt.datetime,
) -> bool:
    """Moves a request the officer holds to its decided status, once: of two submissions of a
    decision (a double click, two tabs) only the first goes on to change anything."""
    if not held_by(request, staff):
        return False
    taken = _conditional_update(
        db,
        request,
        _held_by_condition(staff),
        status=status,
        decided_by_account_id=staff.id,
        decided_at=now,
    )
    if taken:
        db.refresh(request)
    return taken


def _current_version(db: Session, item: DataItem) -> DataItem:
    """The item's latest version: another correction may have replaced it meanwhile."""
    while item.replaced_by_id is not None:
        newer = db.get(DataItem, item.replaced_by_id)
        if newer is None:
            break
        item = newer
    return item


def _decided(
    db: Session,
    request: CorrectionRequest,
    staff: Account,
    now: dt.datetime,
    status: CorrectionStatus,
    decision_text: str,
    session_ref: str | None,
) -> None:
    request.decision_text = decision_text
    _event(db, request, staff, now, status.value, visible=True)
    _audit(db, staff, request, f"correction.{status.value}", session_ref)
    _tell_family(db, request, NotificationKind.CORRECTION_DECIDED)
    db.commit()


def _tell_family(
    db: Session, request: CorrectionRequest, kind: NotificationKind, **more: str
) -> None:
    """An email to whoever asked, in their language: that there is news, not the news itself
    (that waits behind sign-in)."""
    asker = request.requested_by
    enqueue(
        db,
        kind,
        asker.email,
        asker.language,
        reference=request.reference,
        path=f"/your-requests/{request.reference}",
        **more,
    )


def _audit(
    db: Session,
    staff: Account,
    request: CorrectionRequest,
    action: str,
    session_ref: str | None,
) -> None:
    record_event(
        db,
        actor=staff,
        action=action,
        subject_person_id=request.person_id,
        session_ref=session_ref,
        detail={"reference": request.reference},
    )


def _event(
    db: Session,
    request: CorrectionRequest,
    staff: Account,
    now: dt.datetime,
    action: str,
    note: str | None = None,
    visible: bool = False,
) -> None:
    db.add(
        CorrectionEvent(
            request_id=request.id,
            at=now,
            actor_account_id=staff.id,
            action=action,
            note=note,
            visible_to_family=visible,
        )
    )
