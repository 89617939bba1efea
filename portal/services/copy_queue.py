"""DPO staff read the copy-requests queue: filtered, soonest due (so overdue) first, a keyset
page at a time on (due date, id); and one request whole.

Callers are DPO officers' views (the caller checks the role). Working a request is in
portal/services/copy_handling.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Subquery, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.models import Account, CopyItemTreatment, CopyRequest
from portal.services.audit import record_view
from portal.services.correction_queue import Urgency, due_urgency
from portal.services.keyset import Cursor, heading, merged, read_page, read_past
from portal.vocabulary import CopyStatus, ViewReason

OPEN = (CopyStatus.RECEIVED, CopyStatus.WAITING, CopyStatus.AWAITING_APPROVAL)
PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[CopyStatus, ...] = OPEN
    # Requests held by this officer; or, with `unassigned`, those nobody holds.
    officer_id: uuid.UUID | None = None
    unassigned: bool = False
    overdue_only: bool = False


@dataclass(frozen=True)
class Page:
    requests: list[CopyRequest]
    next: Cursor | None = None
    previous: Cursor | None = None


def urgency(request: CopyRequest, today: dt.date) -> Urgency | None:
    """Overdue or due soon while the clock runs; None once answered or while paused."""
    if request.status not in (CopyStatus.RECEIVED, CopyStatus.AWAITING_APPROVAL):
        return None
    return due_urgency(request.due_on, today)


def page(
    db: Session,
    wanted: QueueFilter,
    today: dt.date,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page in (due date, id) order: the first, the one after `after`, or the one before
    `before`. One query: each status read along the index on (status, due date, id), merged."""
    cursor, backwards = heading(after, before)
    keys = _keys(wanted, today, cursor, backwards, size + 1)
    if keys is None:
        return Page([])
    loads = (
        joinedload(CopyRequest.requester).joinedload(Account.person),
        joinedload(CopyRequest.subject),
        joinedload(CopyRequest.assigned_to),
    )
    found = read_page(db, CopyRequest, keys, loads, size, backwards=backwards, after=after)
    return Page(found.rows, next=found.next, previous=found.previous)


def _keys(
    wanted: QueueFilter, today: dt.date, cursor: Cursor | None, backwards: bool, limit: int
) -> Subquery | None:
    """The (due date, id) of at most `limit` rows of each wanted status past the cursor,
    merged; None if no status can match (overdue only, among answered requests)."""
    return merged(
        [
            read_past(
                [CopyRequest.status == status, *_conditions(wanted, today)],
                CopyRequest.due_on,
                CopyRequest.id,
                cursor=cursor,
                backwards=backwards,
                limit=limit,
            )
            for status in _statuses(wanted)
        ]
    )


def _statuses(wanted: QueueFilter) -> tuple[CopyStatus, ...]:
    """Overdue only: among the requests whose clock runs (not answered, not paused)."""
    if not wanted.overdue_only:
        return wanted.statuses
    return tuple(s for s in wanted.statuses if s in OPEN and s is not CopyStatus.WAITING)


def _conditions(wanted: QueueFilter, today: dt.date) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.overdue_only:
        conditions.append(CopyRequest.due_on < today)
    if wanted.unassigned:
        conditions.append(CopyRequest.assigned_account_id.is_(None))
    elif wanted.officer_id is not None:
        conditions.append(CopyRequest.assigned_account_id == wanted.officer_id)
    return conditions


def by_reference(db: Session, reference: str) -> CopyRequest | None:
    """One request with what an officer needs to work it; None for an unknown reference."""
    return db.scalar(
        select(CopyRequest)
        .where(CopyRequest.reference == reference)
        .options(
            joinedload(CopyRequest.requester).joinedload(Account.person),
            joinedload(CopyRequest.subject),
            selectinload(CopyRequest.treatments).joinedload(CopyItemTreatment.item),
            selectinload(CopyRequest.events),
        )
    )


def actors_of(db: Session, request: CopyRequest) -> dict[uuid.UUID, Account]:
    """Who wrote each history row, holds it, asked for release or approved it: one query."""
    ids = {event.actor_account_id for event in request.events}
    ids |= {request.assigned_account_id, request.release_requested_by_id, request.approved_by_id}
    ids |= {treatment.decided_by_id for treatment in request.treatments}
    found = db.scalars(select(Account).where(Account.id.in_(ids - {None})))
    return {account.id: account for account in found}


def record_opened(
    db: Session, staff: Account, request: CopyRequest, session_ref: str | None
) -> None:
    """Opening a request shows the person's data: audited as a view of their record, which
    the family sees in "who looked". Views after the request was received are not part of
    the copy, so the review itself never changes the copy."""
    record_view(
        db,
        actor=staff,
        subject_person_id=request.subject_person_id,
        session_ref=session_ref,
        reason=ViewReason.COPY_REQUEST,
    )
