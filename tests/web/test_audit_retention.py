"""Retention of audit events: after 7 years they leave the chain from its start, the anchor
moves, verify-audit still passes, and the disposal is itself an audit event."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import AuditChain, AuditEvent
from portal.models.columns import utc_now
from portal.services.audit import record_event
from portal.services.audit_retention import EXPIRED, expire_audit_events


def test_events_older_than_seven_years_go_and_the_chain_still_verifies(
    app: Flask, db: Session
) -> None:
    """Eight years from now, every event so far is old but one dated a year ahead."""
    later = utc_now() + relativedelta(years=8)
    kept = record_event(db, actor=None, action="test.kept")
    kept.occurred_at = utc_now() + relativedelta(years=1, days=1)
    db.commit()
    old = db.scalar(select(func.count()).select_from(AuditEvent)) - 1

    preview = expire_audit_events(db, later, dry_run=True)
    assert preview.count == old
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == old + 1

    expiry = expire_audit_events(db, later, dry_run=False)
    assert expiry == preview
    left = db.scalars(select(AuditEvent).order_by(AuditEvent.chain_position)).all()
    assert [event.action for event in left] == ["test.kept", EXPIRED]
    assert left[1].detail == {"count": str(old), "up_to": str(kept.chain_position - 1)}
    chain = db.scalar(select(AuditChain))
    assert chain.anchor_position == kept.chain_position - 1
    assert chain.anchor_mac == kept.previous_mac

    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0 and "Audit chain OK: 2 events verified." in result.output


def test_the_retention_command_keeps_events_younger_than_seven_years(
    app: Flask, db: Session
) -> None:
    before = db.scalar(select(func.count()).select_from(AuditEvent))
    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Audit events removed (older than 7 years): 0." in result.output
    assert db.scalar(select(func.count()).select_from(AuditEvent)) >= before
