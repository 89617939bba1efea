"""The build job: assembles each open copy request from the record and, when the content
differs from the copy last built (or none was), renders the PDF and JSON into a new ZIP.

It runs outside web requests, so a large record never slows a page: `build_one` as the job a
new request submits (portal/jobs/), `build_copies` as the sweep that catches records changed
since (every few minutes; also `flask --app portal build-copies`). Rebuilding when the record
changed is what keeps a copy current until release; a release waiting for a second officer's
approval goes back to the officer, who must look again at what changed. A released copy is
never rebuilt.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import CopyRequest
from portal.services.conditional import conditional_update
from portal.services.copy_assembly import Assembly, assemble, council_for
from portal.services.copy_documents import copy_zip
from portal.services.copy_queue import OPEN
from portal.services.copy_requests import add_event
from portal.vocabulary import CopyStatus

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)


@dataclass
class BuildReport:
    built: int = 0
    unchanged: int = 0
    # The requester may no longer ask for this person's data: the officer must refuse it.
    not_entitled: int = 0
    # Raised while building: still due, so the next sweep tries again.
    failed: int = 0


def build_copies(
    db: Session, config: dict[str, Any], copies_dir: Path, now: dt.datetime
) -> BuildReport:
    """Builds every open request whose copy is missing or out of date. Safe to run in
    several processes at once: each request is leased to one of them while it builds. A copy
    that fails to build holds up no other: it is counted, logged by reference and error type
    only (an error's text can quote the record), and stays due for the next sweep."""
    report = BuildReport()
    ids = db.scalars(
        select(CopyRequest.id).where(*_buildable(now)).order_by(CopyRequest.due_on, CopyRequest.id)
    ).all()
    for request_id in ids:
        request = db.get(CopyRequest, request_id)
        if request is None:
            continue
        reference = request.reference
        try:
            _build_one(db, request, config, copies_dir, now, report)
        except Exception as error:  # noqa: BLE001 - counted and retried by the next sweep
            db.rollback()
            report.failed += 1
            logger.error("copy %s not built: %s", reference, type(error).__name__)  # noqa: TRY400 - no traceback: it can quote personal data
    return report


def build_one(
    db: Session, request_id: uuid.UUID, config: dict[str, Any], copies_dir: Path, now: dt.datetime
) -> BuildReport:
    """Builds one request's copy if it is open, unleased and missing or out of date: the job
    a new request (or a changed treatment) submits, and what bench/copy_build.py times.
    Running it twice builds once."""
    report = BuildReport()
    request = db.scalar(select(CopyRequest).where(CopyRequest.id == request_id, *_buildable(now)))
    if request is not None:
        _build_one(db, request, config, copies_dir, now, report)
    return report


def _buildable(now: dt.datetime) -> tuple[Any, ...]:
    return (
        CopyRequest.status.in_(OPEN),
        or_(CopyRequest.build_leased_until.is_(None), CopyRequest.build_leased_until < now),
    )


def _build_one(
    db: Session,
    request: CopyRequest,
    config: dict[str, Any],
    copies_dir: Path,
    now: dt.datetime,
    report: BuildReport,
) -> None:
    """Builds one request's copy if it is missing or out of date, counting what happened in
    `report`."""
    assembly = assemble(db, request, council_for(config, request.language), london_today(now))
    if assembly is None:
        report.not_entitled += 1
        return
    if assembly.fingerprint == request.copy_fingerprint:
        report.unchanged += 1
        return
    leased = conditional_update(
        db,
        request,
        (*_buildable(now), _not_built_as(assembly.fingerprint)),
        build_leased_until=now + LEASE,
    )
    if not leased:
        return  # another builder holds it, or has just built this very copy
    db.commit()
    old_key = request.copy_storage_key
    key = _write_copy(db, request, assembly, copies_dir)
    _record_build(db, request, key, assembly.fingerprint, now)
    if old_key is not None:
        # Only once the row points at the new file.
        (copies_dir / old_key).unlink(missing_ok=True)
    report.built += 1


def _not_built_as(fingerprint: str) -> Any:
    """Two builders that assembled the same record at once build it once: the second finds
    the copy it would build already recorded (and a release waiting for approval stays)."""
    return or_(CopyRequest.copy_fingerprint.is_(None), CopyRequest.copy_fingerprint != fingerprint)


def _write_copy(db: Session, request: CopyRequest, assembly: Assembly, copies_dir: Path) -> str:
    """The new ZIP's storage key. A build that fails gives its lease back, so that the job's
    retry (or the next sweep) can build at once rather than after the lease runs out."""
    key = secrets.token_hex(16) + ".zip"
    try:
        copies_dir.mkdir(parents=True, exist_ok=True)
        (copies_dir / key).write_bytes(copy_zip(assembly.document))
    except BaseException:
        db.rollback()
        db.execute(
            update(CopyRequest)
            .where(CopyRequest.id == request.id)
            .values(build_leased_until=None)
            .execution_options(synchronize_session=False)
        )
        db.commit()
        raise
    return key


def _record_build(
    db: Session, request: CopyRequest, key: str, fingerprint: str, now: dt.datetime
) -> None:
    db.refresh(request)
    rebuilt = request.copy_fingerprint is not None
    request.copy_storage_key = key
    request.copy_fingerprint = fingerprint
    request.copy_built_at = now
    request.build_leased_until = None
    if request.status is CopyStatus.AWAITING_APPROVAL:
        # What the second officer would approve is not what was asked for any more.
        request.status = CopyStatus.RECEIVED
        request.release_requested_by_id = None
        request.release_requested_at = None
    add_event(request, None, now, "rebuilt" if rebuilt else "built")
    db.commit()
    logger.info("copy %s built", request.reference)
