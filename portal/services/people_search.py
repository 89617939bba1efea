"""Staff finding a person's record by name, household reference, NHS number or NI number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from portal.encryption import session_keyring
from portal.models import DataItem, Household, HouseholdMembership, Person
from portal.models.items import LOOKUP_KINDS, lookup_hash
from portal.policy import Viewer

RESULTS_LIMIT = 25


@dataclass(frozen=True)
class Match:
    person: Person
    household_reference: str | None


def find_people(db: Session, viewer: Viewer, query: str) -> list[Match]:
    """DPO staff only (the caller checks the role): people whose name or household matches.

    Matches on the start of a given or family name, the exact household reference, or a
    current NHS or NI number (by its blind index: the numbers are encrypted); at most
    RESULTS_LIMIT, in name order.
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
                Person.id.in_(_numbered(db, query)),
            )
        )
        .order_by(Person.family_name, Person.given_name, Person.id)
        .limit(RESULTS_LIMIT)
    )
    return [Match(person=person, household_reference=reference) for person, reference in rows]


def _numbered(db: Session, query: str) -> Select[Any]:
    """The people whose current NHS or NI number is `query`, in any spacing or case."""
    keyring = session_keyring(db)
    hashes = [found for kind in LOOKUP_KINDS if (found := lookup_hash(keyring, kind, query))]
    return select(DataItem.person_id).where(
        DataItem.lookup_hash.in_(hashes), DataItem.replaced_at.is_(None)
    )
