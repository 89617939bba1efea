"""A household with thousands of data items and a copy request from each member, so that
building their copies can be measured (bench/copy_build.py, 5,000 items) and tested for
completeness (tests/web/test_copy_large.py, a few hundred).

Deterministic and added once: `tag` (six characters of portal/references.py's alphabet)
names the household, its accounts and its requests, and a second call finds them again.
Items are spread over four people with realistic kinds and sources; some are withheld, some
are restricted from the parent asking for the child's copy, and an officer has left out or
redacted some under an exemption, so the copy rules all do work.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portal.demo.synthetic import demo_id, nhs_number, ni_number, phone_number
from portal.encryption import keyring_of
from portal.models import (
    Account,
    CopyItemTreatment,
    CopyRequest,
    DataItem,
    Household,
    HouseholdMembership,
    Partner,
    Person,
    Relationship,
    Restriction,
    SharingEvent,
    sharing_event_items,
)
from portal.models.items import lookup_hash
from portal.services.copy_requests import due_date
from portal.vocabulary import (
    CopyDelivery,
    CopyReason,
    CopyTreatment,
    ItemKind,
    LawfulBasis,
    RelationshipKind,
    Role,
    Sensitivity,
    SharingPurpose,
    Source,
)

# (name, age, share of the items, has an account); the parent asks for the child's copy.
MEMBERS = (("Parent", 41, 0.4, True), ("Partner", 39, 0.2, True), ("Teen", 15, 0.2, True))
CHILD = ("Child", 9, 0.2, False)
FACTS: tuple[tuple[ItemKind, Source, str], ...] = (
    (ItemKind.ADDRESS, Source.FAMILY, "{n} Bench Street, Shrewsbury, SY99 4BB"),
    (ItemKind.PHONE, Source.FAMILY, "phone"),
    (ItemKind.EMAIL, Source.FAMILY, "contact{n}@example.com"),
    (ItemKind.NHS_NUMBER, Source.EARLY_HELP_WORKER, "nhs"),
    (ItemKind.NI_NUMBER, Source.DWP, "ni"),
    (ItemKind.LANGUAGE, Source.FAMILY, "Cymraeg – Welsh spoken at home ({n})"),
    (ItemKind.HOUSEHOLD_CIRCUMSTANCES, Source.EARLY_HELP_WORKER, "Overcrowded flat, note {n}"),
    (ItemKind.HOMELESSNESS_RISK, Source.HOUSING, "Section 21 notice served, case {n}"),
    (ItemKind.RENT_ARREARS, Source.HOUSING, "£{n} rent arrears reported by the landlord"),
    (ItemKind.HEALTH_NOTE, Source.FAMILY, "Asthma review booked with the practice nurse ({n})"),
    (ItemKind.GP_PRACTICE, Source.EARLY_HELP_WORKER, "Riverside Medical Practice, visit {n}"),
    (ItemKind.ATTENDANCE, Source.SCHOOLS_ONE_SYSTEM, "Attendance {n}% this half-term"),
    (ItemKind.EXCLUSION, Source.SCHOOLS_ONE_SYSTEM, "Fixed-term exclusion, one day ({n})"),
    (ItemKind.EHCP, Source.SCHOOLS_ONE_SYSTEM, "EHCP annual review {n}"),
    (ItemKind.OUT_OF_WORK_BENEFIT, Source.DWP, "Universal Credit in payment, period {n}"),
    (ItemKind.FINANCIAL_EXCLUSION, Source.DWP, "No bank account, noted {n}"),
    (ItemKind.NEET_STATUS, Source.NEET_DATA, "Not in education or training, check {n}"),
    (ItemKind.POLICE_INCIDENT, Source.WEST_MERCIA_POLICE, "Incident log {n}: disturbance"),
    (ItemKind.YOUTH_JUSTICE, Source.YOUTH_JUSTICE_TEAM, "Out-of-court disposal review {n}"),
    (ItemKind.SOCIAL_CARE_INVOLVEMENT, Source.SOCIAL_CARE_LIQUIDLOGIC, "Child in need plan {n}"),
    (ItemKind.ASSESSMENT_NEED, Source.EARLY_HELP_WORKER, "Support with routines, need {n}"),
)

# Parents before children, for the foreign keys.
WRITE_ORDER: tuple[Any, ...] = (
    Household,
    Person,
    HouseholdMembership,
    Relationship,
    Account,
    DataItem,
    Restriction,
    SharingEvent,
    sharing_event_items,
    CopyRequest,
    CopyItemTreatment,
)


def ensure_large_household(db: Session, tag: str, items: int, today: dt.date) -> list[uuid.UUID]:
    """The ids of the household's copy requests, adding the household first if it is missing
    (the caller commits). Needs the partners and a DPO officer of the demo data."""
    reference = f"EH-{tag}"
    if db.scalar(select(Household.id).where(Household.reference == reference)) is None:
        _LargeHousehold(db, tag, items, today).add()
    wanted = select(CopyRequest.id).where(CopyRequest.reference.like(f"SAR-{tag}%"))
    return list(db.scalars(wanted.order_by(CopyRequest.reference)))


class _LargeHousehold:
    """The rows of one household, written in bulk (thousands of ORM objects would be slow)."""

    def __init__(self, db: Session, tag: str, items: int, today: dt.date) -> None:
        self.db, self.tag, self.items, self.today = db, tag, items, today
        self.rng = random.Random(tag)
        self.keyring = keyring_of(db.get_bind().dialect)
        self.partners = list(db.scalars(select(Partner.id).order_by(Partner.code)))
        officer = select(Account.id).where(Account.role == Role.DPO_OFFICER).limit(1)
        self.officer = db.scalar(officer)
        if self.officer is None or not self.partners:
            raise LookupError("load the demo data first (flask --app portal demo-data)")
        self.rows: dict[Any, list[dict[str, Any]]] = {}

    def add(self) -> None:
        household = self._row(Household, reference=f"EH-{self.tag}")
        people = {name: self._person(name, age, household) for name, age, _, _ in (*MEMBERS, CHILD)}
        owned = {name: self._items(people[name], share) for name, _, share, _ in (*MEMBERS, CHILD)}
        self._relationships(people)
        for name, _, _, has_account in MEMBERS:
            if has_account:
                self._account(name, people[name])
        self._restrict(owned["Child"], people["Parent"])
        self._request(1, people["Parent"], people["Parent"], owned["Parent"])
        self._request(2, people["Parent"], people["Child"], [])
        self._request(3, people["Partner"], people["Partner"], owned["Partner"])
        self._request(4, people["Teen"], people["Teen"], [])
        for table in WRITE_ORDER:
            self._write(table)

    def _row(self, table: Any, **values: Any) -> uuid.UUID:
        if table is not sharing_event_items and table is not CopyItemTreatment:
            values.setdefault("id", demo_id(f"{self.tag}:{table.__tablename__}:{self._count()}"))
        self.rows.setdefault(table, []).append(values)
        return values.get("id")  # type: ignore[return-value]

    def _count(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def _write(self, table: Any) -> None:
        if self.rows.get(table):
            target = getattr(table, "__table__", table)
            self.db.execute(insert(target), self.rows[table])

    def _person(self, name: str, age: int, household: uuid.UUID) -> uuid.UUID:
        born = self.today - dt.timedelta(days=age * 365 + self.rng.randint(20, 300))
        person = self._row(
            Person,
            given_name=name,
            family_name=f"Bench{self.tag.title()}",
            date_of_birth=born,
            recorded_on=self.today - dt.timedelta(days=2000),
            shares_record_with_guardians=False,
        )
        self._row(
            HouseholdMembership,
            household_id=household,
            person_id=person,
            started_on=self.today - dt.timedelta(days=2000),
            ended_on=None,
        )
        return person

    def _relationships(self, people: dict[str, uuid.UUID]) -> None:
        for child in ("Teen", "Child"):
            self._row(
                Relationship,
                person_id=people["Parent"],
                related_person_id=people[child],
                kind=RelationshipKind.PARENT,
                parental_responsibility=True,
                started_on=self.today - dt.timedelta(days=5000),
                ended_on=None,
            )

    def _account(self, name: str, person: uuid.UUID) -> None:
        self._row(
            Account,
            email=f"{self.tag.lower()}-{name.lower()}@example.com",
            role=Role.FAMILY,
            person_id=person,
            created_at=dt.datetime.now(dt.UTC),
            email_confirmed_at=dt.datetime.now(dt.UTC),
            language="en",
        )

    def _items(self, person: uuid.UUID, share: float) -> list[uuid.UUID]:
        """The person's items, and sharing events that each carried two or three of them.
        One in 50 is withheld, which leaves it and the sharing that carried it out of the copy."""
        ids = [self._item(person, n) for n in range(round(self.items * share))]
        for start in range(0, len(ids) - 2, 4):
            self._sharing(person, ids[start : start + self.rng.choice((2, 3))])
        return ids

    def _item(self, person: uuid.UUID, n: int) -> uuid.UUID:
        kind, source, pattern = FACTS[n % len(FACTS)]
        value = self._value(pattern, n)
        return self._row(
            DataItem,
            person_id=person,
            kind=kind,
            value=value,
            lookup_hash=lookup_hash(self.keyring, kind, value),
            source=source,
            obtained_on=self.today - dt.timedelta(days=self.rng.randint(1, 1800)),
            recorded_at=dt.datetime.now(dt.UTC),
            sensitivity=Sensitivity.WITHHELD if n % 50 == 49 else Sensitivity.NORMAL,
            outcome_area=None,
            assessment_id=None,
            channel_unsafe=False,
        )

    def _value(self, pattern: str, n: int) -> str:
        made = {"phone": phone_number, "nhs": nhs_number, "ni": ni_number}.get(pattern)
        return made(self.rng) if made else pattern.format(n=n)

    def _sharing(self, person: uuid.UUID, items: list[uuid.UUID]) -> None:
        event = self._row(
            SharingEvent,
            person_id=person,
            partner_id=self.rng.choice(self.partners),
            shared_on=self.today - dt.timedelta(days=self.rng.randint(1, 1800)),
            purpose=self.rng.choice(list(SharingPurpose)),
            lawful_basis=self.rng.choice(list(LawfulBasis)),
        )
        for item in items:
            self._row(sharing_event_items, sharing_event_id=event, item_id=item)

    def _restrict(self, items: list[uuid.UUID], person: uuid.UUID) -> None:
        """One in 20 of the child's items is restricted from the parent who asks for them."""
        for item in items[7::20]:
            self._row(
                Restriction,
                item_id=item,
                restricted_person_id=person,
                reason="Child protection plan: not to be shared with this parent",
                set_by="Early Help team manager",
                set_on=self.today - dt.timedelta(days=30),
                review_on=self.today + dt.timedelta(days=150),
            )

    def _request(
        self, number: int, requester: uuid.UUID, subject: uuid.UUID, treat: list[uuid.UUID]
    ) -> None:
        account = next(row["id"] for row in self.rows[Account] if row["person_id"] == requester)
        received = self.today - dt.timedelta(days=3)
        request = self._row(
            CopyRequest,
            reference=f"SAR-{self.tag}{number:02d}",
            submission_key=f"{self.tag}-copy-{number}",
            requester_account_id=account,
            subject_person_id=subject,
            everything=True,
            categories=[],
            delivery=CopyDelivery.DOWNLOAD,
            language="cy" if number == 3 else "en",
            received_at=dt.datetime.now(dt.UTC),
            received_on=received,
            due_on=due_date(received, 0, 0),
        )
        self._treat(request, treat)

    def _treat(self, request: uuid.UUID, items: list[uuid.UUID]) -> None:
        """An officer left one in 40 items out (crime) and redacted one in 40 (third party)."""
        for index, item in enumerate(items[3::20]):
            leave_out = index % 2 == 0
            self._row(
                CopyItemTreatment,
                copy_request_id=request,
                item_id=item,
                treatment=CopyTreatment.LEAVE_OUT if leave_out else CopyTreatment.REDACT,
                reason=CopyReason.CRIME if leave_out else CopyReason.THIRD_PARTY,
                note="Exemption applied for the benchmark household",
                decided_by_id=self.officer,
                decided_at=dt.datetime.now(dt.UTC),
            )
