"""One retention run: every step of the schedule in turn (DESIGN.md "Retention").

Callers: `flask --app portal retention [--dry-run]` and the nightly job (portal/jobs/tasks.py).
Every step is idempotent, so a run that failed half-way is finished by the next one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.services.audit_retention import expire_audit_events
from portal.services.retention import (
    Disposal,
    Schedule,
    anonymise_complaints,
    delete_expired_copies,
    expire_invitations,
)
from portal.services.retention_households import dispose_households
from portal.services.retention_requests import dispose_copy_requests, dispose_correction_requests


@dataclass(frozen=True)
class RetentionRun:
    disposals: list[Disposal]
    audit_events: int

    def counts(self) -> Counter[str]:
        """How many of each kind went, audit events under "audit_events"."""
        counts = Counter(item.kind for item in self.disposals)
        counts["audit_events"] = self.audit_events
        return counts


def apply_retention(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> RetentionRun:
    """Disposes of everything past its date (each step commits its own batches); with
    `dry_run` lists it and changes nothing (the caller rolls back)."""
    disposals = [
        *anonymise_complaints(db, now, schedule, dry_run=dry_run),
        *dispose_correction_requests(db, now, schedule, dry_run=dry_run),
        *dispose_copy_requests(db, now, schedule, dry_run=dry_run),
        *delete_expired_copies(db, now, schedule, dry_run=dry_run),
        *expire_invitations(db, now, schedule, dry_run=dry_run),
        *dispose_households(db, now, schedule, dry_run=dry_run),
    ]
    audit = expire_audit_events(db, now, dry_run=dry_run)
    return RetentionRun(disposals, audit.count)
