"""Retention (DESIGN.md "Retention"): the schedule, what each disposal leaves behind, and
the steps for complaints, copies (ZIPs) and unused invitation codes. Correction and copy
requests are in `retention_requests`, households' case data in `retention_households`.

Each step takes `dry_run`: then it only lists what would go (`Disposal`s: a kind, a
reference or an id, the rule, the day it fell due; nothing that names anyone) and changes
nothing. Every disposal writes an audit event naming the rule and the tombstone, never the
person. Steps are idempotent: what was disposed of is not due again.

Caller: `flask --app portal retention [--dry-run]`, nightly.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from portal.ages import LONDON, birthday_in, london_today
from portal.models import Attachment, Complaint, CopyRequest, InvitationCode
from portal.models.retention import RetentionRule, Tombstone, TombstoneKind
from portal.services.attachments import path_of
from portal.services.audit import record_event
from portal.services.copy_requests import add_event
from portal.vocabulary import CopyStatus

logger = logging.getLogger(__name__)

BATCH = 500
DISPOSED = "retention.disposed"


@dataclass(frozen=True)
class Schedule:
    """The retention schedule's settings (portal/config.py), defaults as in DESIGN.md."""

    attachments_dir: Path
    copies_dir: Path
    complaint_years: int = 6
    request_years: int = 6
    copy_days: int = 30
    invitation_days: int = 30
    case_age: int = 25
    no_child_inactive_years: int = 6

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Schedule:
        return cls(
            attachments_dir=Path(config["ATTACHMENTS_DIR"]),
            copies_dir=Path(config["COPIES_DIR"]),
            complaint_years=config["COMPLAINT_RETENTION_YEARS"],
            request_years=config["REQUEST_RETENTION_YEARS"],
            copy_days=config["COPY_RETENTION_DAYS"],
            invitation_days=config["INVITATION_RETENTION_DAYS"],
            case_age=config["CASE_RETENTION_AGE"],
            no_child_inactive_years=config["NO_CHILD_CASE_RETENTION_YEARS"],
        )


@dataclass(frozen=True)
class Disposal:
    """One record that went, or in a dry run would go. `label` is a reference or an id."""

    kind: str
    label: str
    rule: RetentionRule
    due_on: dt.date


def anniversary(day: dt.date, years: int) -> dt.date:
    """`years` after `day`; from 29 February, 1 March in a year that has none (as ages)."""
    return birthday_in(day.year + years, day)


