"""Invitation codes: staff give one to a family member to tie their new account to their record."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import Account, InvitationCode, Person
from portal.services.audit import record_event
from portal.tokens import keyed_hash

LIFETIME = dt.timedelta(days=30)
# Crockford's base 32: no I, L, O or U, so nothing is misread when typed from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
_MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_code(typed: str) -> str | None:
    """The code as issued, whatever its case, spaces or hyphens; None if it cannot be one."""
    compact = re.sub(r"[\s-]", "", typed).upper().translate(_MISREAD)
    if len(compact) != LENGTH or any(character not in ALPHABET for character in compact):
        return None
    return compact


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, LENGTH, 4))


def code_hash(code: str, secret: str) -> str:
    return keyed_hash(code, secret, "invitation-code")


def issue_code(
    db: Session,
    *,
    staff: Account,
    person: Person,
    now: dt.datetime,
    secret: str,
    session_ref: str | None,
) -> str:
    """DPO staff: a new code for `person` (older unused codes stop working). Shown once."""
    revoke_codes(db, person_id=person.id, now=now, because="replaced")
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    db.add(
        InvitationCode(
            code_hash=code_hash(code, secret),
            person_id=person.id,
            issued_by_account_id=staff.id,
            issued_at=now,
            expires_at=now + LIFETIME,
        )
    )
    record_event(
        db,
        actor=staff,
        action="invitation.issued",
        subject_person_id=person.id,
        session_ref=session_ref,
    )
    db.commit()
    return format_code(code)


def revoke_codes(db: Session, *, person_id: uuid.UUID, now: dt.datetime, because: str) -> None:
    db.execute(
        update(InvitationCode)
        .where(
            InvitationCode.person_id == person_id,
            InvitationCode.spent_at.is_(None),
            InvitationCode.revoked_at.is_(None),
        )
        .values(revoked_at=now, revoked_because=because)
        .execution_options(synchronize_session=False)
    )


def codes_for(db: Session, person_id: uuid.UUID) -> list[InvitationCode]:
    return list(
        db.scalars(
            select(InvitationCode)
            .where(InvitationCode.person_id == person_id)
            .order_by(InvitationCode.issued_at.desc())
        )
    )


def find_code(db: Session, typed: str, secret: str) -> InvitationCode | None:
    code = normalise_code(typed)
    if code is None:
        return None
    return db.scalar(
        select(InvitationCode).where(InvitationCode.code_hash == code_hash(code, secret))
    )


def withdraw_codes(
    db: Session, *, staff: Account, person: Person, now: dt.datetime, session_ref: str | None
) -> None:
    """DPO staff: every unused code for `person` stops working at once."""
    revoke_codes(db, person_id=person.id, now=now, because="revoked_by_staff")
    record_event(
        db,
        actor=staff,
        action="invitation.revoked",
        subject_person_id=person.id,
        session_ref=session_ref,
    )
    db.commit()
