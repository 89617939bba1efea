"""GOV.UK One Login as a family's alternative to their password (DESIGN.md "Identity").

An identity is the pair (issuer, subject). It opens an account only once it has been linked,
and linking needs what creating an account needs: the invitation code from the Early Help
worker and the person's date of birth. One Login's email address is never a link by itself.
Only family accounts are linked, each to one identity.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import Account, InvitationCode, NotificationKind
from portal.policy import needs_guardian_approval
from portal.services.accounts import normalise_email
from portal.services.audit import record_event
from portal.services.guardian_approval import open_request
from portal.services.notifications import enqueue
from portal.services.registration import match_invitation, send_confirmation
from portal.vocabulary import Role


@dataclass(frozen=True)
class OneLoginIdentity:
    """What One Login vouched for: the subject, and the email address it holds for them."""

    issuer: str
    subject: str
    email: str
    email_verified: bool


@dataclass(frozen=True)
class LinkRequest:
    """What the person typed to prove who they are, and the page's language."""

    invitation_code: str
    date_of_birth: dt.date
    language: str


class Refusal(StrEnum):
    STAFF_ACCOUNT = "staff_account"
    ACCOUNT_LINKED_ELSEWHERE = "account_linked_elsewhere"
    IDENTITY_LINKED_ELSEWHERE = "identity_linked_elsewhere"
    EMAIL_IN_USE = "email_in_use"


class OneLoginRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def linked_account(db: Session, identity: OneLoginIdentity) -> Account | None:
    """The family account this identity opens, or None if it is not linked yet. A staff
    account holding it is refused (and recorded): staff sign in through the council."""
    account = _holder(db, identity)
    if account is not None and account.role is not Role.FAMILY:
        _refuse(db, identity, Refusal.STAFF_ACCOUNT, account)
    return account


def link_with_invitation(
    db: Session,
    identity: OneLoginIdentity,
    typed: LinkRequest,
    now: dt.datetime,
    secret: str,
    public_url: str,
) -> Account | None:
    """Anyone holding a One Login identity not yet linked: links it to the account of the
    invitation code's person, creating that account if there is none. None for any mismatch,
    the same answer as /create-account gives; OneLoginRefused when the link would take over
    another identity's account or another account's email address."""
    invitation = match_invitation(db, typed.invitation_code, typed.date_of_birth, now, secret)
    if invitation is None:
        return None
    account = db.scalar(select(Account).where(Account.person_id == invitation.person_id))
    _check_link(db, identity, invitation, account)
    if account is None:
        account = _new_account(db, identity, invitation, typed.language, now, public_url)
    else:
        # A new way into an existing account: its owner hears of it at the address they had,
        # so a link made by someone else (account takeover) does not go unnoticed.
        enqueue(
            db,
            NotificationKind.ONE_LOGIN_LINKED,
            account.email,
            account.language,
            link=f"{public_url}/sign-in",
        )
    account.oidc_issuer, account.oidc_subject = identity.issuer, identity.subject
    invitation.spent_at = now
    record_event(
        db,
        actor=account,
        action="account.linked_one_login",
        subject_person_id=account.person_id,
        detail={"issuer": identity.issuer},
    )
    db.commit()
    return account


def record_sign_in(db: Session, account: Account, issuer: str, session_ref: str | None) -> None:
    """Notes that One Login vouched for a sign-in whose session has just started."""
    record_event(
        db,
        actor=account,
        action="account.signed_in_with_one_login",
        subject_person_id=account.person_id,
        session_ref=session_ref,
        detail={"issuer": issuer},
    )
    db.commit()


def _holder(db: Session, identity: OneLoginIdentity) -> Account | None:
    return db.scalar(
        select(Account).where(
            Account.oidc_issuer == identity.issuer, Account.oidc_subject == identity.subject
        )
    )


def _check_link(
    db: Session, identity: OneLoginIdentity, invitation: InvitationCode, account: Account | None
) -> None:
    """One identity per account, one account per identity, and no other account's email."""
    refusal = None
    if account is not None and account.oidc_subject is not None:
        refusal = Refusal.ACCOUNT_LINKED_ELSEWHERE
    elif _holder(db, identity) is not None:
        refusal = Refusal.IDENTITY_LINKED_ELSEWHERE
    else:
        email = normalise_email(identity.email)
        holder = db.scalar(select(Account.id).where(Account.email == email))
        if holder is not None and (account is None or holder != account.id):
            refusal = Refusal.EMAIL_IN_USE
    if refusal is not None:
        _refuse(db, identity, refusal, account, invitation.person_id)


def _new_account(
    db: Session,
    identity: OneLoginIdentity,
    invitation: InvitationCode,
    language: str,
    now: dt.datetime,
    public_url: str,
) -> Account:
    """As registration.create_account, with One Login's email and no password. An address
    One Login has not verified is confirmed by the usual link."""
    account = Account(
        email=normalise_email(identity.email),
        password_hash=None,
        role=Role.FAMILY,
        person_id=invitation.person_id,
        language=language,
        created_at=now,
        email_confirmed_at=now if identity.email_verified else None,
    )
    db.add(account)
    db.flush()
    if not identity.email_verified:
        send_confirmation(db, account, now, public_url)
    if needs_guardian_approval(invitation.person.date_of_birth, False, london_today(now)):
        open_request(db, account, now, public_url)
    record_event(
        db,
        actor=account,
        action="account.created",
        subject_person_id=account.person_id,
        detail={"with": "one_login"},
    )
    return account


def _refuse(
    db: Session,
    identity: OneLoginIdentity,
    reason: Refusal,
    account: Account | None,
    person_id: uuid.UUID | None = None,
) -> None:
    """Records the refusal for staff (the person's page names no other account) and raises."""
    record_event(
        db,
        actor=account,
        action="account.one_login_refused",
        subject_person_id=person_id or (account.person_id if account is not None else None),
        detail={"issuer": identity.issuer, "subject": identity.subject, "reason": reason.value},
    )
    db.commit()
    raise OneLoginRefused(reason)
