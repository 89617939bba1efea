"""A complainant answers the Data Protection Officer's team: a message, or more evidence.

A reply to a complaint that waits for the complainant restarts its clock; the days spent
waiting move the target date on (`complaints.resume_clock`). Nothing is added to a closed
complaint: the complainant makes a new one. Callers: the family's complaint pages, for a
signed-in complainant (`author` their account) or one following an emailed link (None).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from portal.models import Account, Complaint, ComplaintMessage
from portal.services.attachments import save_attachment
from portal.services.audit import record_event
from portal.services.complaints import add_event, resume_clock
from portal.services.conditional import conditional_update
from portal.uploads import CheckedFile
from portal.vocabulary import ComplaintStatus


class ComplaintClosed(Exception):
    """The complaint is closed: the complainant is told to make a new one."""


def reply(
    db: Session,
    complaint: Complaint,
    *,
    author: Account | None,
    text: str,
    now: dt.datetime,
    response_months: int,
    session_ref: str | None,
) -> None:
    """Adds the complainant's message, and resumes the clock if we were waiting for them. The
    same message twice in a row (a second click) is kept once."""
    _hold_open(db, complaint)
    latest = complaint.messages[-1] if complaint.messages else None
    if latest is not None and latest.from_complainant and latest.text == text:
        db.commit()
        return
    complaint.messages.append(
        ComplaintMessage(
            at=now,
            from_complainant=True,
            author_account_id=author.id if author else None,
            text=text,
        )
    )
    if complaint.status is ComplaintStatus.WAITING:
        resume_clock(complaint, author, now, response_months)
    add_event(complaint, author, now, "replied")
    _audit(db, author, complaint, "complaint.replied", session_ref)
    db.commit()


def add_evidence(
    db: Session,
    complaint: Complaint,
    *,
    uploader: Account | None,
    files: list[CheckedFile],
    now: dt.datetime,
    attachments_dir: Path | None,
    session_ref: str | None,
) -> None:
    """Keeps files that passed the upload checks with the complaint; a file it already has (a
    second click) is not kept twice."""
    _hold_open(db, complaint)
    held = {attachment.sha256 for attachment in complaint.attachments}
    new = [checked for checked in files if checked.sha256 not in held]
    if not new:
        db.commit()
        return
    for checked in new:
        complaint.attachments.append(save_attachment(db, uploader, checked, now, attachments_dir))
    add_event(complaint, uploader, now, "evidence_added")
    _audit(db, uploader, complaint, "complaint.evidence_added", session_ref, files=str(len(new)))
    db.commit()


def _hold_open(db: Session, complaint: Complaint) -> None:
    """Locks the complaint's row until the caller commits, if it is not closed, and reads it
    again: of two clicks at once the second waits, then sees the first's reply. The read
    transaction ends first (SQLite cannot turn a reading transaction into a writing one once
    another connection has written), as in portal/services/complaint_handling.py."""
    still_open = (Complaint.status != ComplaintStatus.CLOSED, Complaint.anonymised_at.is_(None))
    if not conditional_update(db, complaint, still_open, status=Complaint.status):
        raise ComplaintClosed(complaint.reference)
    db.refresh(complaint)


def _audit(
    db: Session,
    actor: Account | None,
    complaint: Complaint,
    action: str,
    session_ref: str | None,
    **detail: str,
) -> None:
    record_event(
        db,
        actor=actor,
        action=action,
        subject_person_id=complaint.about_person_id,
        session_ref=session_ref,
        detail={"reference": complaint.reference, **detail},
    )
