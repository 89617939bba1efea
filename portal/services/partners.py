"""The partner register: administrators add, change, retire, restore and delete partners.

A partner's code never changes once it exists, because links (`/partners/<code>`) and sharing
imports name partners by it. A partner named by any sharing event or correction task is never
deleted, only retired: families still see it on what was shared in the past, and its page says
it no longer receives data from the council.

Callers are administrators' views (the caller checks the role). Each change writes its audit
event in the same transaction and commits; a refused change saves nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.identifiers import is_partner_code
from portal.models import Account, CorrectionTask, Partner, SharingEvent
from portal.services.audit import record_event
from portal.vocabulary import PartnerKind


class Refusal(StrEnum):
    CODE_FORMAT = "code_format"
    CODE_TAKEN = "code_taken"
    IN_USE = "in_use"


class PartnerRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True)
class PartnerDetails:
    """What may change after a partner is added: everything but its code."""

    kind: PartnerKind
    name_en: str
    name_cy: str
    description_en: str
    description_cy: str


DETAIL_FIELDS = tuple(field.name for field in fields(PartnerDetails))


@dataclass(frozen=True)
class PartnerUsage:
    sharing_events: int
    correction_tasks: int

    @property
    def in_use(self) -> bool:
        return bool(self.sharing_events or self.correction_tasks)


def register(db: Session) -> list[Partner]:
    """Current partners first, then retired ones, each group by English name."""
    return list(
        db.scalars(select(Partner).order_by(Partner.retired_on.is_not(None), Partner.name_en))
    )


def by_code(db: Session, code: str) -> Partner | None:
    return db.scalar(select(Partner).where(Partner.code == code))


def usage(db: Session, partner: Partner) -> PartnerUsage:
    """How many sharing events and correction tasks name the partner."""
    events = select(func.count(SharingEvent.id)).where(SharingEvent.partner_id == partner.id)
    tasks = select(func.count(CorrectionTask.id)).where(CorrectionTask.partner_id == partner.id)
    return PartnerUsage(
        sharing_events=db.scalar(events) or 0, correction_tasks=db.scalar(tasks) or 0
    )


def add_partner(
    db: Session, actor: Account, code: str, details: PartnerDetails, session_ref: str | None
) -> Partner:
    """A new, current partner. A code already taken is refused, also when two administrators
    add it at the same moment: the database's unique constraint decides between them."""
    if not is_partner_code(code):
        raise PartnerRefused(Refusal.CODE_FORMAT)
    if by_code(db, code) is not None:
        raise PartnerRefused(Refusal.CODE_TAKEN)
    partner = Partner(code=code, **asdict(details))
    db.add(partner)
    _audit(db, actor, partner, "partner.added", session_ref)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise PartnerRefused(Refusal.CODE_TAKEN) from None
    return partner


def change_partner(
    db: Session, actor: Account, partner: Partner, details: PartnerDetails, session_ref: str | None
) -> bool:
    """New names, descriptions or kind; the code stays. The audit event keeps what each
    changed field said before, since families read these words. False when nothing differed."""
    changed = [name for name in DETAIL_FIELDS if getattr(partner, name) != getattr(details, name)]
    if not changed:
        return False
    before = {f"was_{name}": str(getattr(partner, name)) for name in changed}
    for name in changed:
        setattr(partner, name, getattr(details, name))
    _audit(db, actor, partner, "partner.changed", session_ref, changed=",".join(changed), **before)
    db.commit()
    return True


def retire_partner(
    db: Session, actor: Account, partner: Partner, today: dt.date, session_ref: str | None
) -> bool:
    """From today the partner no longer receives data; past sharing still names it."""
    if partner.retired_on is not None:
        return False
    partner.retired_on = today
    _audit(db, actor, partner, "partner.retired", session_ref)
    db.commit()
    return True


def restore_partner(db: Session, actor: Account, partner: Partner, session_ref: str | None) -> bool:
    """A retired partner becomes current again."""
    if partner.retired_on is None:
        return False
    retired_on = partner.retired_on
    partner.retired_on = None
    _audit(
        db, actor, partner, "partner.restored", session_ref, was_retired_on=retired_on.isoformat()
    )
    db.commit()
    return True


def delete_partner(db: Session, actor: Account, partner: Partner, session_ref: str | None) -> None:
    """Only a partner nothing names: one added by mistake. A sharing event or correction task
    recorded meanwhile makes the database refuse, and that is a refusal too."""
    if usage(db, partner).in_use:
        raise PartnerRefused(Refusal.IN_USE)
    _audit(db, actor, partner, "partner.deleted", session_ref)
    db.delete(partner)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise PartnerRefused(Refusal.IN_USE) from None


def _audit(
    db: Session,
    actor: Account,
    partner: Partner,
    action: str,
    session_ref: str | None,
    **detail: str,
) -> None:
    record_event(
        db,
        actor=actor,
        action=action,
        session_ref=session_ref,
        detail={"code": partner.code, "name": partner.name_en, **detail},
    )
