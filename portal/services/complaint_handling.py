"""DPO staff work complaints: log one that came by post, email or phone; claim, release and
reassign it safely; acknowledge, investigate, wait for the complainant, message them, write
internal notes, send the outcome letter, close and reopen.

Every change is one conditional UPDATE that checks who holds the complaint and what state it
is in, so two officers (or two clicks) never both change it: of two at once exactly one wins,
on SQLite or PostgreSQL. Only the officer who holds a complaint may work it; any DPO officer
may reassign it, saying why. Each change writes its history row and audit event in the same
transaction and commits. Callers are DPO officers' views (the caller checks the role).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from pathlib import Path

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import Account, Complaint, ComplaintMessage, NotificationKind
from portal.services import complaints
from portal.services.audit import record_event
from portal.services.complaint_letters import outcome_letter
from portal.services.complaints import Complainant, Raised, add_event, reply_address
from portal.services.conditional import conditional_update
from portal.services.notifications import enqueue
from portal.tokens import hash_token, new_token
from portal.vocabulary import ComplaintChannel, ComplaintOutcome, ComplaintStatus, Role

S = ComplaintStatus
# What the officer holding a complaint may do in each state. The page offers these and
# nothing else, and each change checks the state again in its UPDATE.
ACTIONS: dict[ComplaintStatus, frozenset[str]] = {
    S.NEW: frozenset({"acknowledge", "note"}),
    S.ACKNOWLEDGED: frozenset({"investigate", "wait", "message", "resolve", "note"}),
    S.INVESTIGATING: frozenset({"wait", "message", "resolve", "note"}),
    S.WAITING: frozenset({"resume", "message", "note"}),
    S.RESOLVED: frozenset({"close", "reopen", "note"}),
    S.CLOSED: frozenset({"reopen", "note"}),
}
STAFF_CHANNELS = (ComplaintChannel.POST, ComplaintChannel.EMAIL, ComplaintChannel.PHONE)


class Told(StrEnum):
    """How the complainant hears of a change that concerns them."""

    EMAIL = "email"  # an email says there is news and where to read it (never the news)
    POST = "post"  # no email we can write to: the officer sends it by post


def log_complaint(
    db: Session,
    officer: Account,
    *,
    channel: ComplaintChannel,
    received_on: dt.date,
    complainant: Complainant,
    raised: Raised,
    now: dt.datetime,
    public_url: str,
    response_months: int,
    attachments_dir: Path | None,
    session_ref: str | None = None,
) -> Complaint:
    """A complaint that came by post, email or phone joins the one queue, due dates counted
    from the day it arrived. It waits, new, for an officer to acknowledge it."""
    if channel not in STAFF_CHANNELS or received_on > london_today(now):
        raise ValueError("staff log post, email and phone complaints received by today")
    return complaints.raise_complaint(
        db,
        complainant=complainant,
        raised=raised,
        channel=channel,
        now=now,
        public_url=public_url,
        logged_by=officer,
        response_months=response_months,
        attachments_dir=attachments_dir,
        session_ref=session_ref,
        received_on=received_on,
    ).complaint


def held_by(complaint: Complaint, staff: Account) -> bool:
    return complaint.assigned_account_id == staff.id


def allowed(complaint: Complaint, staff: Account, action: str) -> bool:
    """The officer holds it and its state allows `action`."""
    return held_by(complaint, staff) and action in ACTIONS[complaint.status]


def claim(
    db: Session, staff: Account, complaint: Complaint, now: dt.datetime, session_ref: str | None
) -> bool:
    """Takes a complaint nobody holds. Of two officers at once, exactly one wins."""
    won = _conditional_update(
        db,
        complaint,
        (Complaint.assigned_account_id.is_(None),),
        assigned_account_id=staff.id,
        assigned_at=now,
    )
    return won and _done(db, staff, complaint, now, "claimed", session_ref)


def release(
    db: Session, staff: Account, complaint: Complaint, now: dt.datetime, session_ref: str | None
) -> bool:
    """The officer holding a complaint puts it back for anyone to claim."""
    released = _conditional_update(
        db,
        complaint,
        (Complaint.assigned_account_id == staff.id,),
        assigned_account_id=None,
        assigned_at=None,
    )
    return released and _done(db, staff, complaint, now, "released", session_ref)


def reassign(
    db: Session,
    staff: Account,
    complaint: Complaint,
    *,
    expected: uuid.UUID | None,
    to: Account,
    reason: str,
    now: dt.datetime,
    session_ref: str | None,
) -> bool:
    """Any DPO officer gives a complaint to another, saying why. Only if it is still held by
    `expected` (who the page showed), so that of two reassignments at once one wins."""
    if to.role is not Role.DPO_OFFICER or to.id == expected:
        return False
    holder = (
        Complaint.assigned_account_id.is_(None)
        if expected is None
        else Complaint.assigned_account_id == expected
    )
    moved = _conditional_update(
        db, complaint, (holder,), assigned_account_id=to.id, assigned_at=now
    )
    if not moved:
        return False
    note = f"{officer_name(to)}: {reason}"
    return _done(db, staff, complaint, now, "reassigned", session_ref, note=note, to=str(to.id))


def acknowledge(
    db: Session,
    staff: Account,
    complaint: Complaint,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> Told | None:
    """Acknowledges a logged complaint (online ones were acknowledged at once). Someone who
    wrote from an email address gets the link to follow it online, as online complainants
    do. None if the officer does not hold it or it was acknowledged meanwhile."""
    if not _take(db, staff, complaint, "acknowledge", status=S.ACKNOWLEDGED, acknowledged_at=now):
        return None
    token = None
    if complaint.complainant_account_id is None and complaint.complainant_email:
        token = new_token()
        complaint.access_token_hash = hash_token(token)
    complaints.acknowledge(db, complaint, staff, now, public_url, token)
    _audit(db, staff, complaint, "complaint.acknowledged", session_ref)
    db.commit()
    return Told.EMAIL if reply_address(complaint) else Told.POST


def start_investigating(
    db: Session, staff: Account, complaint: Complaint, now: dt.datetime, session_ref: str | None
) -> bool:
    taken = _take(db, staff, complaint, "investigate", status=S.INVESTIGATING)
    return taken and _done(db, staff, complaint, now, "investigating", session_ref, visible=True)


def wait_for_complainant(
    db: Session,
    staff: Account,
    complaint: Complaint,
    question: str,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> Told | None:
    """Stops the clock and asks the complainant a question, sent as a message."""
    today = london_today(now)
    if not _take(db, staff, complaint, "wait", status=S.WAITING, paused_on=today):
        return None
    complaints.pause_clock(complaint, staff, now, question)
    told = _message(db, staff, complaint, question, now, public_url)
    _audit(db, staff, complaint, "complaint.waiting", session_ref)
    db.commit()
    return told


def resume(
    db: Session,
    staff: Account,
    complaint: Complaint,
    now: dt.datetime,
    response_months: int,
    session_ref: str | None,
) -> bool:
    """Starts the clock again; the days spent waiting move the target date on."""
    if not _take(db, staff, complaint, "resume", status=S.INVESTIGATING):
        return False
    complaints.resume_clock(complaint, staff, now, response_months)
    _audit(db, staff, complaint, "complaint.resumed", session_ref)
    db.commit()
    return True


def add_note(
    db: Session,
    staff: Account,
    complaint: Complaint,
    text: str,
    now: dt.datetime,
    session_ref: str | None,
) -> bool:
    """An internal note: history for staff only, never shown or sent to the complainant."""
    if not _take(db, staff, complaint, "note"):
        return False
    return _done(db, staff, complaint, now, "note", session_ref, note=text)


def send_message(
    db: Session,
    staff: Account,
    complaint: Complaint,
    text: str,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> Told | None:
    """A message the complainant reads with their complaint; the email only says it is
    there. None if the officer does not hold the complaint or it is not open."""
    if not _take(db, staff, complaint, "message"):
        return None
    told = _message(db, staff, complaint, text, now, public_url)
    _audit(db, staff, complaint, "complaint.message_sent", session_ref)
    db.commit()
    return told


def resolve(
    db: Session,
    staff: Account,
    complaint: Complaint,
    outcome: ComplaintOutcome,
    explanation: str,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> Told | None:
    """Sends the outcome letter (which always says how to complain to the ICO). An earlier
    letter, from before a reopening, stays in the history."""
    earlier = complaint.outcome_text
    letter = outcome_letter(complaint, outcome, explanation)
    resolved = _take(
        db,
        staff,
        complaint,
        "resolve",
        status=S.RESOLVED,
        resolved_at=now,
        closed_at=None,
        outcome_text=letter,
    )
    if not resolved:
        return None
    if earlier:
        add_event(complaint, staff, now, "earlier_outcome", note=earlier)
    add_event(complaint, staff, now, "resolved", visible=True)
    told = _tell(db, complaint, NotificationKind.COMPLAINT_OUTCOME, public_url)
    _audit(db, staff, complaint, "complaint.resolved", session_ref, outcome=outcome.value)
    db.commit()
    return told


def close(
    db: Session, staff: Account, complaint: Complaint, now: dt.datetime, session_ref: str | None
) -> bool:
    closed = _take(db, staff, complaint, "close", status=S.CLOSED, closed_at=now)
    return closed and _done(db, staff, complaint, now, "closed", session_ref, visible=True)


def reopen(
    db: Session,
    staff: Account,
    complaint: Complaint,
    reason: str,
    now: dt.datetime,
    session_ref: str | None,
) -> bool:
    """Back to investigating, with a reason the complainant sees. The letter sent stays."""
    reopened = _take(
        db, staff, complaint, "reopen", status=S.INVESTIGATING, resolved_at=None, closed_at=None
    )
    return reopened and _done(
        db, staff, complaint, now, "reopened", session_ref, note=reason, visible=True
    )


def officer_name(account: Account) -> str:
    return account.display_name or account.email


def _message(
    db: Session,
    staff: Account,
    complaint: Complaint,
    text: str,
    now: dt.datetime,
    public_url: str,
) -> Told:
    complaint.messages.append(
        ComplaintMessage(at=now, from_complainant=False, author_account_id=staff.id, text=text)
    )
    return _tell(db, complaint, NotificationKind.COMPLAINT_MESSAGE, public_url)


def _tell(db: Session, complaint: Complaint, kind: NotificationKind, public_url: str) -> Told:
    """An email that there is news and where to read it. An account holder gets a link; for
    someone without one we keep only a hash of their link, so the email sends them to the
    link in our first email. Without an address, or any link, the officer posts it."""
    address = reply_address(complaint)
    has_account = complaint.complainant_account_id is not None
    if address is None or not (has_account or complaint.access_token_hash):
        return Told.POST
    link = f"{public_url}/your-complaints/{complaint.reference}" if has_account else ""
    enqueue(db, kind, address, complaint.language, reference=complaint.reference, link=link)
    return Told.EMAIL


def _take(db: Session, staff: Account, complaint: Complaint, action: str, **values: object) -> bool:
    """The officer holds the complaint and its state allows `action`, checked in the UPDATE
    itself. With no other change, the UPDATE still locks the row until the commit."""
    statuses = [status for status, actions in ACTIONS.items() if action in actions]
    conditions = (Complaint.assigned_account_id == staff.id, Complaint.status.in_(statuses))
    return _conditional_update(
        db, complaint, conditions, **(values or {"assigned_account_id": staff.id})
    )


def _conditional_update(
    db: Session,
    complaint: Complaint,
    conditions: tuple[ColumnElement[bool], ...],
    **values: object,
) -> bool:
    """One UPDATE guarded by `conditions`: True if it changed the row, which is then read
    again. The read transaction is ended first: SQLite cannot turn a transaction that has
    read into a writing one once another connection has written ("database is locked"), but
    a transaction that starts by writing waits for the lock and then sees the latest row.
    (As portal/services/correction_decisions.py does.)"""
    if not conditional_update(db, complaint, conditions, **values):
        return False
    db.refresh(complaint)
    return True


def _done(
    db: Session,
    staff: Account,
    complaint: Complaint,
    now: dt.datetime,
    action: str,
    session_ref: str | None,
    *,
    note: str | None = None,
    visible: bool = False,
    **detail: str,
) -> bool:
    """The history row and audit event of a change that won, committed."""
    add_event(complaint, staff, now, action, note=note, visible=visible)
    _audit(db, staff, complaint, f"complaint.{action}", session_ref, **detail)
    db.commit()
    return True


def _audit(
    db: Session,
    staff: Account,
    complaint: Complaint,
    action: str,
    session_ref: str | None,
    **detail: str,
) -> None:
    record_event(
        db,
        actor=staff,
        action=action,
        subject_person_id=complaint.about_person_id,
        session_ref=session_ref,
        detail={"reference": complaint.reference, **detail},
    )
