"""Recording that the council shared a person's data with a partner: the one place for the rules
of a new sharing event. DPO staff record one by hand (the staff form) or many at once (the
import from the case management system's export); both propose, validate here, then record.

Restricted and withheld items are recorded like any other: the family-facing sharing record
asks the policy, so an event about an item restricted from someone never reaches them.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import LazyString
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.i18n import lazy_gettext as _l
from portal.models import Account, DataItem, Partner, Person, SharingEvent
from portal.services.audit import record_event
from portal.vocabulary import ItemKind, LawfulBasis, SharingPurpose

RECORDED = "sharing.recorded"
# Ids per IN (...) when loading in bulk: far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 5000
UUID_FORMAT = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Letters and digits first, so a reference never starts like a spreadsheet formula.
REFERENCE_FORMAT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}")
SHOWN_LENGTH = 40
KIND_ORDER = {kind: position for position, kind in enumerate(ItemKind)}

Choice = TypeVar("Choice", SharingPurpose, LawfulBasis)
Value = TypeVar("Value")

CHOOSE_PARTNER = _l("Select who it was shared with")
CHOOSE_PURPOSE = _l("Select why it was shared")
CHOOSE_BASIS = _l("Select the lawful basis for sharing")
CHOOSE_ITEMS = _l("Select the information that was shared")
ENTER_DATE = _l("Enter the date it was shared")


@dataclass(frozen=True)
class ProposedSharing:
    """A sharing event as someone proposes it: every value as given, none of it trusted yet."""

    person_id: str
    partner_code: str
    shared_on: str  # YYYY-MM-DD
    purpose: str
    lawful_basis: str
    item_ids: tuple[str, ...]
    external_reference: str | None = None


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value of a proposal; `field` is the proposal's attribute."""

    field: str
    message: LazyString


@dataclass(frozen=True)
class CheckedSharing:
    """A proposal that passed every rule, with the records it names: the only thing `record`
    accepts."""

    person_id: uuid.UUID
    partner: Partner
    shared_on: dt.date
    purpose: SharingPurpose
    lawful_basis: LawfulBasis
    items: tuple[DataItem, ...]
    external_reference: str | None


@dataclass(frozen=True)
class KnownRecords:
    """The people, partners and items a batch of proposals names, loaded in a few queries."""

    people: frozenset[uuid.UUID]
    partners: dict[str, Partner]
    items: dict[uuid.UUID, DataItem]


def validate(
    db: Session, proposal: ProposedSharing, today: dt.date
) -> CheckedSharing | list[Problem]:
    """One proposal (the staff form): the checked event, or every problem with it."""
    return validate_all(db, [proposal], today)[0]


def validate_all(
    db: Session, proposals: Sequence[ProposedSharing], today: dt.date
) -> list[CheckedSharing | list[Problem]]:
    """Many proposals (an import), in order; the queries do not grow with their number."""
    known = load_known(db, proposals)
    return [check(proposal, known, today) for proposal in proposals]


def load_known(db: Session, proposals: Sequence[ProposedSharing]) -> KnownRecords:
    person_ids = {_uuid(p.person_id) for p in proposals} - {None}
    item_ids = {_uuid(i) for p in proposals for i in p.item_ids} - {None}
    codes = {p.partner_code for p in proposals if p.partner_code}
    people = {
        found
        for chunk in _chunks(person_ids)
        for found in db.scalars(select(Person.id).where(Person.id.in_(chunk)))
    }
    partners = {
        partner.code: partner
        for chunk in _chunks(codes)
        for partner in db.scalars(select(Partner).where(Partner.code.in_(chunk)))
    }
    items = {
        item.id: item
        for chunk in _chunks(item_ids)
        for item in db.scalars(select(DataItem).where(DataItem.id.in_(chunk)))
    }
    return KnownRecords(frozenset(people), partners, items)


