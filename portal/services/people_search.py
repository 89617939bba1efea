"""Staff finding a person's record by name or household reference."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portal.models import Household, HouseholdMembership, Person
from portal.policy import Viewer

RESULTS_LIMIT = 25


@dataclass(frozen=True)
class Match:
    person: Person
    household_reference: str | None


def find_people(db: Session, viewer: Viewer, query: str) -> list[Match]:
    """DPO staff only (the caller checks the role): people whose name or household matches.

    Matches on the start of a given or family name, or the exact household
    reference; at most RESULTS_LIMIT, in name order.
    """
    if not viewer.is_staff or not query:
        return []
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    prefix = f"{escaped}%"
    rows = db.execute(
        select(Person, Household.reference)
        .outerjoin(
            HouseholdMembership,
            (HouseholdMembership.person_id == Person.id) & HouseholdMembership.ended_on.is_(None),
        )
        .outerjoin(Household, Household.id == HouseholdMembership.household_id)
        .where(
            or_(
                func.lower(Person.family_name).like(prefix, escape="\\"),
                func.lower(Person.given_name).like(prefix, escape="\\"),
                Household.reference == query.upper(),
            )
        )
        .order_by(Person.family_name, Person.given_name, Person.id)
        .limit(RESULTS_LIMIT)
    )
    return [Match(person=person, household_reference=reference) for person, reference in rows]
