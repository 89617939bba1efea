"""Markers for the leak crawler (tests/web/test_no_leaks.py): every restricted, withheld,
staff-only and secret field overwritten with a unique string, each with who may read it.

Who may read what is stated here from DESIGN.md ("Who may see what"), independently of
portal/policy.py, so that a bug in the policy shows up as a leak rather than being copied.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import (
    Account,
    AccountToken,
    AuthSession,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    CopyItemTreatment,
    CopyRequest,
    CopyRequestEvent,
    CorrectionEvent,
    CorrectionRequest,
    DataItem,
    GuardianRequest,
    InvitationCode,
    RecoveryCode,
    Relationship,
    Restriction,
    SupplementaryStatement,
)
from portal.vocabulary import Role, Sensitivity


@dataclass(frozen=True)
class Persona:
    """Someone who reads pages or emails: an account, or a person without one."""

    key: str
    role: Role | None = None
    account_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    email: str | None = None
    # Family: the people they hold parental responsibility for today, and whether their own
    # account still waits for a guardian (an under-13 then sees nothing).
    children: frozenset[uuid.UUID] = frozenset()
    waiting_for_guardian: bool = False

    @property
    def is_officer(self) -> bool:
        return self.role is Role.DPO_OFFICER


@dataclass(frozen=True)
class Marker:
    text: str
    what: str
    may_read: Callable[[Persona], bool] = field(repr=False)
    # Secrets and personal data never reach a log line; every marker here is one of them.


def new_marker() -> str:
    return f"LEAK-{uuid.uuid4().hex}"


def persona_for(db: Session, account: Account | None, email: str | None = None) -> Persona:
    """The persona of an account (or of someone without one, known by an email address)."""
    if account is None:
        return Persona(key=email or "anonymous", email=email)
    today = london_today()
    links = db.scalars(select(Relationship).where(Relationship.person_id == account.person_id))
    children = frozenset(
        link.related_person_id
        for link in links
        if link.parental_responsibility
        and link.started_on <= today
        and (link.ended_on is None or link.ended_on > today)
    )
    person = account.person
    under_13 = person is not None and _age(person.date_of_birth, today) < 13
    return Persona(
        key=account.email,
        role=account.role,
        account_id=account.id,
        person_id=account.person_id,
        email=account.email,
        children=children,
        waiting_for_guardian=under_13 and account.guardian_approved_at is None,
    )


def _age(born: dt.date, today: dt.date) -> int:
    return relativedelta(today, born).years


def may_read_item(db: Session, item: DataItem) -> Callable[[Persona], bool]:
    """DESIGN.md: officers see every record; the administrator none. A family member sees their
    own record and, with parental responsibility today, a child under 13, or a young person
    of 13 to 17 who allowed it; never a withheld item or one restricted from them."""
    subject = item.person
    restricted_from = {r.restricted_person_id for r in item.restrictions}
    age = _age(subject.date_of_birth, london_today())
    child_allows = age < 13 or (age < 18 and subject.shares_record_with_guardians)

    def rule(persona: Persona) -> bool:
        if persona.role is not Role.FAMILY:
            return persona.is_officer
        if persona.waiting_for_guardian or item.sensitivity is Sensitivity.WITHHELD:
            return False
        if persona.person_id in restricted_from:
            return False
        return subject.id == persona.person_id or (subject.id in persona.children and child_allows)

    return rule


def officers_only(persona: Persona) -> bool:
    return persona.is_officer


def nobody(_persona: Persona) -> bool:
    return False


def officers_and(account_id: uuid.UUID | None, email: str | None = None) -> Callable:
    """Words between one family member (or someone without an account) and the DPO team."""

    def rule(persona: Persona) -> bool:
        if persona.is_officer:
            return True
        if account_id is not None:
            return persona.account_id == account_id
        return email is not None and persona.role is None and persona.email == email

    return rule


def seed_markers(db: Session) -> list[Marker]:
    """Overwrites every restricted, withheld and staff-only field with a marker; the caller
    commits. Secrets are read as they are (sign-in needs them) by `secret_markers`."""
    markers: list[Marker] = []

    def mark(row: object, column: str, what: str, may_read: Callable[[Persona], bool]) -> None:
        text = new_marker()
        setattr(row, column, text)
        markers.append(Marker(text, f"{what} {column}", may_read))

    for item in db.scalars(select(DataItem)):
        mark(item, "value", f"{item.kind.value} item", may_read_item(db, item))
    for restriction in db.scalars(select(Restriction)):
        mark(restriction, "reason", "restriction", officers_only)
    for statement in db.scalars(select(SupplementaryStatement)):
        item = db.get(DataItem, statement.item_id) if statement.item_id else None
        mark(statement, "text", "statement", may_read_item(db, item) if item else officers_only)
    _mark_requests(db, mark)
    for treatment in db.scalars(select(CopyItemTreatment)):
        mark(treatment, "note", "exemption", officers_only)
    for request in db.scalars(select(GuardianRequest).where(GuardianRequest.reason.is_not(None))):
        mark(request, "reason", "guardian decision", officers_only)
    return markers


def _mark_requests(db: Session, mark: Callable) -> None:
    """Complaints, corrections and copy requests: the requester's and the team's words are
    theirs alone; internal notes are the team's."""
    for complaint in db.scalars(select(Complaint)):
        party = officers_and(complaint.complainant_account_id, complaint.complainant_email)
        for column in ("what_happened", "desired_outcome"):
            mark(complaint, column, f"complaint {complaint.reference}", party)
        for event in _events(db, ComplaintEvent, ComplaintEvent.complaint_id, complaint.id):
            shown = party if event.visible_to_complainant else officers_only
            mark(event, "note", f"complaint {complaint.reference} {event.action}", shown)
        for message in db.scalars(select(ComplaintMessage).filter_by(complaint_id=complaint.id)):
            mark(message, "text", f"complaint {complaint.reference} message", party)
    for correction in db.scalars(select(CorrectionRequest)):
        party = officers_and(correction.requested_by_account_id)
        for column in ("what_is_wrong", "should_say", "why"):
            mark(correction, column, f"correction {correction.reference}", party)
        for event in _events(db, CorrectionEvent, CorrectionEvent.request_id, correction.id):
            shown = party if event.visible_to_family else officers_only
            mark(event, "note", f"correction {correction.reference} {event.action}", shown)
    for copy in db.scalars(select(CopyRequest)):
        party = officers_and(copy.requester_account_id)
        for event in _events(db, CopyRequestEvent, CopyRequestEvent.copy_request_id, copy.id):
            shown = party if event.visible_to_requester else officers_only
            mark(event, "note", f"copy {copy.reference} {event.action}", shown)