def check(
    proposal: ProposedSharing, known: KnownRecords, today: dt.date
) -> CheckedSharing | list[Problem]:
    """Every rule of a new sharing event, against records loaded beforehand."""
    problems: list[Problem] = []
    person_id = _person(proposal.person_id, known, problems)
    partner = _partner(proposal.partner_code, known, problems)
    shared_on = _shared_on(proposal.shared_on, today, problems)
    purpose = _choice(SharingPurpose, proposal.purpose, "purpose", CHOOSE_PURPOSE, problems)
    basis = _choice(LawfulBasis, proposal.lawful_basis, "lawful_basis", CHOOSE_BASIS, problems)
    items = _items(proposal.item_ids, person_id, known, problems)
    reference = _reference(proposal.external_reference, problems)
    if (
        problems
        or person_id is None
        or partner is None
        or shared_on is None
        or purpose is None
        or basis is None
    ):
        return problems
    return CheckedSharing(person_id, partner, shared_on, purpose, basis, items, reference)


def record(
    db: Session,
    sharing: CheckedSharing,
    *,
    actor: Account | None,
    session_ref: str | None,
    imported_from: str | None = None,
) -> SharingEvent:
    """Adds the event and its audit event to the caller's transaction (the caller commits).
    `actor` is the officer, or None for an import, whose file the audit event names."""
    event = SharingEvent(
        id=uuid.uuid4(),
        person_id=sharing.person_id,
        partner_id=sharing.partner.id,
        shared_on=sharing.shared_on,
        purpose=sharing.purpose,
        lawful_basis=sharing.lawful_basis,
        items=list(sharing.items),
        external_reference=sharing.external_reference,
    )
    db.add(event)
    detail = {
        "sharing_event_id": str(event.id),
        "partner": sharing.partner.code,
        "shared_on": sharing.shared_on.isoformat(),
        "items": str(len(sharing.items)),
    }
    if imported_from is not None:
        detail["imported_from"] = imported_from
    if sharing.external_reference is not None:
        detail["external_reference"] = sharing.external_reference
    record_event(
        db,
        actor=actor,
        action=RECORDED,
        subject_person_id=sharing.person_id,
        session_ref=session_ref,
        detail=detail,
    )
    return event


def record_by_hand(
    db: Session, sharing: CheckedSharing, *, staff: Account, session_ref: str | None
) -> SharingEvent:
    """A DPO officer's one event, recorded and committed with its audit event."""
    event = record(db, sharing, actor=staff, session_ref=session_ref)
    db.commit()
    return event


def already_recorded(db: Session, references: Iterable[str]) -> set[str]:
    """The external references that earlier imports recorded."""
    return {
        found
        for chunk in _chunks(set(references))
        for found in db.scalars(
            select(SharingEvent.external_reference).where(
                SharingEvent.external_reference.in_(chunk)
            )
        )
        if found is not None
    }


def current_partners(db: Session) -> list[Partner]:
    """The partners that may receive new sharing: every one not retired."""
    return list(
        db.scalars(select(Partner).where(Partner.retired_on.is_(None)).order_by(Partner.name_en))
    )


def current_items(db: Session, person_id: uuid.UUID) -> list[DataItem]:
    """What could have gone: the person's items as they stand (not replaced versions), in the
    order the record shows them."""
    items = db.scalars(
        select(DataItem).where(DataItem.person_id == person_id, DataItem.replaced_at.is_(None))
    )
    return sorted(items, key=lambda i: (KIND_ORDER[i.kind], -i.obtained_on.toordinal(), i.id))


def events_about(db: Session, person_id: uuid.UUID) -> list[SharingEvent]:
    """Every sharing event about a person, newest first: for DPO staff, who see them all."""
    return list(
        db.scalars(
            select(SharingEvent)
            .where(SharingEvent.person_id == person_id)
            .options(joinedload(SharingEvent.partner), joinedload(SharingEvent.items))
            .order_by(SharingEvent.shared_on.desc(), SharingEvent.id)
        ).unique()
    )


