"""Plain keyword-only factories for records the demo household does not have."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.deadlines import complaint_acknowledgement_due, statutory_due_date
from portal.models import (
    Account,
    Assessment,
    AuthSession,
    Complaint,
    CopyRequest,
    CorrectionEvent,
    CorrectionRequest,
    DataItem,
    Household,
    HouseholdMembership,
    InvitationCode,
    Notification,
    NotificationKind,
    Partner,
    Person,
    Relationship,
    Restriction,
    SharingEvent,
)
from portal.references import new_reference
from portal.services.copy_requests import due_date
from portal.services.invitations import issue_code
from portal.vocabulary import (
    Category,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    CopyDelivery,
    CopyStatus,
    CorrectionStatus,
    ItemKind,
    LawfulBasis,
    OutcomeArea,
    PersonField,
    RelationshipKind,
    Role,
    SharingPurpose,
    Source,
)
from tests.conftest import person_id

SECRET = "test-only-secret-key-not-for-production"
DPO = uuid.uuid5(
    uuid.UUID("6f1d2c1e-8a55-4c1b-9a57-3d1c2b7f9e10"), "account:dpo.officer@example.com"
)


def make_person(db: Session, *, given_name: str, age_years: int, extra_days: int = 30) -> Person:
    today = london_today()
    person = Person(
        given_name=given_name,
        family_name="Rivers",
        date_of_birth=today - relativedelta(years=age_years, days=extra_days),
        recorded_on=today,
    )
    db.add(person)
    db.flush()
    return person


def make_child_of_the_demo_household(
    db: Session, *, given_name: str, age_years: int, extra_days: int = 30
) -> Person:
    """A child for whom Sam and Lee hold parental responsibility; Lee is restricted from their
    address, as from Ellie's."""
    child = make_person(db, given_name=given_name, age_years=age_years, extra_days=extra_days)
    for parent in ("sam", "lee"):
        db.add(
            Relationship(
                person_id=person_id(parent),
                related_person_id=child.id,
                kind=RelationshipKind.PARENT,
                parental_responsibility=True,
                started_on=child.date_of_birth,
            )
        )
    address = DataItem(
        person_id=child.id,
        kind=ItemKind.ADDRESS,
        value="14 Alder Close",
        source=Source.FAMILY,
        obtained_on=london_today(),
    )
    address.restrictions = [
        Restriction(
            restricted_person_id=person_id("lee"),
            reason="safety",
            set_by="team manager",
            set_on=london_today(),
            review_on=london_today() + relativedelta(months=3),
        )
    ]
    db.add(address)
    db.commit()
    return child


def invitation_for(db: Session, person: Person) -> str:
    staff = db.get(Account, DPO)
    assert staff is not None
    return issue_code(
        db, staff=staff, person=person, now=dt.datetime.now(dt.UTC), secret=SECRET, session_ref=None
    )


def outbox(db: Session, to_address: str) -> list[Notification]:
    db.expire_all()
    return list(
        db.scalars(
            select(Notification)
            .where(Notification.to_address == to_address)
            .order_by(Notification.created_at)
        )
    )


def link_in(notification: Notification) -> str:
    """The path of the link an email carries (the test app's PUBLIC_URL is http://localhost)."""
    return notification.personalisation["link"].removeprefix("http://localhost")


