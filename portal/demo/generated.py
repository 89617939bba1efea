"""Generated households for load work (`demo-data --households N`), written in bulk.

Deterministic: household n is the same on every run, and a second run only
adds the households that are missing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from portal.demo.bulk import write_rows
from portal.demo.generated_requests import Tables, add_requests, ids
from portal.demo.synthetic import nhs_number, ni_number, phone_number
from portal.encryption import Keyring, session_keyring
from portal.models import (
    Account,
    Complaint,
    ComplaintEvent,
    CopyRequest,
    CopyRequestEvent,
    DataItem,
    Household,
    HouseholdMembership,
    Partner,
    Person,
    Relationship,
    SharingEvent,
    sharing_event_items,
)
from portal.models.items import lookup_hash
from portal.vocabulary import (
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
# About four people a household, six items and three sharing events each: 100,000
# households make 400,000 people, 2.4 million items and 1.2 million sharing events.
ADULTS = (1, 2)
CHILDREN = (1, 4)
EXTRA_ITEMS = 2
SHARING_EVENTS = (2, 4)
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
    keyring = session_keyring(db)
    for first in range(start, wanted, BATCH):
        rows = _Rows(keyring)
        for number in range(first, min(first + BATCH, wanted)):
            _household(rows, number, today, partner_ids, password_hash)
            parent = rows.tables[Account][-1]
            add_requests(rows.tables, number, today, (parent["id"], parent["person_id"]), officer)
        rows.write(db)
        db.commit()
    return max(0, wanted - start)


class _Rows:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self.tables: Tables = {
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
            CopyRequest: [],
            CopyRequestEvent: [],
        }

    def write(self, db: Session) -> None:
        for table, rows in self.tables.items():
            write_rows(db, cast(Table, getattr(table, "__table__", table)), rows)


def _household(
    rows: _Rows, number: int, today: dt.date, partners: list[uuid.UUID], password_hash: str
) -> None:
    rng = random.Random(number)
    stream = ids(rng)
    household_id = next(stream)
    family_name = rng.choice(FAMILY)
    rows.tables[Household].append({"id": household_id, "reference": f"{PREFIX}{number:07d}"})
    adults = [
        _person(rows, stream, rng, family_name, today, rng.randint(20, 60))
        for _ in range(rng.randint(*ADULTS))
    ]
    children = [
        _person(rows, stream, rng, family_name, today, rng.randint(0, 17))
        for _ in range(rng.randint(*CHILDREN))
    ]
    for person in adults + children:
        rows.tables[HouseholdMembership].append(
            {
                "id": next(stream),
                "household_id": household_id,
                "person_id": person["id"],
                "started_on": person["recorded_on"],
                "ended_on": None,
            }
        )
        _items(rows, stream, rng, person, today, partners)
    for child in children:
        rows.tables[Relationship].append(
            {
                "id": next(stream),
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
            "id": next(stream),
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
    stream: Iterator[uuid.UUID],
    rng: random.Random,
    family_name: str,
    today: dt.date,
    age: int,
) -> dict[str, Any]:
    born = today - dt.timedelta(days=age * 365 + rng.randint(1, 360))
    person = {
        "id": next(stream),
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
    stream: Iterator[uuid.UUID],
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
        *rng.sample(EXTRA_KINDS, EXTRA_ITEMS),
    ]
    item_ids = []
    for kind, source, value in facts:
        item_id = next(stream)
        item_ids.append(item_id)
        rows.tables[DataItem].append(
            {
                "id": item_id,
                "person_id": person["id"],
                "kind": kind,
                "value": value,
                "lookup_hash": lookup_hash(rows.keyring, kind, value),
                "source": source,
                "obtained_on": today - dt.timedelta(days=rng.randint(1, 700)),
                "recorded_at": dt.datetime.now(dt.UTC),
                "sensitivity": "normal",
                "outcome_area": None,
                "assessment_id": None,
            }
        )
    for _ in range(rng.randint(*SHARING_EVENTS)):
        event_id = next(stream)
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
