"""What a complainant sees of their complaints: a signed-in family member those they made and
may still follow (`complaints.may_follow`), someone without an account the one their emailed
link opens. Never an officer's name, never an internal note: only history rows marked visible.
Callers: the family's complaint pages (portal/web/family/your_complaints.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.models import Account, Attachment, Complaint, Person
from portal.policy import Viewer
from portal.services.complaints import may_follow
from portal.services.your_data import visible_people


def complaints_of(db: Session, viewer: Viewer, account: Account, today: dt.date) -> list[Complaint]:
    """The account's own complaints that it may still follow, newest first."""
    made = db.scalars(
        select(Complaint)
        .where(Complaint.complainant_account_id == account.id, Complaint.anonymised_at.is_(None))
        .options(selectinload(Complaint.about_person))
        .order_by(Complaint.received_at.desc(), Complaint.id)
    )
    return [complaint for complaint in made if may_follow(viewer, account, complaint, today)]


def complaint_of(
    db: Session, viewer: Viewer, account: Account, reference: str, today: dt.date
) -> Complaint | None:
    """One of the account's complaints, or None (the caller answers 404), as for a reference
    that names nothing."""
    complaint = _one_as_shown(db, Complaint.reference == reference)
    if complaint is None or complaint.anonymised_at is not None:
        return None
    return complaint if may_follow(viewer, account, complaint, today) else None


def by_link(db: Session, token_hash: str, reference: str) -> Complaint | None:
    """The complaint that an emailed link (kept as its hash) opens, if it is this reference.
    A new link from staff ends the old one at once."""
    complaint = _one_as_shown(
        db, (Complaint.access_token_hash == token_hash) & (Complaint.reference == reference)
    )
    if complaint is None or complaint.anonymised_at is not None:
        return None
    return complaint


def _one_as_shown(db: Session, condition: ColumnElement[bool]) -> Complaint | None:
    """The complaint, with the person it is about (`may_follow` asks) and its files, in the
    same query; its messages and history follow in one query each."""
    return (
        db.scalars(
            select(Complaint)
            .where(condition)
            .options(joinedload(Complaint.about_person), joinedload(Complaint.attachments))
        )
        .unique()
        .one_or_none()
    )


@dataclass(frozen=True)
class ShownEvent:
    at: dt.datetime
    action: str
    note: str | None


def shown_events(complaint: Complaint) -> list[ShownEvent]:
    """The history the complainant sees: rows marked visible, never internal notes. A note
    that was also sent as a message (the question when we wait for them) is shown once, as
    the message."""
    sent = {message.text for message in complaint.messages}
    return [
        ShownEvent(event.at, event.action, None if event.note in sent else event.note)
        for event in complaint.events
        if event.visible_to_complainant
    ]


def attachment_of(complaint: Complaint, attachment_id: uuid.UUID) -> Attachment | None:
    """A file of this complaint (the complainant's, or a scan of their letter), or None."""
    return next((file for file in complaint.attachments if file.id == attachment_id), None)


def people_to_name(db: Session, viewer: Viewer, today: dt.date) -> list[Person]:
    """Whom a family member may say the complaint is about: the people whose records they may
    see (themselves first), and no one else."""
    return visible_people(db, viewer, today)


def sent_with_key(db: Session, submission_key: str, account: Account | None) -> Complaint | None:
    """The complaint this one-time form key already raised, if the same person raised it (a
    second click, or the form sent again): it is shown again, never raised twice."""
    if not submission_key:
        return None
    complaint = db.scalar(select(Complaint).where(Complaint.submission_key == submission_key))
    if complaint is None or complaint.complainant_account_id != (account.id if account else None):
        return None
    return complaint
