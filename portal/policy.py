"""The one rule of who may see what (DESIGN.md "Who may see what").

Every page, export, email and log that shows personal data asks these
functions. They are pure: the caller loads a `Viewer` once per request and the
candidate records, and the policy decides. Default deny.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, true

from portal.ages import ADULTHOOD, AGE_OF_DIGITAL_CONSENT, age_on
from portal.models import DataItem, Person, Restriction
from portal.vocabulary import Role, Sensitivity

STAFF_WHO_SEE_RECORDS = frozenset({Role.DPO_OFFICER})


@dataclass(frozen=True)
class Viewer:
    """Who is asking, with the facts the rule needs about them."""

    role: Role
    person_id: uuid.UUID | None = None
    # A family member under 13 whose account no guardian has approved sees nothing.
    awaiting_guardian: bool = False
    # People for whom the viewer holds parental responsibility today.
    children: frozenset[uuid.UUID] = frozenset()

    @property
    def is_staff(self) -> bool:
        return self.role is not Role.FAMILY


def can_view_person(viewer: Viewer, subject: Person, today: dt.date) -> bool:
    """May `viewer` see `subject`'s record at all?"""
    if viewer.is_staff:
        return viewer.role in STAFF_WHO_SEE_RECORDS
    if viewer.person_id is None or viewer.awaiting_guardian:
        return False
    if subject.id == viewer.person_id:
        return True
    if subject.id not in viewer.children:
        return False
    age = age_on(subject.date_of_birth, today)
    if age < AGE_OF_DIGITAL_CONSENT:
        return True
    return age < ADULTHOOD and subject.shares_record_with_guardians


def can_view_item(viewer: Viewer, item: DataItem, today: dt.date) -> bool:
    """May `viewer` see this one item? Withheld and restricted-from items leave no trace."""
    if not can_view_person(viewer, item.person, today):
        return False
    if viewer.is_staff:
        return True
    if item.sensitivity is Sensitivity.WITHHELD:
        return False
    return viewer.person_id not in item.restricted_from


def items_hidden_from(viewer: Viewer, people: Collection[uuid.UUID]) -> ColumnElement[bool]:
    """`can_view_item` turned round, as SQL over `DataItem` rows, so that a long list can be
    filtered and paged in the database: true of the items `viewer` may not see, given `people`,
    those whose records `can_view_person` lets them see. The caller still asks `can_view_item`
    of every item it shows; tests/web/test_policy_in_sql.py keeps the two in step."""
    if viewer.is_staff:
        return false() if viewer.role in STAFF_WHO_SEE_RECORDS else true()
    return or_(
        DataItem.person_id.not_in(people),
        DataItem.sensitivity == Sensitivity.WITHHELD,
        DataItem.restrictions.any(Restriction.restricted_person_id == viewer.person_id),
    )


def can_request_copy_for(viewer: Viewer, subject: Person, today: dt.date) -> bool:
    """May `viewer` ask for a copy of `subject`'s data (Article 15)? Their own; or a child
    under 13 for whom they hold parental responsibility. From 13 the right is the young
    person's own: a parent who should act for them goes through the DPO team."""
    if viewer.is_staff or viewer.person_id is None or viewer.awaiting_guardian:
        return False
    if subject.id == viewer.person_id:
        return True
    return (
        subject.id in viewer.children
        and age_on(subject.date_of_birth, today) < AGE_OF_DIGITAL_CONSENT
    )


def needs_guardian_approval(date_of_birth: dt.date, approved: bool, today: dt.date) -> bool:
    """An under-13's account waits for a guardian; at 13 the wait ends by itself."""
    return not approved and age_on(date_of_birth, today) < AGE_OF_DIGITAL_CONSENT
