"""Writing audit events: who did what to which record, when, from which session.

Importing this module registers the hook that chains every new event at flush
(portal/services/audit_chain.py)."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from portal.models import Account, AuditEvent
from portal.services import audit_chain  # noqa: F401  (chains every event at flush)
from portal.vocabulary import ViewReason


def record_event(
    db: Session,
    *,
    actor: Account | None,
    action: str,
    subject_person_id: uuid.UUID | None = None,
    session_ref: str | None = None,
    detail: dict[str, str] | None = None,
) -> AuditEvent:
    """Adds an event to the caller's transaction; the caller commits with its change. The
    flush chains it, holding the chain's lock until that commit."""
    event = AuditEvent(
        actor_account_id=actor.id if actor else None,
        action=action,
        subject_person_id=subject_person_id,
        session_ref=session_ref,
        detail=detail or {},
    )
    db.add(event)
    return event


VIEWED = "record.viewed"


def record_view(
    db: Session,
    *,
    actor: Account,
    subject_person_id: uuid.UUID,
    session_ref: str | None,
    reason: ViewReason = ViewReason.RECORD,
) -> None:
    """Every opening of a person's record is kept: the family sees it in "who looked"."""
    record_event(
        db,
        actor=actor,
        action=VIEWED,
        subject_person_id=subject_person_id,
        session_ref=session_ref,
        detail={"reason": reason.value},
    )
    db.commit()