def _events(db: Session, model: type, column: object, parent_id: uuid.UUID) -> Iterable:
    return db.scalars(select(model).where(column == parent_id, model.note.is_not(None)))


def secret_markers(db: Session) -> list[Marker]:
    """Secrets as stored, read at the end of the crawl: no page, file, email or log shows
    them to anyone."""
    found = [
        *(("password hash", v) for v in db.scalars(select(Account.password_hash))),
        *(("recovery code hash", v) for v in db.scalars(select(RecoveryCode.code_hash))),
        *(("invitation code hash", v) for v in db.scalars(select(InvitationCode.code_hash))),
        *(("token hash", v) for v in db.scalars(select(AccountToken.token_hash))),
        *(("session token hash", v) for v in db.scalars(select(AuthSession.token_hash))),
        *(("complaint link hash", v) for v in db.scalars(select(Complaint.access_token_hash))),
    ]
    return [Marker(value, what, nobody) for what, value in found if value] + [
        Marker(account.totp_secret, "two-step secret", _setting_up(account))
        for account in db.scalars(select(Account).where(Account.totp_secret.is_not(None)))
    ]


def _setting_up(account: Account) -> Callable[[Persona], bool]:
    """A two-step key is shown once, to its own account, while they add it to their app."""

    def rule(persona: Persona) -> bool:
        return account.totp_enabled_at is None and persona.account_id == account.id

    return rule
