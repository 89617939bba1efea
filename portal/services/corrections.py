"""A family member asks for an item, or their name or date of birth, to be corrected (UK GDPR
Article 16), and sees what happened. Staff work the requests in
portal/services/correction_queue.py."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.models import (
    Account,
    CorrectionEvent,
    CorrectionRequest,
    DataItem,
    Person,
    SupplementaryStatement,
)
from portal.policy import Viewer, can_view_item, can_view_person
from portal.references import new_reference
from portal.services.attachments import save_attachment
from portal.services.audit import record_event
from portal.uploads import CheckedFile
from portal.vocabulary import CorrectionStatus, PersonField

OPEN = (CorrectionStatus.RECEIVED, CorrectionStatus.IN_REVIEW)


@dataclass(frozen=True)
class Asked:
    what_is_wrong: str
    should_say: str
    why: str
    submission_key: str
    evidence: CheckedFile | None = None


@dataclass(frozen=True)
class Subject:
    """What a request is about: one data item, or a person's name or date of birth."""

    person_id: uuid.UUID
    item_id: uuid.UUID | None = None
    field: PersonField | None = None


def item_for_correction(
    db: Session, viewer: Viewer, item_id: uuid.UUID, today: dt.date
) -> DataItem | None:
    """The current item, if the viewer may see it (else None: the caller answers 404)."""
    item = db.get(DataItem, item_id)
    if item is None or item.replaced_at is not None or not can_view_item(viewer, item, today):
        return None
    return item


def person_for_correction(
    db: Session, viewer: Viewer, person_id: uuid.UUID, today: dt.date
) -> Person | None:
    """The person, if the viewer may see their record (else None: the caller answers 404)."""
    person = db.get(Person, person_id)
    return person if person is not None and can_view_person(viewer, person, today) else None


def can_view_request(viewer: Viewer, request: CorrectionRequest, today: dt.date) -> bool:
    """A request is seen by whoever may see what it is about, and by no one else."""
    if request.item is not None:
        return can_view_item(viewer, request.item, today)
    return can_view_person(viewer, request.person, today)


def _checked(db: Session, viewer: Viewer, subject: Subject, today: dt.date) -> Subject | None:
    """The subject if the viewer may see it (an item's person taken from the item)."""
    if subject.item_id is not None:
        item = item_for_correction(db, viewer, subject.item_id, today)
        return None if item is None else Subject(item.person_id, item_id=item.id)
    if subject.field is None or person_for_correction(db, viewer, subject.person_id, today) is None:
        return None
    return subject


def ask_for_correction(
    db: Session,
    *,
    account: Account,
    viewer: Viewer,
    subject: Subject,
    asked: Asked,
    now: dt.datetime,
    session_ref: str | None,
    attachments_dir: Path | None = None,
) -> CorrectionRequest | None:
    """Records the request with its reference and due date, and restricts the item while it is
    checked (Article 18). The same submission key twice gives the first request back."""
    existing = db.scalar(
        select(CorrectionRequest).where(CorrectionRequest.submission_key == asked.submission_key)
    )
    if existing is not None:
        return existing if existing.requested_by_account_id == account.id else None
    today = london_today(now)
    checked = _checked(db, viewer, subject, today)
    if checked is None:
        return None
    request = CorrectionRequest(
        reference=new_reference("COR"),
        submission_key=asked.submission_key,
        item_id=checked.item_id,
        person_field=checked.field,
        person_id=checked.person_id,
        requested_by_account_id=account.id,
        received_at=now,
        received_on=today,
        what_is_wrong=asked.what_is_wrong,
        should_say=asked.should_say,
        why=asked.why,
        due_on=statutory_due_date(today),
    )
    if asked.evidence is not None:
        request.attachment = save_attachment(db, account, asked.evidence, now, attachments_dir)
    db.add(request)
    db.add(
        CorrectionEvent(
            request=request,
            at=now,
            actor_account_id=account.id,
            action="received",
            visible_to_family=True,
        )
    )
    record_event(
        db,
        actor=account,
        action="correction.requested",
        subject_person_id=checked.person_id,
        session_ref=session_ref,
        detail={"reference": request.reference},
    )
    try:
        db.commit()
    except IntegrityError:
        # Two submissions with one key at the same moment: the other one won.
        db.rollback()
        return db.scalar(
            select(CorrectionRequest).where(
                CorrectionRequest.submission_key == asked.submission_key,
                CorrectionRequest.requested_by_account_id == account.id,
            )
        )
    return request


def requests_of(
    db: Session, viewer: Viewer, account: Account, today: dt.date
) -> list[CorrectionRequest]:
    """The requests this family member made, about what they may still see, newest first."""
    found = db.scalars(
        select(CorrectionRequest)
        .where(CorrectionRequest.requested_by_account_id == account.id)
        .options(
            joinedload(CorrectionRequest.item).joinedload(DataItem.restrictions),
            joinedload(CorrectionRequest.item).joinedload(DataItem.person),
            joinedload(CorrectionRequest.person),
        )
        .order_by(CorrectionRequest.received_at.desc())
    ).unique()
    return [request for request in found if can_view_request(viewer, request, today)]


def request_of(
    db: Session, viewer: Viewer, account: Account, reference: str, today: dt.date
) -> CorrectionRequest | None:
    """One of the family member's own requests by reference, or None (404)."""
    request = db.scalar(select(CorrectionRequest).where(CorrectionRequest.reference == reference))
    if request is None or request.requested_by_account_id != account.id:
        return None
    return request if can_view_request(viewer, request, today) else None


