"""Families ask for a copy of their data (UK GDPR Article 15), follow the request, answer a
question about it, and download the copy once released.

Who may ask for whom is `policy.can_request_copy_for`; a request is seen only by the account
that made it. Callers are the family views; staff work the requests through
portal/services/copy_handling.py.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portal.ages import AGE_OF_DIGITAL_CONSENT, age_on, london_today
from portal.db import new_id
from portal.deadlines import statutory_due_date
from portal.jobs.queue import Job, after_commit
from portal.models import Account, CopyRequest, CopyRequestEvent, NotificationKind, Person
from portal.policy import Viewer, can_request_copy_for
from portal.references import new_reference
from portal.services.audit import record_event
from portal.services.conditional import conditional_update
from portal.services.notifications import enqueue
from portal.vocabulary import Category, CopyDelivery, CopyStatus

DOWNLOAD_DAYS = 30


class Refused(Enum):
    """Why a family member may not ask for this person's copy themself."""

    # A young person of 13 or more asks for their own copy; the DPO team can help otherwise.
    OLD_ENOUGH_TO_ASK = "old_enough_to_ask"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Asked:
    """What the form collected: whose data, what, which dates, how to receive it."""

    subject_id: uuid.UUID
    categories: tuple[Category, ...]
    date_from: dt.date | None
    date_to: dt.date | None
    delivery: CopyDelivery
    submission_key: str
    language: str

    @property
    def everything(self) -> bool:
        return not self.categories


def people_to_choose(db: Session, viewer: Viewer, today: dt.date) -> list[Person]:
    """Whom the form offers: the viewer, then every child they hold parental responsibility
    for, youngest last. A child of 13 or more is offered so that choosing them gets a clear
    answer (`check_subject`) rather than a silent gap."""
    if viewer.is_staff or viewer.person_id is None or viewer.awaiting_guardian:
        return []
    ids = {viewer.person_id, *viewer.children}
    people = db.scalars(select(Person).where(Person.id.in_(ids)))
    return sorted(people, key=lambda p: (p.id != viewer.person_id, p.date_of_birth, p.id))


def check_subject(
    db: Session, viewer: Viewer, subject_id: uuid.UUID, today: dt.date
) -> Person | Refused:
    subject = db.get(Person, subject_id)
    if subject is None or (subject.id != viewer.person_id and subject.id not in viewer.children):
        return Refused.NOT_FOUND
    if can_request_copy_for(viewer, subject, today):
        return subject
    if age_on(subject.date_of_birth, today) >= AGE_OF_DIGITAL_CONSENT:
        return Refused.OLD_ENOUGH_TO_ASK
    return Refused.NOT_FOUND


def ask_for_copy(
    db: Session,
    *,
    account: Account,
    viewer: Viewer,
    asked: Asked,
    now: dt.datetime,
    session_ref: str | None = None,
) -> CopyRequest | Refused:
    """Records the request with its reference and due date and emails the requester, all or
    nothing; its commit submits the build of its copy. The same submission key twice gives
    the first request back."""
    existing = _by_key(db, asked.submission_key)
    if existing is not None:
        return existing
    today = london_today(now)
    subject = check_subject(db, viewer, asked.subject_id, today)
    if isinstance(subject, Refused):
        return subject
    request = _new_request(account, subject, asked, now, today)
    db.add(request)
    after_commit(db, Job.BUILD_COPY, str(request.id))
    add_event(request, account, now, "received")
    enqueue(
        db,
        NotificationKind.COPY_RECEIVED,
        account.email,
        account.language,
        reference=request.reference,
        due=request.due_on.isoformat(),
        path=request_path(request),
    )
    record_event(
        db,
        actor=account,
        action="copy.requested",
        subject_person_id=subject.id,
        session_ref=session_ref,
        detail={"reference": request.reference},
    )
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        won = _by_key(db, asked.submission_key)
        if won is None:
            raise
        return won
    return request


def requests_of(db: Session, account: Account) -> list[CopyRequest]:
    """The account's own requests, newest first."""
    return list(
        db.scalars(
            select(CopyRequest)
            .where(CopyRequest.requester_account_id == account.id)
            .options(joinedload(CopyRequest.subject))
            .order_by(CopyRequest.received_at.desc(), CopyRequest.id)
        )
    )


def request_of(db: Session, account: Account, reference: str) -> CopyRequest | None:
    """One of the account's own requests; None (the caller answers 404) for anyone else's."""
    request = db.scalar(select(CopyRequest).where(CopyRequest.reference == reference))
    if request is None or request.requester_account_id != account.id:
        return None
    return request


