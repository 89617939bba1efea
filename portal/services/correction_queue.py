"""DPO staff read the corrections queue: filter, sort by due date, see one request whole.

Deciding is in portal/services/correction_decisions.py. Callers are DPO officers' views
(the caller checks the role).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, joinedload

from portal.deadlines import is_working_day
from portal.models import (
    Account,
    CorrectionRequest,
    DataItem,
    Person,
    PersonChange,
    SharingEvent,
    SupplementaryStatement,
    sharing_event_items,
)
from portal.services import person_fields
from portal.vocabulary import CorrectionStatus, Source

OPEN = (CorrectionStatus.RECEIVED, CorrectionStatus.IN_REVIEW)
COUNCIL_SOURCES = frozenset({Source.FAMILY, Source.EARLY_HELP_WORKER})
CORE_IDENTITY_SOURCE = Source.EARLY_HELP_WORKER
PAGE_SIZE = 50
DUE_SOON_WORKING_DAYS = 5


class Urgency(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


@dataclass(frozen=True)
class QueueFilter:
    status: str = "open"  # "open", or one CorrectionStatus value
    source: Source | None = None
    overdue_only: bool = False
    person: str = ""  # the start of a given or family name, word by word


def queue(db: Session, wanted: QueueFilter, today: dt.date) -> list[CorrectionRequest]:
    """The queue, soonest due first (so overdue first), then oldest received."""
    query = select(CorrectionRequest).options(
        joinedload(CorrectionRequest.item), joinedload(CorrectionRequest.person)
    )
    if wanted.status == "open":
        query = query.where(CorrectionRequest.status.in_(OPEN))
    else:
        query = query.where(CorrectionRequest.status == CorrectionStatus(wanted.status))
    if wanted.source is not None:
        query = query.outerjoin(DataItem, DataItem.id == CorrectionRequest.item_id).where(
            _from_source(wanted.source)
        )
    if wanted.overdue_only:
        query = query.where(CorrectionRequest.due_on < today)
    if wanted.person.split():
        query = query.join(Person, Person.id == CorrectionRequest.person_id).where(
            *_name_matches(wanted.person)
        )
    query = query.order_by(
        CorrectionRequest.due_on, CorrectionRequest.received_at, CorrectionRequest.id
    ).limit(PAGE_SIZE)
    return list(db.scalars(query).unique())


def _from_source(source: Source) -> ColumnElement[bool]:
    """A name or date of birth is the council's own record (CorrectionRequest.source)."""
    if source is CORE_IDENTITY_SOURCE:
        return or_(DataItem.source == source, CorrectionRequest.person_field.is_not(None))
    return DataItem.source == source


def _name_matches(words: str) -> list[ColumnElement[bool]]:
    """Each word starts the given or the family name; LIKE wildcards are matched as text."""
    conditions: list[ColumnElement[bool]] = []
    for word in words.lower().split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(
            or_(
                func.lower(Person.given_name).like(f"{escaped}%", escape="\\"),
                func.lower(Person.family_name).like(f"{escaped}%", escape="\\"),
            )
        )
    return conditions


def urgency(request: CorrectionRequest, today: dt.date) -> Urgency | None:
    """Overdue, or due within DUE_SOON_WORKING_DAYS working days; None once decided."""
    if request.status not in OPEN:
        return None
    return due_urgency(request.due_on, today)


def due_urgency(due_on: dt.date, today: dt.date) -> Urgency | None:
    """Overdue, or due within DUE_SOON_WORKING_DAYS working days: every queue marks rows so."""
    if due_on < today:
        return Urgency.OVERDUE
    working_days, day = 0, today
    while day < due_on and working_days <= DUE_SOON_WORKING_DAYS:
        day += dt.timedelta(days=1)
        working_days += is_working_day(day)
    return Urgency.DUE_SOON if working_days <= DUE_SOON_WORKING_DAYS else None


def by_reference(db: Session, reference: str) -> CorrectionRequest | None:
    return db.scalar(select(CorrectionRequest).where(CorrectionRequest.reference == reference))


def recipients_of(db: Session, item: DataItem) -> list[SharingEvent]:
    """Every sharing event that carried the item: who received it, when."""
    return list(
        db.scalars(
            select(SharingEvent)
            .join(sharing_event_items, sharing_event_items.c.sharing_event_id == SharingEvent.id)
            .where(sharing_event_items.c.item_id == item.id)
            .options(joinedload(SharingEvent.partner))
            .order_by(SharingEvent.shared_on)
        ).unique()
    )


@dataclass(frozen=True)
class Details:
    """What an officer needs to decide a request, loaded in a few queries."""

    request: CorrectionRequest
    recipients: list[SharingEvent]
    # Who wrote each history row, staff or family.
    actors: dict[uuid.UUID, Account]
    # The version that replaced the item, once a correction was applied.
    newer: DataItem | None
    statement: SupplementaryStatement | None
    # What accepting a name or date of birth request changed: before and after.
    changes: list[PersonChange]

    @property
    def council_held(self) -> bool:
        """Accepting replaces council-held items; other organisations' data is never changed."""
        return self.request.source in COUNCIL_SOURCES


def details(db: Session, reference: str) -> Details | None:
    """One request with its item, history, recipients and tasks; None for an unknown one."""
    request = by_reference(db, reference)
    if request is None:
        return None
    actor_ids = {event.actor_account_id for event in request.events} - {None}
    actors = db.scalars(
        select(Account).where(Account.id.in_(actor_ids)).options(joinedload(Account.person))
    )
    item = request.item
    newer_id = item.replaced_by_id if item is not None else None
    return Details(
        request=request,
        recipients=recipients_of(db, item) if item else person_fields.shares_about(db, request),
        actors={actor.id: actor for actor in actors},
        newer=db.get(DataItem, newer_id) if newer_id else None,
        statement=db.scalar(
            select(SupplementaryStatement).where(SupplementaryStatement.request_id == request.id)
        ),
        changes=person_fields.changes_made_by(db, request),
    )
