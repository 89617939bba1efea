"""Raising a complaint to the Data Protection Officer (DPA 2018 s164A), by any channel, and
who may follow it.

A complaint made online is acknowledged at once (with its reference and, for someone without
an account, the only link to follow it); one logged by staff from a letter, an email or a call
waits for an officer to acknowledge it within 30 days. Every date comes from
portal/deadlines.py. Staff work complaints in portal/services/complaint_handling.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.deadlines import complaint_acknowledgement_due, statutory_due_date
from portal.models import Account, Complaint, ComplaintEvent, NotificationKind, Person
from portal.policy import Viewer, can_view_person
from portal.references import new_reference
from portal.services.attachments import save_attachment
from portal.services.audit import record_event
from portal.services.notifications import enqueue
from portal.tokens import hash_token, new_token
from portal.uploads import CheckedFile
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus

REFERENCE_PREFIX = "CMP"
# The policy target for an outcome, in calendar months (DESIGN.md "Deadlines").
DEFAULT_RESPONSE_MONTHS = 1


@dataclass(frozen=True)
class Complainant:
    """Who complains: a signed-in family member, or someone without an account."""

    account: Account | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class Raised:
    category: ComplaintCategory
    what_happened: str
    desired_outcome: str
    submission_key: str
    about: Person | None = None
    evidence: list[CheckedFile] = field(default_factory=list)


@dataclass(frozen=True)
class Received:
    complaint: Complaint
    # For someone without an account: the link's secret, shown once and emailed; else None.
    access_token: str | None = None


def response_due(received_on: dt.date, paused_days: int, months: int) -> dt.date:
    """The outcome's target date: `months` calendar months, moved on by paused days."""
    return statutory_due_date(received_on, months=months, paused_days=paused_days)


def raise_complaint(
    db: Session,
    *,
    complainant: Complainant,
    raised: Raised,
    channel: ComplaintChannel,
    now: dt.datetime,
    public_url: str,
    logged_by: Account | None = None,
    response_months: int = DEFAULT_RESPONSE_MONTHS,
    attachments_dir: Path | None = None,
    session_ref: str | None = None,
    received_on: dt.date | None = None,
) -> Received:
    """Records the complaint with its reference and due dates, all or nothing. The same
    submission key twice gives the first complaint back (no second complaint, no second
    email). Online complaints are acknowledged at once. `received_on` is the day a letter,
    email or call logged later arrived: its due dates count from that day."""
    existing = _by_key(db, raised.submission_key)
    if existing is not None:
        return Received(existing)
    today = received_on or london_today(now)
    complaint = _new_complaint(complainant, raised, channel, now, today, response_months)
    complaint.logged_by_account_id = logged_by.id if logged_by else None
    token = None
    if complainant.account is None and channel is ComplaintChannel.PORTAL:
        token = new_token()
        complaint.access_token_hash = hash_token(token)
    uploader = complainant.account or logged_by
    complaint.attachments = [
        save_attachment(db, uploader, checked, now, attachments_dir) for checked in raised.evidence
    ]
    db.add(complaint)
    actor = logged_by or complainant.account
    add_event(complaint, actor, now, "received")
    if channel is ComplaintChannel.PORTAL:
        acknowledge(db, complaint, actor, now, public_url, token)
    record_event(
        db,
        actor=actor,
        action="complaint.received",
        subject_person_id=complaint.about_person_id,
        session_ref=session_ref,
        detail={"reference": complaint.reference, "channel": channel.value},
    )
    try:
        db.commit()
    except IntegrityError:
        # The same key sent twice at the same moment: the other one won.
        db.rollback()
        won = _by_key(db, raised.submission_key)
        if won is None:
            raise
        return Received(won)
    return Received(complaint, token)