@dataclass(frozen=True)
class ItemNotes:
    """What the family sees beside an item: a request being checked, a dispute, their words."""

    open_request: CorrectionRequest | None = None
    refused: CorrectionRequest | None = None
    accepted: CorrectionRequest | None = None
    statement: SupplementaryStatement | None = None


def notes_for(db: Session, items: Iterable[DataItem]) -> dict[uuid.UUID, ItemNotes]:
    """Correction notes for many items in two queries, however many items there are."""
    ids = [item.id for item in items]
    if not ids:
        return {}
    requests = _requests_where(db, CorrectionRequest.item_id.in_(ids))
    statements = _statements_where(db, SupplementaryStatement.item_id.in_(ids))
    return _item_notes(ids, requests, statements)


def field_notes_for(db: Session, person_id: uuid.UUID) -> dict[PersonField, ItemNotes]:
    """Notes beside a person's name and date of birth, in two queries."""
    requests = _requests_where(db, _about_fields_of(person_id))
    statements = _statements_where(
        db, SupplementaryStatement.request_id.in_([request.id for request in requests])
    )
    return _field_notes(requests, statements)


def record_notes(
    db: Session, items: list[DataItem], person_id: uuid.UUID
) -> tuple[dict[uuid.UUID, ItemNotes], dict[PersonField, ItemNotes]]:
    """A record page's notes, beside its items and beside the person's name and date of birth,
    in one query: each request with the statement added to it, if any (a statement is only
    ever added to a request, and is about that request's item)."""
    ids = [item.id for item in items]
    rows = db.execute(
        select(CorrectionRequest, SupplementaryStatement)
        .outerjoin(
            SupplementaryStatement, SupplementaryStatement.request_id == CorrectionRequest.id
        )
        .where(or_(CorrectionRequest.item_id.in_(ids), _about_fields_of(person_id)))
        .order_by(CorrectionRequest.received_at)
    ).all()
    requests = [request for request, _ in rows]
    statements = [statement for _, statement in rows if statement is not None]
    return _item_notes(ids, requests, statements), _field_notes(requests, statements)


def _about_fields_of(person_id: uuid.UUID) -> ColumnElement[bool]:
    return (CorrectionRequest.person_id == person_id) & CorrectionRequest.person_field.is_not(None)


def _requests_where(db: Session, condition: ColumnElement[bool]) -> list[CorrectionRequest]:
    query = select(CorrectionRequest).where(condition).order_by(CorrectionRequest.received_at)
    return list(db.scalars(query))


def _statements_where(db: Session, condition: ColumnElement[bool]) -> list[SupplementaryStatement]:
    return list(db.scalars(select(SupplementaryStatement).where(condition)))


def _item_notes(
    ids: list[uuid.UUID],
    requests: list[CorrectionRequest],
    statements: list[SupplementaryStatement],
) -> dict[uuid.UUID, ItemNotes]:
    by_item: dict[uuid.UUID, list[CorrectionRequest]] = defaultdict(list)
    for request in requests:
        if request.item_id is not None:
            by_item[request.item_id].append(request)
    said = {statement.item_id: statement for statement in statements if statement.item_id}
    return {item_id: _notes(by_item[item_id], said.get(item_id)) for item_id in ids}


def _field_notes(
    requests: list[CorrectionRequest], statements: list[SupplementaryStatement]
) -> dict[PersonField, ItemNotes]:
    """An accepted request changed the record itself, so it needs no note."""
    by_request = {statement.request_id: statement for statement in statements}
    notes = {}
    for field in PersonField:
        asked = [request for request in requests if request.person_field is field]
        said = [by_request[request.id] for request in asked if request.id in by_request]
        notes[field] = replace(_notes(asked, said[-1] if said else None), accepted=None)
    return notes


def notes_beside(db: Session, request: CorrectionRequest) -> ItemNotes | None:
    """The notes now shown beside what the request is about."""
    if request.person_field is not None:
        return field_notes_for(db, request.person_id)[request.person_field]
    if request.item is None:
        return None
    return notes_for(db, [request.item]).get(request.item.id)


def _notes(
    requests: list[CorrectionRequest], statement: SupplementaryStatement | None
) -> ItemNotes:
    latest = {request.status: request for request in requests}
    open_request = latest.get(CorrectionStatus.IN_REVIEW) or latest.get(CorrectionStatus.RECEIVED)
    return ItemNotes(
        open_request=open_request,
        refused=latest.get(CorrectionStatus.REFUSED),
        accepted=latest.get(CorrectionStatus.ACCEPTED),
        statement=statement,
    )


def add_statement(
    db: Session,
    *,
    account: Account,
    request: CorrectionRequest,
    text: str,
    now: dt.datetime,
    session_ref: str | None,
) -> bool:
    """After a refusal, the person who asked adds their own account of it, once. It then appears
    beside the item wherever the item is shown (Article 16's supplementary statement)."""
    if request.status != CorrectionStatus.REFUSED or request.requested_by_account_id != account.id:
        return False
    exists = db.scalar(
        select(SupplementaryStatement.id).where(SupplementaryStatement.request_id == request.id)
    )
    if exists is not None:
        return False
    db.add(
        SupplementaryStatement(
            item_id=request.item_id,
            request_id=request.id,
            account_id=account.id,
            text=text,
            created_at=now,
        )
    )
    db.add(
        CorrectionEvent(
            request_id=request.id,
            at=now,
            actor_account_id=account.id,
            action="statement_added",
            visible_to_family=True,
        )
    )
    record_event(
        db,
        actor=account,
        action="correction.statement_added",
        subject_person_id=request.person_id,
        session_ref=session_ref,
        detail={"reference": request.reference},
    )
    db.commit()
    return True
