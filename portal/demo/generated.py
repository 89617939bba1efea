"""Generated households for load work (`demo-data --households N`), written in bulk.

Deterministic: household n is the same on every run, and a second run only
adds the households that are missing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from portal.deadlines import complaint_acknowledgement_due
from portal.demo.synthetic import nhs_number, ni_number, phone_number
from portal.models import (
    Account,
    Complaint,
    ComplaintEvent,
    DataItem,
    Household,
    HouseholdMembership,
    Partner,
    Person,
    Relationship,
    SharingEvent,
    sharing_event_items,
)
from portal.services.complaints import DEFAULT_RESPONSE_MONTHS, response_due
from portal.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    ItemKind,
    LawfulBasis,
    RelationshipKind,
    Role,
    SharingPurpose,
    Source,
)

PREFIX = "EH-L"
LOAD_PASSWORD = "load-test-household-password"
BATCH = 500
# Complaints go back six years, as long as closed ones are kept; the newest are still open.
COMPLAINT_DAYS = 6 * 365
OPEN_FOR_DAYS = 60
# The alphabet of portal/references.py: generated references look like real ones.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
GIVEN = (
    "Aled",
    "Bethan",
    "Cai",
    "Dana",
    "Eli",
    "Ffion",
    "Gus",
    "Hana",
    "Ioan",
    "Jess",
    "Kit",
    "Lowri",
)
FAMILY = (
    "Ashdown",
    "Brook",
    "Carrow",
    "Dell",
    "Evans",
    "Fenn",
    "Garth",
    "Hollins",
    "Ingram",
    "Jarvis",
)
EXTRA_KINDS = (
    (ItemKind.ATTENDANCE, Source.SCHOOLS_ONE_SYSTEM, "Attendance recorded this term"),
    (ItemKind.HEALTH_NOTE, Source.FAMILY, "Health need recorded at assessment"),
    (ItemKind.RENT_ARREARS, Source.HOUSING, "Rent arrears reported by the landlord"),
    (ItemKind.OUT_OF_WORK_BENEFIT, Source.DWP, "Out-of-work benefit in payment"),
    (ItemKind.POLICE_INCIDENT, Source.WEST_MERCIA_POLICE, "Incident reported to the police"),
    (
        ItemKind.SOCIAL_CARE_INVOLVEMENT,
        Source.SOCIAL_CARE_LIQUIDLOGIC,
        "Open to children's social care",
    ),
)


def existing_generated(db: Session) -> int:
    return db.scalar(select(func.count()).where(Household.reference.like(f"{PREFIX}%"))) or 0


def add_generated_households(db: Session, wanted: int, today: dt.date, password_hash: str) -> int:
    """Makes the number of generated households up to `wanted`; returns how many it added."""
    start = existing_generated(db)
    partner_ids = list(db.scalars(select(Partner.id).order_by(Partner.code)))
    officer = db.scalar(select(Account.id).where(Account.role == Role.DPO_OFFICER).limit(1))
    for first in range(start, wanted, BATCH):
        rows = _Rows()
        for number in range(first, min(first + BATCH, wanted)):
            _household(rows, number, today, partner_ids, password_hash)
            _complaints(rows, number, today, rows.tables[Account][-1]["id"], officer)
        rows.write(db)
        db.commit()
    return max(0, wanted - start)


class _Rows:
    def __init__(self) -> None:
        self.tables: dict[Any, list[dict[str, Any]]] = {
            Household: [],
            Person: [],
            HouseholdMembership: [],
            Relationship: [],
            DataItem: [],
            SharingEvent: [],
            sharing_event_items: [],
            Account: [],
            Complaint: [],
            ComplaintEvent: [],
        }

    def write(self, db: Session) -> None:
        for table, rows in self.tables.items():
            if rows:
                target = table if not hasattr(table, "__table__") else table.__table__
                db.execute(insert(target), rows)


def _ids(rng: random.Random) -> Iterator[uuid.UUID]:
    while True:
        yield uuid.UUID(int=rng.getrandbits(128), version=4)


def _household(
    rows: _Rows, number: int, today: dt.date, partners: list[uuid.UUID], password_hash: str
) -> None:
    rng = random.Random(number)
    ids = _ids(rng)
    household_id = next(ids)
    family_name = rng.choice(FAMILY)
    rows.tables[Household].append({"id": household_id, "reference": f"{PREFIX}{number:07d}"})
    adults = [
        _person(rows, ids, rng, family_name, today, rng.randint(20, 60))
        for _ in range(rng.randint(1, 2))
    ]
    children = [
        _person(rows, ids, rng, family_name, today, rng.randint(0, 17))
        for _ in range(rng.randint(1, 3))
    ]
    for person in adults + children:
        rows.tables[HouseholdMembership].append(
            {
                "id": next(ids),
                "household_id": household_id,
                "person_id": person["id"],
                "started_on": person["recorded_on"],
                "ended_on": None,
            }
        )
        _items(rows, ids, rng, person, today, partners)
    for child in children:
        rows.tables[Relationship].append(
            {
                "id": next(ids),
                "person_id": adults[0]["id"],
                "related_person_id": child["id"],
                "kind": RelationshipKind.PARENT,
                "parental_responsibility": True,
                "started_on": child["date_of_birth"],
                "ended_on": None,
            }
        )
    rows.tables[Account].append(
        {
            "id": next(ids),
            "email": f"parent{number}@example.com",
            "password_hash": password_hash,
            "role": Role.FAMILY,
            "person_id": adults[0]["id"],
            "created_at": dt.datetime.now(dt.UTC),
            "email_confirmed_at": dt.datetime.now(dt.UTC),
            "language": "en",
        }
    )


def _person(
    rows: _Rows,
    ids: Iterator[uuid.UUID],
    rng: random.Random,
    family_name: str,
    today: dt.date,
    age: int,
) -> dict[str, Any]:
    born = today - dt.timedelta(days=age * 365 + rng.randint(1, 360))
    person = {
        "id": next(ids),
        "given_name": rng.choice(GIVEN),
        "family_name": family_name,
        "date_of_birth": born,
        "recorded_on": today - dt.timedelta(days=rng.randint(30, 900)),
        "shares_record_with_guardians": False,
    }
    rows.tables[Person].append(person)
    return person


def _items(
    rows: _Rows,
    ids: Iterator[uuid.UUID],
    rng: random.Random,
    person: dict[str, Any],
    today: dt.date,
    partners: list[uuid.UUID],
) -> None:
    facts = [
        (
            ItemKind.ADDRESS,
            Source.FAMILY,
            f"{rng.randint(1, 99)} Example Road, Shrewsbury, SY99 {rng.randint(1, 9)}AA",
        ),
        (ItemKind.PHONE, Source.FAMILY, phone_number(rng)),
        (ItemKind.NHS_NUMBER, Source.EARLY_HELP_WORKER, nhs_number(rng)),
        (ItemKind.NI_NUMBER, Source.DWP, ni_number(rng)),
        rng.choice(EXTRA_KINDS),
    ]
    item_ids = []
    for kind, source, value in facts:
        item_id = next(ids)
        item_ids.append(item_id)
        rows.tables[DataItem].append(
            {
                "id": item_id,
                "person_id": person["id"],
                "kind": kind,
                "value": value,
                "source": source,
                "obtained_on": today - dt.timedelta(days=rng.randint(1, 700)),
                "recorded_at": dt.datetime.now(dt.UTC),
                "sensitivity": "normal",
                "outcome_area": None,
                "assessment_id": None,
            }
        )
    for _ in range(rng.randint(1, 4)):
        event_id = next(ids)
        rows.tables[SharingEvent].append(
            {
                "id": event_id,
                "person_id": person["id"],
                "partner_id": rng.choice(partners),
                "shared_on": today - dt.timedelta(days=rng.randint(1, 700)),
                "purpose": rng.choice(list(SharingPurpose)),
                "lawful_basis": rng.choice(list(LawfulBasis)),
            }
        )
        for item_id in rng.sample(item_ids, 2):
            rows.tables[sharing_event_items].append(
                {"sharing_event_id": event_id, "item_id": item_id}
            )


def _complaints(
    rows: _Rows, number: int, today: dt.date, account: uuid.UUID, officer: uuid.UUID | None
) -> None:
    """None, one or two complaints by the household's parent, online or (when there is a DPO
    officer to have logged them) by post, email or phone. A stream of their own, so that the
    households are the same as before complaints were generated."""
    rng = random.Random(f"complaints:{number}")
    ids = _ids(rng)
    for index in range(rng.choice((0, 0, 1, 1, 1, 2))):
        channel = rng.choice(list(ComplaintChannel)) if officer else ComplaintChannel.PORTAL
        received = today - dt.timedelta(days=rng.randint(1, COMPLAINT_DAYS))
        complaint = _complaint_row(rng, next(ids), received, today, channel)
        complaint.update(
            reference=_reference(number * 2 + index),
            submission_key=f"generated-{number}-{index}",
            complainant_account_id=account,
            logged_by_account_id=None if channel is ComplaintChannel.PORTAL else officer,
            assigned_account_id=officer if complaint["acknowledged_at"] else None,
        )
        rows.tables[Complaint].append(complaint)
        for action in ("received", "acknowledged", "resolved", "closed"):
            at = complaint[f"{action}_at"]
            online = channel is ComplaintChannel.PORTAL and action in ("received", "acknowledged")
            if at is not None:
                rows.tables[ComplaintEvent].append(
                    {
                        "complaint_id": complaint["id"],
                        "at": at,
                        "actor_account_id": account if online else officer,
                        "action": action,
                        "note": None,
                        "visible_to_complainant": action != "received",
                    }
                )


def _complaint_row(
    rng: random.Random,
    complaint_id: uuid.UUID,
    received: dt.date,
    today: dt.date,
    channel: ComplaintChannel,
) -> dict[str, Any]:
    """Dates and state that fit together: older complaints resolved (most of them closed),
    recent ones still being worked, and every step before today."""
    age = (today - received).days
    acknowledged: int | None = 0 if channel is ComplaintChannel.PORTAL else rng.randint(1, 40)
    resolved = closed = paused_on = None
    if age > OPEN_FOR_DAYS:
        resolved = rng.randint(max(5, acknowledged or 0), OPEN_FOR_DAYS)
        closed = resolved + 7 if resolved + 7 < age and rng.random() < 0.7 else None
        status = ComplaintStatus.CLOSED if closed else ComplaintStatus.RESOLVED
    elif acknowledged is not None and acknowledged >= age:
        status, acknowledged = ComplaintStatus.NEW, None
    else:
        status = rng.choice(
            (ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.INVESTIGATING, ComplaintStatus.WAITING)
        )
        if status is ComplaintStatus.WAITING:
            paused_on = received + dt.timedelta(days=age // 2)
    return {
        "id": complaint_id,
        "channel": channel,
        "category": rng.choice(list(ComplaintCategory)),
        "language": "en",
        "what_happened": "A generated complaint for load work.",
        "desired_outcome": "Nothing: it is generated.",
        "received_at": _at(received, 0),
        "received_on": received,
        "acknowledgement_due_on": complaint_acknowledgement_due(received),
        "acknowledged_at": _at(received, acknowledged),
        "response_due_on": response_due(received, 0, DEFAULT_RESPONSE_MONTHS),
        "paused_days": 0,
        "paused_on": paused_on,
        "status": status,
        "assigned_at": _at(received, acknowledged),
        "outcome_text": "A generated outcome." if resolved is not None else None,
        "resolved_at": _at(received, resolved),
        "closed_at": _at(received, closed),
    }


def _at(received: dt.date, days: int | None) -> dt.datetime | None:
    if days is None:
        return None
    return dt.datetime.combine(received + dt.timedelta(days=days), dt.time(10), dt.UTC)


def _reference(serial: int) -> str:
    """CMP-G followed by seven characters: unique for each generated complaint."""
    characters = []
    for _ in range(7):
        serial, digit = divmod(serial, len(REFERENCE_ALPHABET))
        characters.append(REFERENCE_ALPHABET[digit])
    return "CMP-G" + "".join(reversed(characters))