def end_of_london_day(day: dt.date) -> dt.datetime:
    """The first moment after `day` in Europe/London: a timestamp before it fell on or
    before `day` there."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LONDON).astimezone(
        dt.UTC
    )


def record_disposal(db: Session, disposal: Disposal, tombstone: Tombstone | None = None) -> None:
    """The audit trace of one disposal: the rule and the tombstone (or the anonymised
    record's reference), never the person."""
    detail = {"kind": disposal.kind, "rule": disposal.rule.value, "due_on": str(disposal.due_on)}
    detail["tombstone"] = str(tombstone.id) if tombstone else disposal.label
    record_event(db, actor=None, action=DISPOSED, detail=detail)


def add_tombstone(
    db: Session, kind: TombstoneKind, disposal: Disposal, now: dt.datetime, **fields: Any
) -> Tombstone:
    tombstone = Tombstone(
        kind=kind, rule=disposal.rule, due_on=disposal.due_on, disposed_at=now, **fields
    )
    db.add(tombstone)
    db.flush()
    record_disposal(db, disposal, tombstone)
    return tombstone


def unlink_all(paths: list[Path]) -> None:
    """Files go only once the rows that named them are gone for good (after the commit)."""
    for path in paths:
        path.unlink(missing_ok=True)


def anonymise_complaints(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> list[Disposal]:
    """A complaint is never deleted: `complaint_years` after its closure (London date)
    everything in it that identifies anyone is removed, and what is left (reference,
    channel, category, dates, status) still counts in the dashboard. A batch at a time,
    each batch in one transaction."""
    last_closed = london_today(now) - relativedelta(years=schedule.complaint_years)
    due = (Complaint.closed_at < end_of_london_day(last_closed), Complaint.anonymised_at.is_(None))
    if dry_run:
        rows = db.scalars(select(Complaint).where(*due).order_by(Complaint.closed_at))
        return [_complaint_disposal(complaint, schedule) for complaint in rows]
    done: list[Disposal] = []
    while batch := _due_complaints(db, due):
        files: list[Path] = []
        for complaint in batch:
            disposal = _complaint_disposal(complaint, schedule)
            files += anonymise_complaint(db, complaint, now, schedule.attachments_dir)
            record_disposal(db, disposal)
            done.append(disposal)
        db.commit()
        unlink_all(files)
    return done


def _complaint_disposal(
    complaint: Complaint, schedule: Schedule, rule: RetentionRule = RetentionRule.COMPLAINT_CLOSED
) -> Disposal:
    closed = complaint.closed_at or complaint.received_at
    due_on = anniversary(london_today(closed), schedule.complaint_years)
    return Disposal("complaint", complaint.reference, rule, due_on)


def _due_complaints(db: Session, due: tuple[Any, ...]) -> list[Complaint]:
    return list(
        db.scalars(
            select(Complaint)
            .where(*due)
            .options(
                selectinload(Complaint.attachments),
                selectinload(Complaint.events),
                selectinload(Complaint.messages),
            )
            .order_by(Complaint.closed_at, Complaint.id)
            .limit(BATCH)
        )
    )


def anonymise_complaint(
    db: Session, complaint: Complaint, now: dt.datetime, attachments_dir: Path
) -> list[Path]:
    """Clears the complaint's personal data in place; returns the files to delete. Also
    called when the household of the person it was by or about is disposed of."""
    for column in ("name", "email", "phone", "address"):
        setattr(complaint, f"complainant_{column}", None)
    complaint.complainant_account_id = None
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
    return delete_attachments(db, complaint.attachments, attachments_dir)


def delete_attachments(
    db: Session, attachments: list[Attachment], attachments_dir: Path
) -> list[Path]:
    """Deletes the rows (after unlinking them from their owner); returns the files to delete."""
    files = [path_of(attachments_dir, attachment) for attachment in attachments]
    doomed = list(attachments)
    attachments.clear()
    db.flush()
    for attachment in doomed:
        db.delete(attachment)
    return files


def delete_expired_copies(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> list[Disposal]:
    """A released copy's ZIP goes when its download link stops working (`copy_days` after
    release); a refused request's copy goes at once. The request stays (see
    `retention_requests`), with a "copy_deleted" event."""
    expired = db.scalars(
        select(CopyRequest)
        .where(
            CopyRequest.copy_storage_key.is_not(None),
            or_(
                CopyRequest.download_until < now,
                CopyRequest.released_at < now - dt.timedelta(days=schedule.copy_days),
                CopyRequest.status == CopyStatus.REFUSED,
            ),
        )
        .order_by(CopyRequest.released_at)
    ).all()
    disposals = [_copy_disposal(request, schedule) for request in expired]
    if dry_run:
        return disposals
    keys = [request.copy_storage_key for request in expired]
    for request, disposal in zip(expired, disposals, strict=True):
        request.copy_storage_key = None
        add_event(request, None, now, "copy_deleted")
        record_disposal(db, disposal)
    db.commit()
    unlink_all([schedule.copies_dir / key for key in keys if key is not None])
    return disposals


def _copy_disposal(request: CopyRequest, schedule: Schedule) -> Disposal:
    fell_due = request.closed_at or request.received_at  # refused: at once
    if request.released_at is not None:
        fell_due = request.released_at + dt.timedelta(days=schedule.copy_days)
        fell_due = min(fell_due, request.download_until or fell_due)
    rule = RetentionRule.COPY_RELEASED
    return Disposal("copy_zip", request.reference, rule, london_today(fell_due))


def expire_invitations(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> list[Disposal]:
    """An invitation code never used goes `invitation_days` after it was issued (it stopped
    working by then, or was revoked): the row, which says who it was for, is deleted; a
    tombstone keeps its dates. Spent codes stay with the person's record."""
    last_issued = london_today(now) - dt.timedelta(days=schedule.invitation_days)
    due = select(InvitationCode).where(
        InvitationCode.spent_at.is_(None), InvitationCode.issued_at < end_of_london_day(last_issued)
    )
    due = due.order_by(InvitationCode.issued_at, InvitationCode.id)
    if dry_run:
        return [_invitation_disposal(code, schedule) for code in db.scalars(due)]
    done: list[Disposal] = []
    while codes := db.scalars(due.limit(BATCH)).all():
        disposals = [_invitation_disposal(code, schedule) for code in codes]
        for code, disposal in zip(codes, disposals, strict=True):
            add_tombstone(
                db,
                TombstoneKind.INVITATION_CODE,
                disposal,
                now,
                status="revoked" if code.revoked_at else "expired",
                opened_on=london_today(code.issued_at),
                closed_on=london_today(code.revoked_at or code.expires_at),
            )
            db.delete(code)
        db.commit()
        done += disposals
    return done


def _invitation_disposal(code: InvitationCode, schedule: Schedule) -> Disposal:
    due_on = london_today(code.issued_at) + dt.timedelta(days=schedule.invitation_days)
    return Disposal("invitation_code", str(code.id), RetentionRule.INVITATION_UNUSED, due_on)
