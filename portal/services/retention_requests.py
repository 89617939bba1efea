"""Retention of correction requests and copy requests (DESIGN.md "Retention": 6 years after
closure, by default). A disposed request is deleted with its history, tasks, officers'
decisions, evidence and copy; a tombstone keeps its reference, kind, status and dates.

Kept longer on purpose: a refused correction is the "disputed" marker (and the person's
statement) shown beside the item it is about (UK GDPR Article 18), so it stays while that
item is held and goes with the household's case data (`retention_households`).

Callers: `flask --app portal retention`, through `dispose_correction_requests` and
`dispose_copy_requests`; `retention_households` for the requests of a disposed household.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import (
    Attachment,
    CopyItemTreatment,
    CopyRequest,
    CopyRequestEvent,
    CorrectionEvent,
    CorrectionRequest,
    CorrectionTask,
    PersonChange,
    SupplementaryStatement,
)
from portal.models.retention import RetentionRule, TombstoneKind
from portal.services.attachments import path_of
from portal.services.retention import (
    BATCH,
    Disposal,
    Schedule,
    add_tombstone,
    anniversary,
    end_of_london_day,
    unlink_all,
)
from portal.vocabulary import CopyStatus, CorrectionStatus

CORRECTION = "correction_request"
COPY = "copy_request"
Request = TypeVar("Request")


def dispose_correction_requests(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> list[Disposal]:
    """Accepted correction requests decided `request_years` or more ago (London dates)."""
    last = london_today(now) - relativedelta(years=schedule.request_years)
    due = (
        select(CorrectionRequest)
        .where(
            CorrectionRequest.status == CorrectionStatus.ACCEPTED,
            CorrectionRequest.decided_at < end_of_london_day(last),
        )
        .order_by(CorrectionRequest.decided_at, CorrectionRequest.id)
    )
    return _in_batches(
        db,
        due,
        lambda request: _correction_disposal(request, schedule),
        lambda batch, disposals: remove_correction_requests(
            db, batch, disposals, now, schedule.attachments_dir
        ),
        dry_run=dry_run,
    )


def _in_batches(
    db: Session,
    due: Select[Request],
    describe: Callable[[Request], Disposal],
    remove: Callable[[Sequence[Request], list[Disposal]], list[Path]],
    *,
    dry_run: bool,
) -> list[Disposal]:
    """Lists the due requests (dry run), or removes them a batch at a time, one transaction
    each, deleting their files only once the batch is committed."""
    if dry_run:
        return [describe(request) for request in db.scalars(due)]
    done: list[Disposal] = []
    while batch := db.scalars(due.limit(BATCH)).all():
        disposals = [describe(request) for request in batch]
        files = remove(batch, disposals)
        db.commit()
        unlink_all(files)
        done += disposals
    return done


def _correction_disposal(request: CorrectionRequest, schedule: Schedule) -> Disposal:
    closed = london_today(request.decided_at or request.received_at)
    due_on = anniversary(closed, schedule.request_years)
    return Disposal(CORRECTION, request.reference, RetentionRule.REQUEST_CLOSED, due_on)


def remove_correction_requests(
    db: Session,
    requests: Iterable[CorrectionRequest],
    disposals: Iterable[Disposal],
    now: dt.datetime,
    attachments_dir: Path,
) -> list[Path]:
    """Tombstones and deletes the requests in the caller's transaction; returns the evidence
    files to delete after the commit. A change to a name or date of birth a request made
    stays in the person's history, no longer linked to it."""
    requests = list(requests)
    for request, disposal in zip(requests, disposals, strict=True):
        _tombstone(db, TombstoneKind.CORRECTION_REQUEST, request, disposal, now, request.decided_at)
    ids = [request.id for request in requests]
    evidence = [request.attachment_id for request in requests if request.attachment_id]
    db.execute(
        update(PersonChange)
        .where(PersonChange.correction_request_id.in_(ids))
        .values(correction_request_id=None)
    )
    for model in (CorrectionEvent, CorrectionTask):
        db.execute(delete(model).where(model.request_id.in_(ids)))
    db.execute(delete(SupplementaryStatement).where(SupplementaryStatement.request_id.in_(ids)))
    db.execute(delete(CorrectionRequest).where(CorrectionRequest.id.in_(ids)))
    return _delete_attachments(db, evidence, attachments_dir)


def _tombstone(
    db: Session,
    kind: TombstoneKind,
    request: CorrectionRequest | CopyRequest,
    disposal: Disposal,
    now: dt.datetime,
    closed_at: dt.datetime | None,
) -> None:
    """What is kept of a disposed request: its reference, status and London dates."""
    add_tombstone(
        db,
        kind,
        disposal,
        now,
        reference=request.reference,
        status=request.status.value,
        opened_on=request.received_on,
        closed_on=london_today(closed_at) if closed_at else None,
    )


def _delete_attachments(db: Session, ids: list[uuid.UUID], folder: Path) -> list[Path]:
    if not ids:
        return []
    rows = db.scalars(select(Attachment).where(Attachment.id.in_(ids))).all()
    files = [path_of(folder, attachment) for attachment in rows]
    db.execute(delete(Attachment).where(Attachment.id.in_(ids)))
    return files


def dispose_copy_requests(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> list[Disposal]:
    """Copy requests released or refused `request_years` or more ago (London dates)."""
    last = london_today(now) - relativedelta(years=schedule.request_years)
    due = (
        select(CopyRequest)
        .where(
            CopyRequest.status.in_([CopyStatus.RELEASED, CopyStatus.REFUSED]),
            CopyRequest.closed_at < end_of_london_day(last),
        )
        .order_by(CopyRequest.closed_at, CopyRequest.id)
    )
    return _in_batches(
        db,
        due,
        lambda request: _copy_request_disposal(request, schedule),
        lambda batch, disposals: remove_copy_requests(
            db, batch, disposals, now, schedule.copies_dir
        ),
        dry_run=dry_run,
    )


def _copy_request_disposal(request: CopyRequest, schedule: Schedule) -> Disposal:
    closed = london_today(request.closed_at or request.received_at)
    due_on = anniversary(closed, schedule.request_years)
    return Disposal(COPY, request.reference, RetentionRule.REQUEST_CLOSED, due_on)


def remove_copy_requests(
    db: Session,
    requests: Iterable[CopyRequest],
    disposals: Iterable[Disposal],
    now: dt.datetime,
    copies_dir: Path,
) -> list[Path]:
    """Tombstones and deletes the requests in the caller's transaction; returns the copies
    (ZIPs) still on disk, to delete after the commit."""
    requests = list(requests)
    for request, disposal in zip(requests, disposals, strict=True):
        _tombstone(db, TombstoneKind.COPY_REQUEST, request, disposal, now, request.closed_at)
    ids = [request.id for request in requests]
    files = [copies_dir / r.copy_storage_key for r in requests if r.copy_storage_key]
    db.execute(delete(CopyItemTreatment).where(CopyItemTreatment.copy_request_id.in_(ids)))
    db.execute(delete(CopyRequestEvent).where(CopyRequestEvent.copy_request_id.in_(ids)))
    db.execute(delete(CopyRequest).where(CopyRequest.id.in_(ids)))
    return files
