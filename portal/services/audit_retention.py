"""Retention of audit events (DESIGN.md "Retention": 7 years). The oldest events leave the
chain from its start: the anchor moves to the last one removed (its position and MAC), so
verify-audit still checks everything kept. An event is only removed with every event before
it, so one kept out of order (clocks differ between servers) holds back those after it.

Caller: `flask --app portal retention`, nightly; `dry_run` says what would go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from portal.models.audit import CHAIN_ROW, AuditEvent
from portal.services.audit import record_event
from portal.services.audit_chain import CHAIN, lock_chain

AUDIT_YEARS = 7
EXPIRED = "retention.audit_events"


@dataclass(frozen=True)
class AuditExpiry:
    count: int
    up_to_position: int | None = None


def expire_audit_events(
    db: Session, now: dt.datetime, *, dry_run: bool, years: int = AUDIT_YEARS
) -> AuditExpiry:
    """Removes the events older than `years` (or, with `dry_run`, only counts them) and
    records the disposal as an audit event, in one transaction."""
    if dry_run:
        return _expired(db, now - relativedelta(years=years))
    chain = lock_chain(db.connection())
    expiry = _expired(db, now - relativedelta(years=years))
    last = expiry.up_to_position
    if last is None:
        db.rollback()
        return expiry
    if last > chain.anchor_position:
        mac = db.scalar(select(AuditEvent.mac).where(AuditEvent.chain_position == last))
        db.execute(
            update(CHAIN)
            .where(CHAIN.c.id == CHAIN_ROW)
            .values(anchor_position=last, anchor_mac=mac)
        )
    db.execute(delete(AuditEvent).where(AuditEvent.chain_position <= last))
    record_event(
        db, actor=None, action=EXPIRED, detail={"count": str(expiry.count), "up_to": str(last)}
    )
    db.commit()
    return expiry


def _expired(db: Session, cutoff: dt.datetime) -> AuditExpiry:
    """The events before the first one young enough to keep (all of them if none is)."""
    first_kept = db.scalar(
        select(func.min(AuditEvent.chain_position)).where(AuditEvent.occurred_at >= cutoff)
    )
    if first_kept is None:
        last = db.scalar(select(func.max(AuditEvent.chain_position)))
    else:
        last = first_kept - 1
    if last is None:
        return AuditExpiry(0)
    count = db.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.chain_position <= last)
    )
    return AuditExpiry(count or 0, last if count else None)
