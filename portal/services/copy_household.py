"""Who lives or lived with the person a copy is about: named where the requester may see
them, redacted where not (another person's data, DPA 2018 schedule 2 part 3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.models import HouseholdMembership, Person, Relationship
from portal.policy import Viewer, can_view_person
from portal.services.copy_exclusions import HOUSEHOLD_MEMBER, Exclusion
from portal.vocabulary import CopyReason, CopyTreatment, label


def members(
    db: Session, viewer: Viewer, subject: Person, today: dt.date
) -> tuple[list[dict[str, Any]], list[Exclusion]]:
    """Everyone who shared a household with the subject, current members first; two queries."""
    households = select(HouseholdMembership.household_id).where(
        HouseholdMembership.person_id == subject.id
    )
    memberships = db.scalars(
        select(HouseholdMembership)
        .where(
            HouseholdMembership.household_id.in_(households),
            HouseholdMembership.person_id != subject.id,
        )
        .options(joinedload(HouseholdMembership.person))
    ).all()
    kinds = _relationships_to(db, subject)
    rows, exclusions = [], []
    seen = set()
    for membership in sorted(memberships, key=lambda m: (not _current(m, today), m.started_on)):
        person = membership.person
        if person.id in seen:
            continue
        seen.add(person.id)
        current = _current(membership, today)
        if can_view_person(viewer, person, today):
            kind = kinds.get(person.id)
            relationship = str(label(kind)) if kind is not None else None
            rows.append(
                {
                    "name": person.full_name,
                    "relationship": relationship,
                    "redacted": False,
                    "current": current,
                }
            )
            continue
        rows.append({"name": None, "relationship": None, "redacted": True, "current": current})
        exclusions.append(
            Exclusion(
                what=HOUSEHOLD_MEMBER,
                detail=person.full_name,
                reason=CopyReason.THIRD_PARTY,
                treatment=CopyTreatment.REDACT,
            )
        )
    return rows, exclusions


def _current(membership: HouseholdMembership, today: dt.date) -> bool:
    return membership.ended_on is None or membership.ended_on > today


def _relationships_to(db: Session, subject: Person) -> dict[Any, Any]:
    """What each related person is to the subject (their parent, partner…), where recorded."""
    links = db.scalars(select(Relationship).where(Relationship.related_person_id == subject.id))
    return {link.person_id: link.kind for link in links}
