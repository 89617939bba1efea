"""A household whose record grows by bulk inserts (one commit per step, no HTTP): for the
query-count test, which reads every page with 1 data item and again with 1,000.

Every kind of record grows with the items: sharing events, complaints (the first with a
message and a visible history row per step), copy requests and corrections (the first of each
with a history row per step), so a page that loads any of them one row at a time shows up."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.deadlines import complaint_acknowledgement_due, statutory_due_date
from portal.models import (
    Account,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    CopyRequest,
    CopyRequestEvent,
    CorrectionEvent,
    CorrectionRequest,
    DataItem,
    Household,
    HouseholdMembership,
    Partner,
    Person,
    SharingEvent,
    sharing_event_items,
)
from portal.references import new_reference
from portal.services.copy_requests import due_date
from portal.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    CopyDelivery,
    ItemKind,
    LawfulBasis,
    Role,
    SharingPurpose,
    Source,
)

# The demo password (tests/conftest.py's PASSWORDS) signs in the household's account too.
PASSWORD_OF = "sam.rivers@example.com"


@dataclass
class GrowingHousehold:
    account: Account
    person: Person
    items: list[dict] = field(default_factory=list)
    complaints: list[dict] = field(default_factory=list)
    copy_requests: list[dict] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)

    @property
    def first_item_id(self) -> uuid.UUID:
        return self.items[0]["id"]

    @property
    def references(self) -> list[str]:
        """The first of each kind of request: the one whose history grows."""
        return [r[0]["reference"] for r in (self.complaints, self.copy_requests, self.corrections)]


def new_household(db: Session) -> GrowingHousehold:
    """One adult with a confirmed account and no records yet."""
    today = london_today()
    household = Household(reference=new_reference("EH"))
    person = Person(
        given_name="Morgan",
        family_name="Growing",
        date_of_birth=today.replace(year=today.year - 40),
        recorded_on=today,
    )
    db.add_all([household, person])
    db.flush()
    db.add(HouseholdMembership(household_id=household.id, person_id=person.id, started_on=today))
    account = Account(
        email=f"growing-{uuid.uuid4().hex[:8]}@example.com",
        password_hash=db.scalar(select(Account.password_hash).where(Account.email == PASSWORD_OF)),
        role=Role.FAMILY,
        person_id=person.id,
        email_confirmed_at=dt.datetime.now(dt.UTC),
    )
    db.add(account)
    db.commit()
    return GrowingHousehold(account, person)


def grow(db: Session, family: GrowingHousehold, count: int) -> None:
    """`count` more of every kind of record, bulk inserted in one commit."""
    partner = db.scalars(select(Partner.id).order_by(Partner.code)).first()
    start = len(family.items)
    numbers = range(start, start + count)
    items = [_item(family, number) for number in numbers]
    shared = [_shared(family, partner, number) for number in numbers]
    rows: dict[type, list[dict]] = {
        DataItem: items,
        SharingEvent: shared,
        Complaint: [_complaint(family, number) for number in numbers],
        CopyRequest: [_copy_request(family, number) for number in numbers],
        CorrectionRequest: [
            _correction(family, item, n) for n, item in zip(numbers, items, strict=True)
        ],
    }
    family.items += items
    family.complaints += rows[Complaint]
    family.copy_requests += rows[CopyRequest]
    family.corrections += rows[CorrectionRequest]
    for model, found in [*rows.items(), *_history(family, count).items()]:
        db.execute(insert(model), found)
    db.execute(
        insert(sharing_event_items),
        [
            {"sharing_event_id": e["id"], "item_id": i["id"]}
            for e, i in zip(shared, items, strict=True)
        ],
    )
    db.commit()


def _day(number: int) -> dt.date:
    """Spread over two months, so that the queues' keyset pages cross many due dates."""
    return london_today() - dt.timedelta(days=number % 60)


def _item(family: GrowingHousehold, number: int) -> dict:
    return {
        "id": uuid.uuid4(),
        "person_id": family.person.id,
        "kind": ItemKind.HEALTH_NOTE,
        "value": f"growing note {number}",
        "source": Source.FAMILY,
        "obtained_on": _day(number),
    }


def _shared(family: GrowingHousehold, partner: uuid.UUID | None, number: int) -> dict:
    return {
        "id": uuid.uuid4(),
        "person_id": family.person.id,
        "partner_id": partner,
        "shared_on": _day(number),
        "purpose": SharingPurpose.COORDINATE_SUPPORT,
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
    }


def _complaint(family: GrowingHousehold, number: int) -> dict:
    received_on = _day(number)
    return {
        "id": uuid.uuid4(),
        "reference": new_reference("CMP"),
        "submission_key": uuid.uuid4().hex,
        "channel": ComplaintChannel.PORTAL,
        "category": ComplaintCategory.WRONG_DATA,
        "complainant_account_id": family.account.id,
        "about_person_id": family.person.id,
        "what_happened": f"What happened {number}",
        "desired_outcome": "Put it right",
        "received_on": received_on,
        "acknowledgement_due_on": complaint_acknowledgement_due(received_on),
        "response_due_on": statutory_due_date(received_on),
    }


def _copy_request(family: GrowingHousehold, number: int) -> dict:
    received_on = _day(number)
    return {
        "id": uuid.uuid4(),
        "reference": new_reference("SAR"),
        "submission_key": uuid.uuid4().hex,
        "requester_account_id": family.account.id,
        "subject_person_id": family.person.id,
        "delivery": CopyDelivery.DOWNLOAD,
        "received_on": received_on,
        "due_on": due_date(received_on, 0, 0),
    }


def _correction(family: GrowingHousehold, item: dict, number: int) -> dict:
    received_on = _day(number)
    return {
        "id": uuid.uuid4(),
        "reference": new_reference("COR"),
        "submission_key": uuid.uuid4().hex,
        "item_id": item["id"],
        "person_id": family.person.id,
        "requested_by_account_id": family.account.id,
        "received_on": received_on,
        "what_is_wrong": f"Wrong {number}",
        "should_say": "Right",
        "why": "Because",
        "due_on": due_date(received_on, 0, 0),
    }


def _history(family: GrowingHousehold, count: int) -> dict[type, list[dict]]:
    """A message and a visible history row on each kind's first request, `count` times."""
    complaint = family.complaints[0]["id"]
    copy = family.copy_requests[0]["id"]
    correction = family.corrections[0]["id"]
    return {
        ComplaintMessage: [
            {"complaint_id": complaint, "from_complainant": True, "text": f"m{n}"}
            for n in range(count)
        ],
        ComplaintEvent: [
            {"complaint_id": complaint, "action": "note", "visible_to_complainant": True}
        ]
        * count,
        CopyRequestEvent: [
            {"copy_request_id": copy, "action": "note", "visible_to_requester": True}
        ]
        * count,
        CorrectionEvent: [{"request_id": correction, "action": "note", "visible_to_family": True}]
        * count,
    }
