"""Settings a family member changes for themself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from portal.ages import ADULTHOOD, AGE_OF_DIGITAL_CONSENT, age_on, london_today
from portal.models import Account
from portal.services.audit import record_event


def may_choose_sharing(account: Account, today: dt.date) -> bool:
    """Only 13-to-17-year-olds decide whether their parents may see their record."""
    if account.person is None:
        return False
    return AGE_OF_DIGITAL_CONSENT <= age_on(account.person.date_of_birth, today) < ADULTHOOD


def sharing_choice(account: Account, today: dt.date) -> bool | None:
    """The young person's current choice, or None where the choice is not theirs to make."""
    if not may_choose_sharing(account, today) or account.person is None:
        return None
    return account.person.shares_record_with_guardians


def set_sharing_with_guardians(
    db: Session, account: Account, share: bool, now: dt.datetime, session_ref: str | None
) -> bool:
    """A young person allows or stops their parents seeing their record; takes effect at once.
    False (nothing changed) for anyone not aged 13 to 17."""
    if not may_choose_sharing(account, london_today(now)) or account.person is None:
        return False
    account.person.shares_record_with_guardians = share
    record_event(
        db,
        actor=account,
        action="account.sharing_with_guardians_changed",
        subject_person_id=account.person_id,
        session_ref=session_ref,
        detail={"shares": "yes" if share else "no"},
    )
    db.commit()
    return True
