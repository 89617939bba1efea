"""Creating a family account with an invitation code, and confirming its email address."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import Account, InvitationCode, NotificationKind, TokenPurpose
from portal.passwords import hash_password
from portal.policy import needs_guardian_approval
from portal.services import account_tokens
from portal.services.accounts import normalise_email
from portal.services.audit import record_event
from portal.services.guardian_approval import open_request
from portal.services.invitations import find_code
from portal.services.notifications import enqueue
from portal.vocabulary import Role


@dataclass(frozen=True)
class Registration:
    invitation_code: str
    date_of_birth: dt.date
    email: str
    password: str
    language: str


def create_account(
    db: Session, form: Registration, now: dt.datetime, secret: str, public_url: str
) -> Account | None:
    """Anyone: a new account tied to the code's person, or None for any mismatch.

    The answer and the time are the same whether the code, the date of birth, the email or an
    existing account was the problem. A right code with the wrong date of birth stops the code
    working: the person asks their Early Help worker rather than trying other dates.
    """
    password_hash = hash_password(form.password)  # always, so every answer costs the same
    invitation = match_invitation(db, form.invitation_code, form.date_of_birth, now, secret)
    if invitation is None:
        return None
    email = normalise_email(form.email)
    taken = db.scalar(
        select(Account.id).where(
            (Account.email == email) | (Account.person_id == invitation.person_id)
        )
    )
    if taken is not None:
        return None
    account = Account(
        email=email,
        password_hash=password_hash,
        role=Role.FAMILY,
        person_id=invitation.person_id,
        language=form.language,
        created_at=now,
        password_changed_at=now,
    )
    db.add(account)
    invitation.spent_at = now
    db.flush()
    send_confirmation(db, account, now, public_url)
    if needs_guardian_approval(invitation.person.date_of_birth, False, london_today(now)):
        open_request(db, account, now, public_url)
    record_event(db, actor=account, action="account.created", subject_person_id=account.person_id)
    db.commit()
    return account


def match_invitation(
    db: Session, typed_code: str, date_of_birth: dt.date, now: dt.datetime, secret: str
) -> InvitationCode | None:
    """The usable code whose person has this date of birth, or None. A right code with the
    wrong date of birth stops working at once (recorded for staff): no guessing dates."""
    invitation = find_code(db, typed_code, secret)
    if invitation is None or not invitation.is_usable(now):
        return None
    if invitation.person.date_of_birth != date_of_birth:
        invitation.revoked_at = now
        invitation.revoked_because = "date_of_birth_mismatch"
        record_event(
            db,
            actor=None,
            action="invitation.date_of_birth_mismatch",
            subject_person_id=invitation.person_id,
        )
        db.commit()
        return None
    return invitation


def send_confirmation(db: Session, account: Account, now: dt.datetime, public_url: str) -> None:
    """A new confirmation link (older ones stop working); the caller commits."""
    account_tokens.spend_all(db, TokenPurpose.CONFIRM_EMAIL, account.id, now)
    token = account_tokens.issue_token(db, TokenPurpose.CONFIRM_EMAIL, account, now)
    enqueue(
        db,
        NotificationKind.CONFIRM_EMAIL,
        account.email,
        account.language,
        link=f"{public_url}/confirm-email/{token}",
    )


def confirm_email(db: Session, token: str, now: dt.datetime) -> Account | None:
    """Anyone holding the link: marks the email confirmed; None for a used or expired link."""
    found = account_tokens.find_token(db, TokenPurpose.CONFIRM_EMAIL, token, now)
    if found is None or not account_tokens.spend(db, found, now):
        return None
    found.account.email_confirmed_at = now
    record_event(
        db,
        actor=found.account,
        action="account.email_confirmed",
        subject_person_id=found.account.person_id,
    )
    db.commit()
    return found.account


def resend_confirmation(db: Session, account: Account, now: dt.datetime, public_url: str) -> None:
    """The right password on an unconfirmed account: a new link rather than a session."""
    send_confirmation(db, account, now, public_url)
    db.commit()
