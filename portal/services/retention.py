"""Retention (DESIGN.md "Retention"): a complaint is never deleted; six years (by default)
after it was closed, everything in it that identifies anyone is removed, and what is left
(its reference, channel, category, dates and status) still counts in the dashboard. A copy of
someone's data (the ZIP) is deleted 30 days after release.

Caller: `flask --app portal retention`, nightly. Idempotent: an anonymised complaint is not
touched again.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.models import Attachment, Complaint, CopyRequest
from portal.services.attachments import path_of
from portal.services.audit import record_event
from portal.services.copy_requests import add_event
from portal.vocabulary import CopyStatus

logger = logging.getLogger(__name__)

DEFAULT_COMPLAINT_YEARS = 6
BATCH = 500


def anonymise_complaints(
    db: Session, now: dt.datetime, attachments_dir: Path, years: int = DEFAULT_COMPLAINT_YEARS
) -> int:
    """Anonymises complaints closed more than `years` years before `now`, a batch at a time,
    each batch in one transaction. Returns how many."""
    cutoff = now - relativedelta(years=years)
    done = 0
    while batch := _due(db, cutoff):
        files: list[Path] = []
        for complaint in batch:
            files += _anonymise(db, complaint, now, attachments_dir)
        record_event(
            db, actor=None, action="retention.complaints", detail={"count": str(len(batch))}
        )
        db.commit()
        # Files go only once the rows that named them are gone for good.
        for path in files:
            path.unlink(missing_ok=True)
        done += len(batch)
    return done


def _due(db: Session, cutoff: dt.datetime) -> list[Complaint]:
    return list(
        db.scalars(
            select(Complaint)
            .where(Complaint.closed_at < cutoff, Complaint.anonymised_at.is_(None))
            .options(
                selectinload(Complaint.attachments),
                selectinload(Complaint.events),
                selectinload(Complaint.messages),
            )
            .order_by(Complaint.closed_at, Complaint.id)
            .limit(BATCH)
        )
    )


def _anonymise(
    db: Session, complaint: Complaint, now: dt.datetime, attachments_dir: Path
) -> list[Path]:
    """Clears the complaint's personal data in place; returns the files to delete."""
    complaint.complainant_account_id = None
    complaint.complainant_name = None
    complaint.complainant_email = None
    complaint.complainant_phone = None
    complaint.complainant_address = None
    complaint.about_person_id = None
    complaint.what_happened = ""
    complaint.desired_outcome = ""
    complaint.outcome_text = None
    complaint.access_token_hash = None
    complaint.anonymised_at = now
    for event in complaint.events:
        event.note = None
    for message in complaint.messages:
        message.text = ""
    files = [path_of(attachments_dir, attachment) for attachment in complaint.attachments]
    attachments: list[Attachment] = list(complaint.attachments)
    complaint.attachments = []
    db.flush()
    for attachment in attachments:
        db.delete(attachment)
    return files


def delete_expired_copies(db: Session, copies_dir: Path, now: dt.datetime) -> int:
    """Retention: a released copy's ZIP goes 30 days after release (its download link has
    stopped working by then); a refused request's copy goes at once. Returns how many."""
    expired = db.scalars(
        select(CopyRequest).where(
            CopyRequest.copy_storage_key.is_not(None),
            or_(
                CopyRequest.download_until < now,
                (CopyRequest.status == CopyStatus.RELEASED)
                & CopyRequest.download_until.is_(None)
                & (CopyRequest.released_at < now - dt.timedelta(days=30)),
                CopyRequest.status == CopyStatus.REFUSED,
            ),
        )
    ).all()
    keys = [request.copy_storage_key for request in expired]
    for request in expired:
        request.copy_storage_key = None
        add_event(request, None, now, "copy_deleted")
    db.commit()
    for key in keys:
        if key is not None:
            (copies_dir / key).unlink(missing_ok=True)
    return len(keys)
