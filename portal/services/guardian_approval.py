"""The age check: an under-13's account waits until a guardian with parental responsibility,
and no restriction against them, approves it while signed in (DESIGN.md "Age check")."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, SQLColumnExpression, func, select
from sqlalchemy.orm import Session, contains_eager

from portal.ages import london_today
from portal.models import (
    Account,
    AccountToken,
    DataItem,
    GuardianRequest,
    GuardianRequestStatus,
    NotificationKind,
    Relationship,
    Restriction,
    TokenPurpose,
)
from portal.policy import needs_guardian_approval
from portal.services import account_tokens
from portal.services.audit import record_event
from portal.services.notifications import enqueue

LIFETIME = dt.timedelta(days=7)
OPEN = (GuardianRequestStatus.WAITING, GuardianRequestStatus.WITH_STAFF)
# A person's id, or a column holding one.
PersonId = uuid.UUID | SQLColumnExpression[Any]


def eligible_guardians(db: Session, child: Account, today: dt.date) -> list[Account]:
    """Accounts of adults with parental responsibility for the child today and no restriction
    against them anywhere in the child's record. Anyone else is never contacted."""
    if child.person_id is None:
        return []
    accounts = db.scalars(
        select(Account).where(
            Account.email_confirmed_at.is_not(None),
            _may_decide(Account.person_id, child.person_id, today),
        )
    )
    return sorted(accounts, key=lambda account: account.email)


def _may_decide(guardian: PersonId, child: PersonId, today: dt.date) -> ColumnElement[bool]:
    """The rule of `eligible_guardians` as SQL, for a guardian and a child either of which may
    be a column: parental responsibility today, and no restriction against the guardian on any
    item (current or replaced) about the child."""
    responsible = (
        select(Relationship.id)
        .where(
            Relationship.person_id == guardian,
            Relationship.related_person_id == child,
            Relationship.parental_responsibility.is_(True),
            Relationship.current_on(today),
        )
        .exists()
    )
    restricted = (
        select(Restriction.id)
        .join(DataItem, DataItem.id == Restriction.item_id)
        .where(DataItem.person_id == child, Restriction.restricted_person_id == guardian)
        .exists()
    )
    return responsible & ~restricted


def open_request(
    db: Session, child: Account, now: dt.datetime, public_url: str, session_ref: str | None = None
) -> GuardianRequest:
    """Asks every eligible guardian (email and a task on their home page); with none, staff.

    The caller commits.
    """
    request = GuardianRequest(child_account_id=child.id, created_at=now, expires_at=now + LIFETIME)
    db.add(request)
    db.flush()
    guardians = eligible_guardians(db, child, london_today(now))
    for guardian in guardians:
        token = account_tokens.issue_token(
            db, TokenPurpose.GUARDIAN_APPROVAL, guardian, now, guardian_request_id=request.id
        )
        enqueue(
            db,
            NotificationKind.GUARDIAN_REQUEST,
            guardian.email,
            guardian.language,
            link=f"{public_url}/guardian-requests/{token}",
        )
    if not guardians:
        request.status = GuardianRequestStatus.WITH_STAFF
    record_event(
        db,
        actor=child,
        action="guardian_request.opened",
        subject_person_id=child.person_id,
        session_ref=session_ref,
        detail={"guardians_asked": str(len(guardians))},
    )
    return request


@dataclass(frozen=True)
class Review:
    """What a guardian sees before deciding: the request and the token to decide with."""

    request: GuardianRequest
    token: str


def requests_for_guardian(
    db: Session, guardian: Account, now: dt.datetime
) -> list[GuardianRequest]:
    """Open requests this guardian may decide (they were asked, and are still among the
    child's `eligible_guardians`): the tasks on their home page, in one query however many."""
    if guardian.person_id is None or guardian.email_confirmed_at is None:
        return []
    asked = select(AccountToken.guardian_request_id).where(AccountToken.account_id == guardian.id)
    return list(
        db.scalars(
            select(GuardianRequest)
            .join(GuardianRequest.child_account)
            .where(
                GuardianRequest.id.in_(asked),
                GuardianRequest.status == GuardianRequestStatus.WAITING,
                GuardianRequest.expires_at > now,
                _may_decide(guardian.person_id, Account.person_id, london_today(now)),
            )
            .options(contains_eager(GuardianRequest.child_account).joinedload(Account.person))
            .order_by(GuardianRequest.created_at, GuardianRequest.id)
        )
    )


def review_from_task(
    db: Session, guardian: Account, request_id: object, now: dt.datetime
) -> Review | None:
    """The signed-in guardian opened the task: a fresh token bound to them, the child and this
    decision. None (404) unless the request is open and they may decide it."""
    request = next(
        (r for r in requests_for_guardian(db, guardian, now) if r.id == request_id), None
    )
    if request is None:
        return None
    token = account_tokens.issue_token(
        db, TokenPurpose.GUARDIAN_APPROVAL, guardian, now, guardian_request_id=request.id
    )
    db.commit()
    return Review(request, token)


def review_from_link(db: Session, guardian: Account, token: str, now: dt.datetime) -> Review | None:
    """The guardian followed the emailed link: only the guardian it was sent to may use it."""
    found = _usable_token(db, guardian, token, now)
    return Review(found.request, token) if found else None


@dataclass(frozen=True)
class _Found:
    token: AccountToken
    request: GuardianRequest