def logged_complaint(
    db: Session,
    *,
    received_on: dt.date | None = None,
    status: ComplaintStatus = ComplaintStatus.NEW,
    category: ComplaintCategory = ComplaintCategory.OTHER,
    channel: ComplaintChannel = ComplaintChannel.POST,
    assigned_to: Account | None = None,
    name: str = "Robin Example",
    email: str | None = None,
    about: Person | None = None,
    commit: bool = True,
) -> Complaint:
    """A complaint the DPO officer logged from a letter, with its dates counted as the service
    counts them; for queues that need many quickly."""
    received_on = received_on or london_today()
    complaint = Complaint(
        reference=new_reference("CMP"),
        submission_key=uuid.uuid4().hex,
        channel=channel,
        category=category,
        complainant_name=name,
        complainant_email=email,
        complainant_address="1 Example Street, Shrewsbury, SY99 9ZZ",
        about_person_id=about.id if about else None,
        what_happened="What happened",
        desired_outcome="What they want",
        received_on=received_on,
        acknowledgement_due_on=complaint_acknowledgement_due(received_on),
        response_due_on=statutory_due_date(received_on),
        status=status,
        logged_by_account_id=DPO,
        assigned_account_id=assigned_to.id if assigned_to else None,
        assigned_at=dt.datetime.now(dt.UTC) if assigned_to else None,
    )
    db.add(complaint)
    if commit:
        db.commit()
    return complaint


def copy_request(
    db: Session,
    *,
    requester: Account,
    subject: Person | None = None,
    received_on: dt.date | None = None,
    status: CopyStatus | None = None,
    assigned_to: Account | None = None,
    categories: tuple[Category, ...] = (),
    delivery: CopyDelivery | None = None,
    commit: bool = True,
) -> CopyRequest:
    """A request for a copy of `subject`'s data (the requester's own by default), its due
    date counted as the service counts it; for queues that need many quickly. Nothing checks
    that the requester may ask for the subject: tests of that use the service."""
    received_on = received_on or london_today()
    request = CopyRequest(
        reference=new_reference("SAR"),
        submission_key=uuid.uuid4().hex,
        requester_account_id=requester.id,
        subject_person_id=subject.id if subject else requester.person_id,
        everything=not categories,
        categories=[category.value for category in categories],
        delivery=delivery or CopyDelivery.DOWNLOAD,
        language=requester.language,
        received_at=dt.datetime.now(dt.UTC),
        received_on=received_on,
        due_on=due_date(received_on, 0, 0),
        status=status or CopyStatus.RECEIVED,
        assigned_account_id=assigned_to.id if assigned_to else None,
        assigned_at=dt.datetime.now(dt.UTC) if assigned_to else None,
    )
    db.add(request)
    if commit:
        db.commit()
    return request


def another_officer(db: Session, name: str = "Dana Officer") -> Account:
    """A DPO officer besides the demo one, in the same team."""
    officer = Account(
        email=f"{uuid.uuid4().hex[:8]}@example.com",
        role=Role.DPO_OFFICER,
        display_name=name,
        team="Information Governance",
    )
    db.add(officer)
    db.commit()
    return officer


@dataclass
class CaseHousehold:
    household: Household
    adult: Person
    child: Person | None
    account: Account


def case_household(
    db: Session,
    *,
    adult_born: dt.date,
    child_born: dt.date | None = None,
    recorded_on: dt.date | None = None,
) -> CaseHousehold:
    """A household with an adult (who has an account, signed in, and was sent an email) and,
    if `child_born`, their child; items, a restriction, a sharing event, an assessment.
    Everything is dated `recorded_on` (by default the child's or adult's birth)."""
    on = recorded_on or child_born or adult_born
    household = Household(reference=new_reference("EH"))
    adult = _case_person(db, household, "Morgan", adult_born, on)
    child = _case_person(db, household, "Robin", child_born, on) if child_born else None
    if child is not None:
        db.add(
            Relationship(
                person_id=adult.id,
                related_person_id=child.id,
                kind=RelationshipKind.PARENT,
                parental_responsibility=True,
                started_on=child.date_of_birth,
            )
        )
    _case_record(db, household, adult, child, on)
    account = _case_account(db, adult)
    db.commit()
    return CaseHousehold(household, adult, child, account)


def _case_person(
    db: Session, household: Household, given_name: str, born: dt.date, on: dt.date
) -> Person:
    person = Person(
        given_name=given_name, family_name="Oldcase", date_of_birth=born, recorded_on=on
    )
    db.add_all([person, household])
    db.flush()
    db.add(HouseholdMembership(household_id=household.id, person_id=person.id, started_on=on))
    return person


