"""Retention of Early Help case data (DESIGN.md "Retention"): a household's case data is
kept until the youngest child in it turns `case_age` (25), on the Europe/London date, a
29 February birthday falling on 1 March (portal/ages.py).

- A child of the household is a member (current or former) whom someone holds as a child:
  the related person in a parent, step-parent or guardian relationship.
- A household with no child recorded (an expectant parent, a young adult): kept until its
  youngest member turns `case_age` and, as well, until `no_child_inactive_years` (6) after
  the last case activity (a member joining or leaving, an assessment started or completed,
  an item obtained, a sharing event), so that a live adult-only case is never cut short.
- Held back: while a correction request, copy request or complaint by or about one of its
  people is still open (erasing data a request is about would defeat it; DPA 2018 s173).

Disposal, each household in one transaction: the people who belonged to no other household
are deleted with their case data (`retention_people`) and their accounts closed; their
closed requests are tombstoned and their complaints anonymised; the household's
memberships and assessments go. Someone who also belongs to another household keeps their
record there; only their membership of this one goes. A tombstone with a random id, the
rule, the day it fell due and counts stays; no reference, name or date of birth.

Caller: `flask --app portal retention [--dry-run]`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlalchemy import case, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from portal.ages import london_today
from portal.models import (
    Account,
    Assessment,
    Complaint,
    CopyRequest,
    CorrectionRequest,
    DataItem,
    Household,
    HouseholdMembership,
    Person,
    Relationship,
    SharingEvent,
)
from portal.models.retention import RetentionRule, TombstoneKind
from portal.services import retention_people as people_data
from portal.services.retention import (
    Disposal,
    Schedule,
    add_tombstone,
    anniversary,
    anonymise_complaint,
    record_disposal,
    unlink_all,
)
from portal.services.retention_requests import (
    COPY,
    CORRECTION,
    remove_copy_requests,
    remove_correction_requests,
)
from portal.vocabulary import CopyStatus, CorrectionStatus, RelationshipKind

IDs = list[uuid.UUID]
PARENTAL = (RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.GUARDIAN)
HOUSEHOLD = "household"


@dataclass(frozen=True)
class Due:
    household_id: uuid.UUID
    reference: str
    rule: RetentionRule
    due_on: dt.date


def dispose_households(
    db: Session, now: dt.datetime, schedule: Schedule, *, dry_run: bool = False
) -> list[Disposal]:
    """Disposes of (or, in a dry run, lists) every household whose retention has ended and
    that nothing holds back."""
    done: list[Disposal] = []
    for due in due_households(db, london_today(now), schedule):
        people, accounts = _people_and_accounts(db, due.household_id)
        if _held(db, people, accounts):
            continue
        if dry_run:
            done.append(Disposal(HOUSEHOLD, due.reference, due.rule, due.due_on))
        else:
            done.append(_dispose(db, due, people, accounts, now, schedule))
    return done


def due_households(db: Session, today: dt.date, schedule: Schedule) -> list[Due]:
    """Households past their retention, by the rule that applies to each."""
    is_child = exists().where(
        Relationship.related_person_id == Person.id, Relationship.kind.in_(PARENTAL)
    )
    youngest_child = func.max(case((is_child, Person.date_of_birth)))
    youngest = func.max(Person.date_of_birth)
    rows = db.execute(
        select(Household.id, Household.reference, youngest_child, youngest)
        .join(HouseholdMembership, HouseholdMembership.household_id == Household.id)
        .join(Person, Person.id == HouseholdMembership.person_id)
        .group_by(Household.id, Household.reference)
        .having(
            func.coalesce(youngest_child, youngest)
            <= today - relativedelta(years=schedule.case_age)
        )
        .order_by(Household.reference)
    ).all()
    found = []
    for household_id, reference, child_born, member_born in rows:
        if child_born is not None:
            fell_due = anniversary(child_born, schedule.case_age)
            found.append(Due(household_id, reference, RetentionRule.YOUNGEST_CHILD_AGE, fell_due))
            continue
        inactive = anniversary(_last_activity(db, household_id), schedule.no_child_inactive_years)
        fell_due = max(anniversary(member_born, schedule.case_age), inactive)
        if fell_due <= today:
            found.append(Due(household_id, reference, RetentionRule.NO_CHILD_INACTIVE, fell_due))
    return found


def _last_activity(db: Session, household_id: uuid.UUID) -> dt.date:
    members = select(HouseholdMembership.person_id).where(
        HouseholdMembership.household_id == household_id
    )
    of_household = HouseholdMembership.household_id == household_id
    dates = [
        select(func.max(HouseholdMembership.started_on)).where(of_household),
        select(func.max(HouseholdMembership.ended_on)).where(of_household),
        select(func.max(Assessment.started_on)).where(Assessment.household_id == household_id),
        select(func.max(Assessment.completed_on)).where(Assessment.household_id == household_id),
        select(func.max(DataItem.obtained_on)).where(DataItem.person_id.in_(members)),
        select(func.max(SharingEvent.shared_on)).where(SharingEvent.person_id.in_(members)),
        select(func.max(Person.recorded_on)).where(Person.id.in_(members)),
    ]
    return max(day for query in dates if (day := db.scalar(query)) is not None)


def _people_and_accounts(db: Session, household_id: uuid.UUID) -> tuple[IDs, IDs]:
    """The members who belong to no other household, and their accounts."""
    elsewhere = exists().where(
        HouseholdMembership.person_id == Person.id, HouseholdMembership.household_id != household_id
    )
    members = select(HouseholdMembership.person_id).where(
        HouseholdMembership.household_id == household_id
    )
    people = list(db.scalars(select(Person.id).where(Person.id.in_(members), ~elsewhere)))
    accounts = list(db.scalars(select(Account.id).where(Account.person_id.in_(people))))
    return people, accounts


def _held(db: Session, people: IDs, accounts: IDs) -> bool:
    """An open request or complaint by or about one of them holds the household back."""
    open_corrections = select(CorrectionRequest.id).where(
        _corrections_of(people, accounts),
        CorrectionRequest.status.in_([CorrectionStatus.RECEIVED, CorrectionStatus.IN_REVIEW]),
    )
    open_copies = select(CopyRequest.id).where(
        _copies_of(people, accounts),
        CopyRequest.status.not_in([CopyStatus.RELEASED, CopyStatus.REFUSED]),
    )
    open_complaints = select(Complaint.id).where(
        _complaints_of(people, accounts), Complaint.closed_at.is_(None)
    )
    return any(
        db.scalar(query.limit(1)) is not None
        for query in (open_corrections, open_copies, open_complaints)
    )


def _corrections_of(people: IDs, accounts: IDs) -> ColumnElement[bool]:
    return or_(
        CorrectionRequest.person_id.in_(people),
        CorrectionRequest.requested_by_account_id.in_(accounts),
        CorrectionRequest.item_id.in_(select(DataItem.id).where(DataItem.person_id.in_(people))),
    )


def _copies_of(people: IDs, accounts: IDs) -> ColumnElement[bool]:
    return or_(
        CopyRequest.subject_person_id.in_(people), CopyRequest.requester_account_id.in_(accounts)
    )


def _complaints_of(people: IDs, accounts: IDs) -> ColumnElement[bool]:
    return or_(
        Complaint.about_person_id.in_(people),
        Complaint.complainant_account_id.in_(accounts),
    ) & Complaint.anonymised_at.is_(None)


def _dispose(
    db: Session, due: Due, people: IDs, accounts: IDs, now: dt.datetime, schedule: Schedule
) -> Disposal:
    """One household, in one transaction; files go after the commit."""
    disposal = Disposal(HOUSEHOLD, due.reference, due.rule, due.due_on)
    addresses = people_data.contact_addresses(db, people, accounts)
    follow_on = Disposal(HOUSEHOLD, "", RetentionRule.WITH_HOUSEHOLD, due.due_on)
    counts, files = _dispose_requests(db, people, accounts, follow_on, now, schedule)
    counts |= people_data.delete_case_data(db, people)
    people_data.forget_messages(db, addresses)
    people_data.close_accounts(db, accounts, now)
    counts |= _delete_household(db, due.household_id, people)
    counts |= {"people": len(people), "accounts": len(accounts)}
    add_tombstone(db, TombstoneKind.HOUSEHOLD, disposal, now, counts=counts)
    db.commit()
    unlink_all(files)
    return disposal


def _dispose_requests(
    db: Session,
    people: IDs,
    accounts: IDs,
    follow_on: Disposal,
    now: dt.datetime,
    schedule: Schedule,
) -> tuple[dict[str, int], list[Path]]:
    """Their closed requests are tombstoned and their complaints anonymised now, under the
    household's rule (`follow_on`): what they were about is going."""
    corrections = db.scalars(
        select(CorrectionRequest).where(_corrections_of(people, accounts))
    ).all()
    copies = db.scalars(select(CopyRequest).where(_copies_of(people, accounts))).all()
    complaints = db.scalars(select(Complaint).where(_complaints_of(people, accounts))).all()
    files = remove_correction_requests(
        db, corrections, _as(follow_on, CORRECTION, corrections), now, schedule.attachments_dir
    )
    files += remove_copy_requests(
        db, copies, _as(follow_on, COPY, copies), now, schedule.copies_dir
    )
    for complaint, disposal in zip(
        complaints, _as(follow_on, "complaint", complaints), strict=True
    ):
        files += anonymise_complaint(db, complaint, now, schedule.attachments_dir)
        record_disposal(db, disposal)
    counts = {
        "correction_requests": len(corrections),
        "copy_requests": len(copies),
        "complaints": len(complaints),
    }
    return counts, files


def _as(
    follow_on: Disposal, kind: str, records: Sequence[CorrectionRequest | CopyRequest | Complaint]
) -> list[Disposal]:
    return [replace(follow_on, kind=kind, label=record.reference) for record in records]


def _delete_household(db: Session, household_id: uuid.UUID, people: IDs) -> dict[str, int]:
    assessments = list(
        db.scalars(select(Assessment.id).where(Assessment.household_id == household_id))
    )
    # Someone who also lives elsewhere keeps their items, no longer tied to this assessment.
    db.execute(
        update(DataItem).where(DataItem.assessment_id.in_(assessments)).values(assessment_id=None)
    )
    db.execute(delete(Assessment).where(Assessment.id.in_(assessments)))
    db.execute(delete(HouseholdMembership).where(HouseholdMembership.household_id == household_id))
    db.execute(delete(Person).where(Person.id.in_(people)))
    db.execute(delete(Household).where(Household.id == household_id))
    return {"assessments": len(assessments)}