def _usable_token(db: Session, guardian: Account, token: str, now: dt.datetime) -> _Found | None:
    found = account_tokens.find_token(db, TokenPurpose.GUARDIAN_APPROVAL, token, now)
    if found is None or found.account_id != guardian.id or found.guardian_request_id is None:
        return None
    request = db.get(GuardianRequest, found.guardian_request_id)
    if (
        request is None
        or request.status != GuardianRequestStatus.WAITING
        or now >= request.expires_at
    ):
        return None
    if guardian not in eligible_guardians(db, request.child_account, london_today(now)):
        return None
    return _Found(found, request)


def decide(
    db: Session,
    guardian: Account,
    token: str,
    approve: bool,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> GuardianRequest | None:
    """The signed-in guardian approves or declines. The token is spent whatever the answer;
    a replayed, expired, other child's or other guardian's token decides nothing (None)."""
    found = _usable_token(db, guardian, token, now)
    if found is None or not account_tokens.spend(db, found.token, now):
        db.rollback()
        return None
    request = found.request
    _close(db, request, now, guardian, approve, public_url)
    record_event(
        db,
        actor=guardian,
        action="guardian_request.approved" if approve else "guardian_request.declined",
        subject_person_id=request.child_account.person_id,
        session_ref=session_ref,
    )
    db.commit()
    return request


def approve_by_staff(
    db: Session,
    staff: Account,
    request: GuardianRequest,
    reason: str,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> None:
    """DPO staff approve on a guardian's behalf, with a recorded reason, so no child is stuck."""
    _close(db, request, now, staff, approve=True, public_url=public_url, reason=reason)
    record_event(
        db,
        actor=staff,
        action="guardian_request.approved_by_staff",
        subject_person_id=request.child_account.person_id,
        session_ref=session_ref,
        detail={"reason": reason},
    )
    db.commit()


def ask_again(
    db: Session,
    staff: Account,
    request: GuardianRequest,
    now: dt.datetime,
    public_url: str,
    session_ref: str | None,
) -> GuardianRequest:
    """DPO staff re-open a declined or expired request: the only way to ask again."""
    fresh = open_request(db, request.child_account, now, public_url, session_ref)
    record_event(
        db,
        actor=staff,
        action="guardian_request.asked_again",
        subject_person_id=request.child_account.person_id,
        session_ref=session_ref,
    )
    db.commit()
    return fresh


def review_ages(db: Session, now: dt.datetime) -> dict[str, int]:
    """Nightly and at sign-in: requests for children now 13 close as not needed; requests
    past their 7 days expire. Returns how many of each."""
    counts = {"not_needed": 0, "expired": 0}
    today = london_today(now)
    for request in db.scalars(select(GuardianRequest).where(GuardianRequest.status.in_(OPEN))):
        child = request.child_account
        if child.person and not needs_guardian_approval(child.person.date_of_birth, False, today):
            request.status = GuardianRequestStatus.NOT_NEEDED
            request.decided_at = now
            counts["not_needed"] += 1
        elif request.status == GuardianRequestStatus.WAITING and now >= request.expires_at:
            request.status = GuardianRequestStatus.EXPIRED
            counts["expired"] += 1
    db.commit()
    return counts


def _close(
    db: Session,
    request: GuardianRequest,
    now: dt.datetime,
    by: Account,
    approve: bool,
    public_url: str,
    reason: str | None = None,
) -> None:
    """Records the decision, stops every other guardian's link and tells the child."""
    request.status = GuardianRequestStatus.APPROVED if approve else GuardianRequestStatus.DECLINED
    request.decided_at = now
    request.decided_by_account_id = by.id
    request.reason = reason
    if approve:
        request.child_account.guardian_approved_at = now
    # Every other guardian's link for this request stops working.
    for other in db.scalars(
        select(AccountToken).where(
            AccountToken.guardian_request_id == request.id, AccountToken.used_at.is_(None)
        )
    ):
        other.used_at = now
    child = request.child_account
    enqueue(
        db,
        NotificationKind.GUARDIAN_DECISION,
        child.email,
        child.language,
        approved="yes" if approve else "",
        link=f"{public_url}/sign-in",
    )


def requests_for_staff(db: Session, limit: int = 200) -> list[GuardianRequest]:
    """DPO staff's list, each child's latest request only: with staff first, then waiting,
    declined and expired; oldest first within each."""
    order = {
        GuardianRequestStatus.WITH_STAFF: 0,
        GuardianRequestStatus.WAITING: 1,
        GuardianRequestStatus.DECLINED: 2,
        GuardianRequestStatus.EXPIRED: 3,
    }
    latest = (
        select(GuardianRequest.child_account_id, func.max(GuardianRequest.created_at).label("at"))
        .group_by(GuardianRequest.child_account_id)
        .subquery()
    )
    found = db.scalars(
        select(GuardianRequest)
        .join(
            latest,
            (GuardianRequest.child_account_id == latest.c.child_account_id)
            & (GuardianRequest.created_at == latest.c.at),
        )
        .where(GuardianRequest.status.in_(list(order)))
        .order_by(GuardianRequest.created_at)
        .limit(limit)
    )
    return sorted(found, key=lambda r: order[r.status])


def request_for_staff(db: Session, request_id: object) -> GuardianRequest | None:
    return db.get(GuardianRequest, request_id)