def _person(value: str, known: KnownRecords, problems: list[Problem]) -> uuid.UUID | None:
    person_id = _uuid(value)
    if not value:
        problems.append(Problem("person_id", _l("Enter the ID of the person")))
    elif person_id is None:
        problems.append(Problem("person_id", _l("%(value)s is not an ID", value=quoted(value))))
    elif person_id not in known.people:
        problems.append(
            Problem("person_id", _l("There is no person with the ID %(value)s", value=value))
        )
    else:
        return person_id
    return None


def _partner(code: str, known: KnownRecords, problems: list[Problem]) -> Partner | None:
    partner = known.partners.get(code)
    if not code:
        problems.append(Problem("partner_code", CHOOSE_PARTNER))
    elif partner is None:
        problems.append(
            Problem(
                "partner_code",
                _l("There is no partner with the code %(code)s", code=quoted(code)),
            )
        )
    elif partner.retired_on is not None:
        problems.append(
            Problem(
                "partner_code",
                _l("%(code)s is retired: it cannot receive new sharing", code=partner.code),
            )
        )
    else:
        return partner
    return None


def _shared_on(value: str, today: dt.date, problems: list[Problem]) -> dt.date | None:
    if not value:
        problems.append(Problem("shared_on", ENTER_DATE))
        return None
    shared_on = _iso_date(value)
    if shared_on is None:
        problems.append(
            Problem("shared_on", _l("The date it was shared must be a real date, like 2026-03-27"))
        )
        return None
    if shared_on > today:
        problems.append(
            Problem("shared_on", _l("The date it was shared must be today or in the past"))
        )
        return None
    return shared_on


def _choice(
    vocabulary: type[Choice], value: str, field: str, missing: LazyString, problems: list[Problem]
) -> Choice | None:
    if not value:
        problems.append(Problem(field, missing))
        return None
    try:
        return vocabulary(value)
    except ValueError:
        known = ", ".join(member.value for member in vocabulary)
        problems.append(
            Problem(
                field,
                _l("%(value)s is not one of: %(known)s", value=quoted(value), known=known),
            )
        )
        return None


def _items(
    values: tuple[str, ...],
    person_id: uuid.UUID | None,
    known: KnownRecords,
    problems: list[Problem],
) -> tuple[DataItem, ...]:
    if not values:
        problems.append(Problem("item_ids", CHOOSE_ITEMS))
        return ()
    items: dict[uuid.UUID, DataItem] = {}  # in the order given, each once
    for value in values:
        item_id = _uuid(value)
        item = known.items.get(item_id) if item_id else None
        if item_id is None:
            message = _l("%(value)s is not an ID", value=quoted(value))
        elif item is None:
            message = _l("There is no item with the ID %(value)s", value=value)
        elif person_id is not None and item.person_id != person_id:
            message = _l("Item %(value)s is about another person", value=value)
        elif item.replaced_at is not None:
            message = _l("Item %(value)s has been replaced by a newer version", value=value)
        else:
            items[item.id] = item
            continue
        problems.append(Problem("item_ids", message))
    return tuple(items.values())


def _reference(value: str | None, problems: list[Problem]) -> str | None:
    if value is None or value == "":
        return None
    if not REFERENCE_FORMAT.fullmatch(value):
        problems.append(
            Problem(
                "external_reference",
                _l(
                    "The external reference must be 1 to 100 letters, digits and . _ : / - "
                    "characters, starting with a letter or digit"
                ),
            )
        )
        return None
    return value


def _iso_date(value: str) -> dt.date | None:
    """YYYY-MM-DD only: `fromisoformat` alone would also take 20260327 and week dates."""
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _uuid(value: str) -> uuid.UUID | None:
    """ASCII hex digits in the 8-4-4-4-12 form only (never other scripts' digits)."""
    return uuid.UUID(value) if UUID_FORMAT.fullmatch(value) else None


def quoted(value: str) -> str:
    """A value quoted back in a message: short, and nothing that could steer a terminal."""
    cleaned = "".join(c if c.isprintable() else "?" for c in value[:SHOWN_LENGTH])
    return cleaned + ("..." if len(value) > SHOWN_LENGTH else "")


def _chunks(values: set[Value]) -> Iterator[list[Value]]:
    ordered = list(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]