def _case_record(
    db: Session, household: Household, adult: Person, child: Person | None, on: dt.date
) -> None:
    assessment = Assessment(household_id=household.id, started_on=on, completed_on=on)
    db.add(assessment)
    db.flush()
    for person in filter(None, (adult, child)):
        address = DataItem(
            person_id=person.id,
            kind=ItemKind.ADDRESS,
            value="7 Oldcase Row, Ludlow, SY99 7ZZ",
            source=Source.FAMILY,
            obtained_on=on,
        )
        need = DataItem(
            person_id=person.id,
            kind=ItemKind.ASSESSMENT_NEED,
            value="Oldcase need",
            source=Source.EARLY_HELP_WORKER,
            obtained_on=on,
            outcome_area=OutcomeArea.LIVING_WELL,
            assessment_id=assessment.id,
        )
        db.add_all([address, need])
        db.flush()
        partner = db.scalars(select(Partner).order_by(Partner.code)).first()
        assert partner is not None
        db.add(
            SharingEvent(
                person_id=person.id,
                partner_id=partner.id,
                shared_on=on,
                purpose=SharingPurpose.COORDINATE_SUPPORT,
                lawful_basis=LawfulBasis.PUBLIC_TASK,
                items=[address],
            )
        )


def _case_account(db: Session, adult: Person) -> Account:
    account = Account(
        email=f"oldcase-{uuid.uuid4().hex[:8]}@example.com", role=Role.FAMILY, person_id=adult.id
    )
    db.add(account)
    db.flush()
    now = dt.datetime.now(dt.UTC)
    db.add(
        AuthSession(
            token_hash=uuid.uuid4().hex,
            account_id=account.id,
            expires_at=now + dt.timedelta(hours=1),
        )
    )
    db.add(Notification(kind=NotificationKind.CONFIRM_EMAIL, to_address=account.email))
    return account


def unused_invitation(db: Session, *, person: Person, issued_at: dt.datetime) -> InvitationCode:
    code = InvitationCode(
        code_hash=uuid.uuid4().hex,
        person_id=person.id,
        issued_by_account_id=DPO,
        issued_at=issued_at,
        expires_at=issued_at + dt.timedelta(days=30),
    )
    db.add(code)
    db.commit()
    return code


def decided_correction(
    db: Session,
    *,
    person: Person,
    requester: Account,
    decided_at: dt.datetime,
    status: CorrectionStatus = CorrectionStatus.ACCEPTED,
) -> CorrectionRequest:
    """A decided request to correct `person`'s name, with an event and a task."""
    request = CorrectionRequest(
        reference=new_reference("COR"),
        submission_key=uuid.uuid4().hex,
        person_field=PersonField.NAME,
        person_id=person.id,
        requested_by_account_id=requester.id,
        received_at=decided_at - dt.timedelta(days=20),
        received_on=london_today(decided_at - dt.timedelta(days=20)),
        what_is_wrong="Oldcase spelling",
        should_say="Oldcase Spelling",
        why="Oldcase reasons",
        status=status,
        due_on=london_today(decided_at),
        decided_at=decided_at,
        decision_text="Oldcase decision",
    )
    request.events = [CorrectionEvent(at=decided_at, action="accepted", note="Oldcase note")]
    db.add(request)
    db.commit()
    return request


def closed_copy_request(
    db: Session, *, requester: Account, closed_at: dt.datetime, subject: Person | None = None
) -> CopyRequest:
    """A request for a copy, released at `closed_at`, its ZIP already deleted."""
    request = copy_request(
        db,
        requester=requester,
        subject=subject,
        received_on=london_today(closed_at - dt.timedelta(days=20)),
        status=CopyStatus.RELEASED,
        commit=False,
    )
    request.released_at = request.closed_at = closed_at
    db.commit()
    return request
