"""DPO staff read the complaints queue: every channel in one list, filtered, soonest due first,
a page at a time; and one complaint whole.

The next due date is the acknowledgement date while a complaint is new, the target date for
the outcome after that. Pages are keyset pages on (due date, id), never OFFSET: each status is
read from the index on (status, due date, id) by its own small query, and the pieces merged,
so a page costs the same with ten complaints or hundreds of thousands.

Callers are DPO officers' views (the caller checks the role). Working a complaint is in
portal/services/complaint_handling.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Subquery, select
from sqlalchemy.orm import (
    InstrumentedAttribute,
    Session,
    defer,
    joinedload,
    load_only,
    selectinload,
)

from portal.models import Account, Complaint
from portal.services.audit import record_event, record_view
from portal.services.correction_queue import Urgency, due_urgency
from portal.services.keyset import Cursor, heading, merged, read_page, read_past
from portal.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    Role,
    ViewReason,
)

OPEN = (
    ComplaintStatus.NEW,
    ComplaintStatus.ACKNOWLEDGED,
    ComplaintStatus.INVESTIGATING,
    ComplaintStatus.WAITING,
)
PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueFilter:
    statuses: tuple[ComplaintStatus, ...] = OPEN
    category: ComplaintCategory | None = None
    channel: ComplaintChannel | None = None
    # Complaints held by this officer; or, with `unassigned`, those nobody holds.
    officer_id: uuid.UUID | None = None
    unassigned: bool = False
    overdue_only: bool = False


@dataclass(frozen=True)
class Page:
    complaints: list[Complaint]
    # Cursors for the links: rows after `next`, rows before `previous`; None at either end.
    next: Cursor | None = None
    previous: Cursor | None = None


def next_due_on(complaint: Complaint) -> dt.date:
    """What the officer must meet next: the acknowledgement, then the outcome."""
    if complaint.status is ComplaintStatus.NEW:
        return complaint.acknowledgement_due_on
    return complaint.response_due_on


def urgency(complaint: Complaint, today: dt.date) -> Urgency | None:
    """Overdue, or due within DUE_SOON_WORKING_DAYS working days; None once answered."""
    if complaint.status not in OPEN:
        return None
    return due_urgency(next_due_on(complaint), today)


def page(
    db: Session,
    wanted: QueueFilter,
    today: dt.date,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """One page of the queue in (due date, id) order: the first, the one after `after`, or
    the one before `before`. One query, however many rows the page shows."""
    cursor, backwards = heading(after, before)
    keys = _keys(wanted, today, cursor, backwards, size + 1)
    if keys is None:
        return Page([])
    # The queue shows no address: it is not decrypted for it.
    loads = (
        defer(Complaint.complainant_address),
        joinedload(Complaint.complainant).joinedload(Account.person),
        joinedload(Complaint.about_person),
        joinedload(Complaint.assigned_to),
    )
    found = read_page(db, Complaint, keys, loads, size, backwards=backwards, after=after)
    return Page(complaints=found.rows, next=found.next, previous=found.previous)


def _keys(
    wanted: QueueFilter, today: dt.date, cursor: Cursor | None, backwards: bool, limit: int
) -> Subquery | None:
    """The (due date, id) of at most `limit` rows of each wanted status past the cursor,
    merged; None if no status can match (overdue only, among answered complaints)."""
    pieces = []
    for status in wanted.statuses:
        if wanted.overdue_only and status not in OPEN:
            continue
        due = _due_column(status)
        conditions = [Complaint.status == status, *_conditions(wanted)]
        if wanted.overdue_only:
            conditions.append(due < today)
        pieces.append(
            read_past(
                conditions, due, Complaint.id, cursor=cursor, backwards=backwards, limit=limit
            )
        )
    return merged(pieces)


def _due_column(status: ComplaintStatus) -> InstrumentedAttribute[dt.date]:
    if status is ComplaintStatus.NEW:
        return Complaint.acknowledgement_due_on
    return Complaint.response_due_on


def _conditions(wanted: QueueFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.category is not None:
        conditions.append(Complaint.category == wanted.category)
    if wanted.channel is not None:
        conditions.append(Complaint.channel == wanted.channel)
    if wanted.unassigned:
        conditions.append(Complaint.assigned_account_id.is_(None))
    elif wanted.officer_id is not None:
        conditions.append(Complaint.assigned_account_id == wanted.officer_id)
    return conditions


def officers(db: Session) -> list[Account]:
    """Every DPO officer, by name: who may hold a complaint. Only names are read (nothing
    secret is decrypted to list them)."""
    return list(
        db.scalars(
            select(Account)
            .where(Account.role == Role.DPO_OFFICER)
            .options(load_only(Account.display_name, Account.email))
            .order_by(Account.display_name, Account.email)
        )
    )


def by_reference(db: Session, reference: str) -> Complaint | None:
    return db.scalar(select(Complaint).where(Complaint.reference == reference))


@dataclass(frozen=True)
class Details:
    """What an officer needs to work a complaint, loaded in a few queries."""

    complaint: Complaint
    # Who wrote each history row and message, and who logged or holds it.
    actors: dict[uuid.UUID, Account]


def details(db: Session, reference: str) -> Details | None:
    """One complaint with its attachments, history and messages; None for an unknown one."""
    complaint = db.scalar(
        select(Complaint)
        .where(Complaint.reference == reference)
        .options(
            joinedload(Complaint.complainant).joinedload(Account.person),
            joinedload(Complaint.about_person),
            selectinload(Complaint.attachments),
            selectinload(Complaint.events),
            selectinload(Complaint.messages),
        )
    )
    if complaint is None:
        return None
    actor_ids = {event.actor_account_id for event in complaint.events}
    actor_ids |= {message.author_account_id for message in complaint.messages}
    actor_ids |= {complaint.logged_by_account_id, complaint.assigned_account_id}
    actors = db.scalars(
        select(Account)
        .where(Account.id.in_(actor_ids - {None}))
        .options(joinedload(Account.person))
    )
    return Details(complaint=complaint, actors={actor.id: actor for actor in actors})


def record_opened(
    db: Session, staff: Account, complaint: Complaint, session_ref: str | None
) -> None:
    """Every staff view of a complaint is audited: as a view of the person it names (the
    family then sees that the team looked, and why), or else as the complaint's own event."""
    if complaint.about_person_id is not None:
        record_view(
            db,
            actor=staff,
            subject_person_id=complaint.about_person_id,
            session_ref=session_ref,
            reason=ViewReason.COMPLAINT,
        )
        return
    record_event(
        db,
        actor=staff,
        action="complaint.viewed",
        session_ref=session_ref,
        detail={"reference": complaint.reference},
    )
    db.commit()
