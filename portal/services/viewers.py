"""Building the policy's Viewer for a signed-in account."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account, Relationship
from portal.policy import Viewer, needs_guardian_approval
from portal.vocabulary import Role


def viewer_for(db: Session, account: Account, today: dt.date) -> Viewer:
    """One query: the people this account's person holds parental responsibility for today."""
    if account.role is not Role.FAMILY or account.person is None:
        return Viewer(role=account.role)
    links = db.scalars(
        select(Relationship).where(
            Relationship.person_id == account.person_id,
            Relationship.parental_responsibility.is_(True),
        )
    )
    children = frozenset(link.related_person_id for link in links if link.is_current(today))
    return Viewer(
        role=account.role,
        person_id=account.person_id,
        awaiting_guardian=needs_guardian_approval(
            account.person.date_of_birth, account.guardian_approved_at is not None, today
        ),
        children=children,
    )
