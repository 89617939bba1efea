"""Staff identities asserted by the council's OpenID Connect provider.

The provider decides who is staff: its group claim gives the role at every sign-in, so a
group removed there takes effect at the next sign-in. An identity is the pair (issuer,
subject); it is never matched by email alone and never linked to a family account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Account
from portal.services.accounts import normalise_email
from portal.services.audit import record_event
from portal.services.sessions import end_all_sessions
from portal.vocabulary import Role

MAX_EMAIL = 320
MAX_NAME = 200


@dataclass(frozen=True)
class StaffClaims:
    """What the provider said about the person signing in, from the ID token and userinfo."""

    issuer: str
    subject: str
    email: str | None
    name: str | None
    groups: tuple[str, ...]
    amr: tuple[str, ...]
    acr: str | None


@dataclass(frozen=True)
class ProviderRules:
    """How the council's claims map to the portal: groups in order of precedence."""

    group_roles: Mapping[str, Role]
    mfa_amr: frozenset[str]
    mfa_acr: frozenset[str]


class Refusal(StrEnum):
    NO_ROLE = "no_role"
    NO_SECOND_FACTOR = "no_second_factor"
    NO_EMAIL = "no_email"
    ALREADY_USED = "already_used"


class StaffSignInRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def role_for(groups: Iterable[str], rules: ProviderRules) -> Role | None:
    """The role of the first configured group the person is in, or None."""
    present = set(groups)
    return next((role for group, role in rules.group_roles.items() if group in present), None)


def second_factor_shown(claims: StaffClaims, rules: ProviderRules) -> bool:
    """Any configured amr value, or a configured acr, counts as a second factor."""
    return bool(rules.mfa_amr.intersection(claims.amr)) or claims.acr in rules.mfa_acr


def staff_account_for(
    db: Session, claims: StaffClaims, rules: ProviderRules, now: dt.datetime
) -> Account:
    """The staff account for this identity, created or brought up to date from the claims;
    raises StaffSignInRefused (after recording why) if the person may not sign in."""
    account = _linked_account(db, claims)
    try:
        role = _allowed_role(claims, rules, account)
        email = _usable_email(db, claims, account)
    except StaffSignInRefused as refusal:
        _refuse(db, claims, account, refusal.reason, now)
        raise
    if account is None:
        account = _new_account(db, claims, role, email)
    _update(db, account, role, email, claims.name)
    db.commit()
    return account


def record_sign_in(db: Session, account: Account, issuer: str, session_ref: str | None) -> None:
    """Notes which provider vouched for a sign-in whose session has just started."""
    record_event(
        db,
        actor=account,
        action="account.signed_in_with_provider",
        session_ref=session_ref,
        detail={"issuer": issuer, "role": account.role.value},
    )
    db.commit()


def _linked_account(db: Session, claims: StaffClaims) -> Account | None:
    return db.scalar(
        select(Account).where(
            Account.oidc_issuer == claims.issuer, Account.oidc_subject == claims.subject
        )
    )


def _allowed_role(claims: StaffClaims, rules: ProviderRules, account: Account | None) -> Role:
    if account is not None and account.role is Role.FAMILY:
        raise StaffSignInRefused(Refusal.ALREADY_USED)
    role = role_for(claims.groups, rules)
    if role is None:
        raise StaffSignInRefused(Refusal.NO_ROLE)
    if not second_factor_shown(claims, rules):
        raise StaffSignInRefused(Refusal.NO_SECOND_FACTOR)
    return role


def _usable_email(db: Session, claims: StaffClaims, account: Account | None) -> str:
    """The provider's email, if no other account has it: an address is never a link."""
    email = normalise_email(claims.email or "")
    if not email or len(email) > MAX_EMAIL:
        raise StaffSignInRefused(Refusal.NO_EMAIL)
    holder = db.scalar(select(Account.id).where(Account.email == email))
    if holder is not None and (account is None or holder != account.id):
        raise StaffSignInRefused(Refusal.ALREADY_USED)
    return email


def _new_account(db: Session, claims: StaffClaims, role: Role, email: str) -> Account:
    account = Account(
        email=email,
        password_hash=None,
        role=role,
        person_id=None,
        oidc_issuer=claims.issuer,
        oidc_subject=claims.subject,
    )
    db.add(account)
    db.flush()
    record_event(
        db,
        actor=account,
        action="account.created_from_provider",
        detail={"issuer": claims.issuer, "role": role.value},
    )
    return account


def _update(db: Session, account: Account, role: Role, email: str, name: str | None) -> None:
    if account.role is not role:
        record_event(
            db,
            actor=account,
            action="account.role_changed_by_provider",
            detail={"from": account.role.value, "to": role.value},
        )
        account.role = role
    account.email = email
    account.display_name = (name or "").strip()[:MAX_NAME] or None


def _refuse(
    db: Session, claims: StaffClaims, account: Account | None, reason: Refusal, now: dt.datetime
) -> None:
    """Records the refusal. Staff whose provider no longer gives them a role are signed out
    everywhere at once, not when their sessions happen to end."""
    if account is not None and reason is Refusal.NO_ROLE:
        end_all_sessions(db, account.id, now, "role_removed_by_provider")
    record_event(
        db,
        actor=account,
        action="account.provider_sign_in_refused",
        detail={"issuer": claims.issuer, "subject": claims.subject, "reason": reason.value},
    )
    db.commit()