def visible_history(request: CopyRequest) -> list[CopyRequestEvent]:
    return [event for event in request.events if event.visible_to_requester]


def open_question(request: CopyRequest) -> CopyRequestEvent | None:
    """The officer's question the requester has still to answer, if the clock is paused."""
    if request.status is not CopyStatus.WAITING:
        return None
    asked = [event for event in request.events if event.action == "question"]
    return asked[-1] if asked else None


def answer_question(
    db: Session,
    account: Account,
    request: CopyRequest,
    answer: str,
    now: dt.datetime,
    session_ref: str | None = None,
) -> bool:
    """The requester answers: the clock restarts, moved on by the days it was paused. One
    guarded UPDATE, so a second click records nothing twice."""
    if request.requester_account_id != account.id or request.paused_on is None:
        return False
    today = london_today(now)
    paused_days = request.paused_days + max(0, (today - request.paused_on).days)
    answered = conditional_update(
        db,
        request,
        (CopyRequest.status == CopyStatus.WAITING,),
        status=CopyStatus.RECEIVED,
        paused_on=None,
        paused_days=paused_days,
        due_on=due_date(request.received_on, paused_days, request.extended_months),
    )
    if not answered:
        return False
    db.refresh(request)
    add_event(request, account, now, "answer", note=answer, visible=True)
    audit(db, account, request, "copy.answered", session_ref)
    db.commit()
    return True


def may_download(request: CopyRequest, account: Account, now: dt.datetime) -> bool:
    """Released for download to this account, and not yet expired."""
    return (
        request.requester_account_id == account.id
        and request.status is CopyStatus.RELEASED
        and request.delivery is CopyDelivery.DOWNLOAD
        and request.copy_storage_key is not None
        and request.download_until is not None
        and now < request.download_until
    )


def copy_file(request: CopyRequest, copies_dir: Path) -> Path | None:
    """Where the built ZIP is, if it is still there."""
    if request.copy_storage_key is None:
        return None
    path = copies_dir / request.copy_storage_key
    return path if path.is_file() else None


def record_download(
    db: Session, account: Account, request: CopyRequest, now: dt.datetime, session_ref: str | None
) -> None:
    """Every download is kept: in the request's history and in the audit trail."""
    add_event(request, account, now, "downloaded", visible=True)
    audit(db, account, request, "copy.downloaded", session_ref)
    db.commit()


def download_name(request: CopyRequest) -> str:
    return f"copy-of-your-data-{request.reference}.zip"


def due_date(received_on: dt.date, paused_days: int, extended_months: int) -> dt.date:
    """Article 12(3): one month, moved on by paused days, plus any extension."""
    return statutory_due_date(
        received_on, paused_days=paused_days, extension_months=extended_months
    )


def request_path(request: CopyRequest) -> str:
    return f"/copy-of-your-data/{request.reference}"


def add_event(
    request: CopyRequest,
    actor: Account | None,
    now: dt.datetime,
    action: str,
    note: str | None = None,
    visible: bool = False,
) -> None:
    request.events.append(
        CopyRequestEvent(
            at=now,
            actor_account_id=actor.id if actor else None,
            action=action,
            note=note,
            visible_to_requester=visible,
        )
    )


def audit(
    db: Session, actor: Account, request: CopyRequest, action: str, session_ref: str | None
) -> None:
    """An audit event about the request, filed under the person its data is about."""
    record_event(
        db,
        actor=actor,
        action=action,
        subject_person_id=request.subject_person_id,
        session_ref=session_ref,
        detail={"reference": request.reference},
    )


def _by_key(db: Session, key: str) -> CopyRequest | None:
    return db.scalar(select(CopyRequest).where(CopyRequest.submission_key == key))


def _new_request(
    account: Account, subject: Person, asked: Asked, now: dt.datetime, today: dt.date
) -> CopyRequest:
    return CopyRequest(
        id=new_id(),
        reference=new_reference("SAR"),
        submission_key=asked.submission_key,
        requester_account_id=account.id,
        subject_person_id=subject.id,
        everything=asked.everything,
        categories=[category.value for category in asked.categories],
        date_from=asked.date_from,
        date_to=asked.date_to,
        delivery=asked.delivery,
        language=asked.language,
        received_at=now,
        received_on=today,
        due_on=due_date(today, 0, 0),
        status=CopyStatus.RECEIVED,
    )
