"""A person's name and date of birth: the record's core identity, corrected only by a DPO
officer accepting a request, with before and after kept (never overwritten without trace).

Callers: portal/services/correction_decisions.py. A corrected date of birth takes effect
at once everywhere, the age check included: the policy reads the person's current date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import (
    Account,
    CorrectionRequest,
    GuardianRequest,
    GuardianRequestStatus,
    Person,
    PersonChange,
    SharingEvent,
)
from portal.policy import needs_guardian_approval
from portal.services.guardian_approval import open_request
from portal.vocabulary import PersonField


@dataclass(frozen=True)
class CorrectedName:
    given_name: str
    family_name: str


Corrected = CorrectedName | dt.date


def as_text(person: Person, field: PersonField) -> str:
    """The field's current value as history keeps it."""
    if field is PersonField.NAME:
        return f"{person.given_name} | {person.family_name}"
    return person.date_of_birth.isoformat()


def fits(field: PersonField, corrected: Corrected | None) -> bool:
    """A name for the name, a date for the date of birth."""
    if field is PersonField.NAME:
        return isinstance(corrected, CorrectedName)
    return isinstance(corrected, dt.date)


def apply_correction(
    db: Session,
    request: CorrectionRequest,
    corrected: Corrected,
    staff: Account,
    now: dt.datetime,
) -> PersonChange:
    """Changes the person's name or date of birth as the request asked, recording before and
    after. The caller has checked `fits` and commits."""
    person, field = request.person, request.person_field
    if field is None:
        raise ValueError("Only a request about a name or date of birth changes the person.")
    before = as_text(person, field)
    if isinstance(corrected, CorrectedName):
        person.given_name, person.family_name = corrected.given_name, corrected.family_name
    else:
        person.date_of_birth = corrected
    change = PersonChange(
        person_id=person.id,
        field=field,
        before=before,
        after=as_text(person, field),
        changed_at=now,
        changed_by_account_id=staff.id,
        correction_request_id=request.id,
    )
    db.add(change)
    return change


def ask_guardians_if_now_under_13(
    db: Session, person: Person, now: dt.datetime, public_url: str
) -> list[GuardianRequest]:
    """A corrected date of birth can make an account holder under 13: their account then waits
    for a guardian (the policy reads the date at once), so the guardians are asked, as at
    registration, unless a request is already open. The caller commits."""
    today = london_today(now)
    accounts = db.scalars(
        select(Account).where(
            Account.person_id == person.id, Account.guardian_approved_at.is_(None)
        )
    )
    opened = []
    for account in accounts:
        if needs_guardian_approval(person.date_of_birth, False, today) and not _asked(db, account):
            opened.append(open_request(db, account, now, public_url))
    return opened


def _asked(db: Session, account: Account) -> bool:
    waiting = (GuardianRequestStatus.WAITING, GuardianRequestStatus.WITH_STAFF)
    return (
        db.scalar(
            select(GuardianRequest.id).where(
                GuardianRequest.child_account_id == account.id,
                GuardianRequest.status.in_(waiting),
            )
        )
        is not None
    )


def changes_made_by(db: Session, request: CorrectionRequest) -> list[PersonChange]:
    """What accepting the request changed, for the officer's history."""
    return list(
        db.scalars(
            select(PersonChange)
            .where(PersonChange.correction_request_id == request.id)
            .order_by(PersonChange.id)
        )
    )


def shares_about(db: Session, request: CorrectionRequest) -> list[SharingEvent]:
    """Every sharing event about the person: a name and date of birth go with everything
    shared about someone, so every recipient is told of a correction to them (Article 19)."""
    return list(
        db.scalars(
            select(SharingEvent)
            .where(SharingEvent.person_id == request.person_id)
            .order_by(SharingEvent.shared_on, SharingEvent.id)
        )
    )
