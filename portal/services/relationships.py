"""Ending a parental-responsibility link: authorisation changes take effect at once."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.ages import london_today
from portal.models import Account, Relationship
from portal.services.audit import record_event
from portal.services.sessions import end_all_sessions


def relationships_of(db: Session, person_id: uuid.UUID) -> list[Relationship]:
    """DPO staff: every link to or from a person, current first."""
    links = db.scalars(
        select(Relationship)
        .where(
            (Relationship.person_id == person_id) | (Relationship.related_person_id == person_id)
        )
        .options(joinedload(Relationship.person), joinedload(Relationship.related_person))
    ).unique()
    return sorted(links, key=lambda link: (link.ended_on is not None, link.started_on))


def end_relationship(
    db: Session,
    *,
    staff: Account,
    relationship_id: uuid.UUID,
    reason: str,
    now: dt.datetime,
    session_ref: str | None,
) -> Relationship | None:
    """DPO staff end a link today. The adult's sessions end with it, so a guardian whose
    responsibility ended is signed out everywhere, not just refused on their next click."""
    link = db.get(Relationship, relationship_id)
    if link is None or link.ended_on is not None:
        return None
    link.ended_on = max(london_today(now), link.started_on)
    adult = db.scalar(select(Account).where(Account.person_id == link.person_id))
    if adult is not None:
        end_all_sessions(db, adult.id, now, "relationship_ended")
    record_event(
        db,
        actor=staff,
        action="relationship.ended",
        subject_person_id=link.related_person_id,
        session_ref=session_ref,
        detail={"adult": str(link.person_id), "reason": reason},
    )
    db.commit()
    return link
