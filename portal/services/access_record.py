"""Who looked at your data in this portal: each time council staff opened the record of
someone the viewer may see, by team (never the officer's name), when and why; and the
viewer's own visits, taken from the audit trail.

Other family members' visits are left out on purpose: when one parent looks at a child's
record can matter to the other parent's safety (DESIGN.md, the former household member).
Callers: the family view; the policy is asked through `visible_people`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from portal.models import Account, AuditEvent, Person
from portal.policy import Viewer
from portal.services.audit import VIEWED
from portal.services.your_data import visible_people
from portal.vocabulary import Role, ViewReason

PAGE_SIZE = 25


@dataclass(frozen=True)
class Access:
    at: dt.datetime
    person: Person
    by_viewer: bool
    # The staff member's team as recorded on their account, else their role's name.
    team: str | None
    role: Role
    reason: ViewReason


@dataclass(frozen=True)
class AccessPage:
    accesses: list[Access]
    page: int
    pages: int


def accesses(
    db: Session, viewer: Viewer, account_id: uuid.UUID, today: dt.date, page: int = 1
) -> AccessPage:
    """Newest first, 25 to a page, in three queries however long the trail."""
    people = {person.id: person for person in visible_people(db, viewer, today)}
    if not people:
        return AccessPage([], 1, 1)
    shown = _shown(set(people), account_id)
    total = db.scalar(select(func.count()).select_from(AuditEvent).join(Account).where(shown))
    pages = max(1, -(-(total or 0) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.execute(
        select(AuditEvent, Account)
        .join(Account, Account.id == AuditEvent.actor_account_id)
        .where(shown)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    found = [_access(event, actor, people, account_id) for event, actor in rows]
    return AccessPage(found, page, pages)


def _shown(people: set[uuid.UUID], account_id: uuid.UUID) -> ColumnElement[bool]:
    return (
        (AuditEvent.action == VIEWED)
        & AuditEvent.subject_person_id.in_(people)
        & or_(Account.role != Role.FAMILY, Account.id == account_id)
    )


def _access(
    event: AuditEvent,
    actor: Account,
    people: dict[uuid.UUID, Person],
    account_id: uuid.UUID | None,
) -> Access:
    try:
        reason = ViewReason(event.detail.get("reason", ViewReason.RECORD.value))
    except ValueError:
        reason = ViewReason.RECORD
    return Access(
        at=event.occurred_at,
        # The query asked for these people only.
        person=people[cast(uuid.UUID, event.subject_person_id)],
        by_viewer=actor.id == account_id,
        team=actor.team,
        role=actor.role,
        reason=reason,
    )


def staff_accesses_to(db: Session, person_id: uuid.UUID, before: dt.datetime) -> list[Access]:
    """Every staff opening of one person's record before a moment (a copy of their data
    holds those up to the day it was asked for), oldest first, in one query."""
    person = db.get(Person, person_id)
    if person is None:
        return []
    rows = db.execute(
        select(AuditEvent, Account)
        .join(Account, Account.id == AuditEvent.actor_account_id)
        .where(
            AuditEvent.action == VIEWED,
            AuditEvent.subject_person_id == person_id,
            Account.role != Role.FAMILY,
            AuditEvent.occurred_at < before,
        )
        .order_by(AuditEvent.occurred_at, AuditEvent.id)
    )
    return [_access(event, actor, {person_id: person}, account_id=None) for event, actor in rows]