def acknowledge(
    db: Session,
    complaint: Complaint,
    actor: Account | None,
    now: dt.datetime,
    public_url: str,
    token: str | None = None,
) -> None:
    """Marks it acknowledged and emails the complainant, if they gave an address. The caller
    commits. The email carries the reference and where to follow it, never the complaint."""
    complaint.status = ComplaintStatus.ACKNOWLEDGED
    complaint.acknowledged_at = now
    add_event(complaint, actor, now, "acknowledged", visible=True)
    address = reply_address(complaint)
    if address is None:
        return
    path = f"/complaints/follow/{token}" if token else f"/your-complaints/{complaint.reference}"
    enqueue(
        db,
        NotificationKind.COMPLAINT_ACKNOWLEDGED,
        address,
        complaint.language,
        reference=complaint.reference,
        link=f"{public_url}{path}" if token or complaint.complainant_account_id else "",
        response_due=complaint.response_due_on.isoformat(),
    )


def pause_clock(complaint: Complaint, actor: Account | None, now: dt.datetime, note: str) -> None:
    """Waiting for the complainant (clarification, evidence): the target date stops moving
    towards them until they reply. The caller commits."""
    complaint.status = ComplaintStatus.WAITING
    complaint.paused_on = london_today(now)
    add_event(complaint, actor, now, "waiting", note=note, visible=True)


def resume_clock(
    complaint: Complaint, actor: Account | None, now: dt.datetime, response_months: int
) -> None:
    """The complainant replied (or the officer goes on without): the days spent waiting are
    added to the target date, which the shared deadline function computes again."""
    if complaint.paused_on is not None:
        complaint.paused_days += (london_today(now) - complaint.paused_on).days
        complaint.paused_on = None
        complaint.response_due_on = response_due(
            complaint.received_on, complaint.paused_days, response_months
        )
    complaint.status = ComplaintStatus.INVESTIGATING
    add_event(complaint, actor, now, "resumed", visible=True)


def reply_address(complaint: Complaint) -> str | None:
    """Where emails about the complaint go: the account's address, else the one given."""
    if complaint.complainant is not None:
        return complaint.complainant.email
    return complaint.complainant_email


def may_follow(viewer: Viewer, account: Account, complaint: Complaint, today: dt.date) -> bool:
    """A signed-in family member follows the complaints they made, while they may still see the
    person it concerns (if it names one)."""
    if complaint.complainant_account_id != account.id:
        return False
    about = complaint.about_person
    return about is None or can_view_person(viewer, about, today)


def by_access_token(db: Session, token: str) -> Complaint | None:
    """Someone without an account follows their complaint through the emailed link only."""
    if not token or len(token) > 100:
        return None
    return db.scalar(select(Complaint).where(Complaint.access_token_hash == hash_token(token)))


def by_reference(db: Session, reference: str) -> Complaint | None:
    return db.scalar(select(Complaint).where(Complaint.reference == reference))


def _by_key(db: Session, key: str) -> Complaint | None:
    return db.scalar(select(Complaint).where(Complaint.submission_key == key))


def _new_complaint(
    complainant: Complainant,
    raised: Raised,
    channel: ComplaintChannel,
    now: dt.datetime,
    today: dt.date,
    response_months: int,
) -> Complaint:
    account = complainant.account
    return Complaint(
        reference=new_reference(REFERENCE_PREFIX),
        submission_key=raised.submission_key,
        channel=channel,
        category=raised.category,
        complainant_account_id=account.id if account else None,
        complainant=account,
        complainant_name=None if account else complainant.name,
        complainant_email=None if account else complainant.email,
        complainant_phone=None if account else complainant.phone,
        complainant_address=None if account else complainant.address,
        language=account.language if account else complainant.language,
        about_person_id=raised.about.id if raised.about else None,
        what_happened=raised.what_happened,
        desired_outcome=raised.desired_outcome,
        received_at=now,
        received_on=today,
        acknowledgement_due_on=complaint_acknowledgement_due(today),
        response_due_on=response_due(today, 0, response_months),
        status=ComplaintStatus.NEW,
    )


def add_event(
    complaint: Complaint,
    actor: Account | None,
    now: dt.datetime,
    action: str,
    note: str | None = None,
    visible: bool = False,
) -> None:
    """History the staff see; the complainant sees only rows marked visible (never notes
    marked internal). The caller commits."""
    complaint.events.append(
        ComplaintEvent(
            at=now,
            actor_account_id=actor.id if actor else None,
            action=action,
            note=note,
            visible_to_complainant=visible,
        )
    )
