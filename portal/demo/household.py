"""The demo household that every test and every new user can rely on (DESIGN.md).

Ages are set relative to the day the data is loaded, so the 15-year-old is
15 and the 9-year-old is 9 whenever the demo is built.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.demo.complaints import build_demo_complaints
from portal.demo.copy_requests import build_demo_copy_requests
from portal.demo.synthetic import demo_id, nhs_number, ni_number
from portal.models import (
    Account,
    Assessment,
    DataItem,
    Household,
    HouseholdMembership,
    Partner,
    Person,
    Relationship,
    Restriction,
    SharingEvent,
)
from portal.passwords import hash_password
from portal.services.guardian_approval import open_request
from portal.vocabulary import (
    ItemKind,
    LawfulBasis,
    OutcomeArea,
    RelationshipKind,
    Role,
    Sensitivity,
    SharingPurpose,
    Source,
)

DEMO_REFERENCE = "EH-000001"
NEW_ADDRESS = "14 Alder Close, Shrewsbury, SY99 1AA"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    who: str
    # Staff with a local password must use two-step sign-in: add this key to an authenticator app.
    totp_secret: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount(
        "sam.rivers@example.com", "lantern-orchard-parent", "parent with parental responsibility"
    ),
    DemoAccount("alex.morgan@example.com", "harbour-meadow-adult", "second adult in the household"),
    DemoAccount(
        "jamie.rivers@example.com",
        "comet-bramble-fifteen",
        "15-year-old, record not shared with parents",
    ),
    DemoAccount(
        "ellie.rivers@example.com",
        "pebble-kite-nine",
        "9-year-old waiting for a guardian's approval",
    ),
    DemoAccount(
        "lee.rivers@example.com",
        "granite-willow-former",
        "former household member, restricted from the new address",
    ),
    DemoAccount(
        "dpo.officer@example.com",
        "beacon-ledger-officer",
        "DPO officer",
        "KRUGKIDEMOSECRETFORPORTALOFFICER",
    ),
    DemoAccount(
        "dpo.reviewer@example.com",
        "meadow-lantern-reviewer",
        "second DPO officer, who approves redacted copies",
        "REVIEWERDEMOSECRETFORTHEPORTAL22",
    ),
    DemoAccount(
        "portal.admin@example.com",
        "quarry-signal-admin",
        "administrator",
        "ADMINDEMOSECRETFORTHEPORTALSTAFF",
    ),
)


class _Builder:
    def __init__(self, db: Session, today: dt.date, partners: dict[str, Partner]) -> None:
        self.db = db
        self.today = today
        self.partners = partners
        self.rng = random.Random(1)
        self.items: dict[str, DataItem] = {}

    def ago(self, **delta: int) -> dt.date:
        return self.today - relativedelta(**delta)  # type: ignore[arg-type]

    def person(self, key: str, given: str, family: str, born: dt.date) -> Person:
        person = Person(
            id=demo_id(f"person:{key}"),
            given_name=given,
            family_name=family,
            date_of_birth=born,
            recorded_on=self.ago(months=14),
        )
        self.db.add(person)
        return person

    def item(
        self,
        key: str,
        person: Person,
        kind: ItemKind,
        value: str,
        source: Source,
        months_ago: int,
        **extra: object,
    ) -> DataItem:
        item = DataItem(
            id=demo_id(f"item:{key}"),
            person_id=person.id,
            kind=kind,
            value=value,
            source=source,
            obtained_on=self.ago(months=months_ago),
            **extra,
        )
        self.db.add(item)
        self.items[key] = item
        return item

    def identifiers(self, key: str, person: Person) -> None:
        self.item(
            f"{key}-nhs",
            person,
            ItemKind.NHS_NUMBER,
            nhs_number(self.rng),
            Source.EARLY_HELP_WORKER,
            13,
        )
        if self.today.year - person.date_of_birth.year >= 16:
            self.item(f"{key}-ni", person, ItemKind.NI_NUMBER, ni_number(self.rng), Source.DWP, 12)

    def restrict(self, item_keys: list[str], person: Person) -> None:
        for key in item_keys:
            self.db.add(
                Restriction(
                    id=demo_id(f"restriction:{key}:{person.id}"),
                    item_id=self.items[key].id,
                    restricted_person_id=person.id,
                    reason="Non-molestation order: must not learn the family's new address or the places that reveal it.",
                    set_by="Early Help team manager",
                    set_on=self.ago(months=10),
                    review_on=self.today + relativedelta(months=2),
                )
            )

    def shared(
        self,
        key: str,
        person: Person,
        partner: str,
        basis: LawfulBasis,
        purpose: SharingPurpose,
        item_keys: list[str],
        months_ago: int,
    ) -> None:
        self.db.add(
            SharingEvent(
                id=demo_id(f"sharing:{key}"),
                person_id=person.id,
                partner_id=self.partners[partner].id,
                shared_on=self.ago(months=months_ago),
                purpose=purpose,
                lawful_basis=basis,
                items=[self.items[k] for k in item_keys],
            )
        )


def build_demo_household(
    db: Session, now: dt.datetime, partners: dict[str, Partner], public_url: str
) -> None:
    """Adds the demo household, its complaints and copy requests, to `db` (the caller
    commits)."""
    b = _Builder(db, london_today(now), partners)
    household = Household(id=demo_id("household"), reference=DEMO_REFERENCE)
    db.add(household)
    sam = b.person("sam", "Sam", "Rivers", b.ago(years=38, days=57))
    alex = b.person("alex", "Alex", "Morgan", b.ago(years=41, days=203))
    jamie = b.person("jamie", "Jamie", "Rivers", b.ago(years=15, days=140))
    ellie = b.person("ellie", "Ellie", "Rivers", b.ago(years=9, days=88))
    lee = b.person("lee", "Lee", "Rivers", b.ago(years=40, days=12))
    db.flush()
    _household_links(b, household, sam, alex, jamie, ellie, lee)
    _items(b, sam, alex, jamie, ellie, lee)
    db.flush()
    b.restrict(
        [
            "ellie-address",
            "ellie-school",
            "ellie-gp",
            "jamie-address",
            "jamie-school",
            "sam-address",
            "alex-address",
        ],
        lee,
    )
    _sharing(b, sam, jamie, ellie, alex)
    people = {"sam": sam, "alex": alex, "jamie": jamie, "ellie": ellie, "lee": lee}
    _accounts(db, people, now, public_url)
    build_demo_complaints(db, now)
    build_demo_copy_requests(db, now)


def _household_links(
    b: _Builder,
    household: Household,
    sam: Person,
    alex: Person,
    jamie: Person,
    ellie: Person,
    lee: Person,
) -> None:
    start, left = b.ago(years=16), b.ago(months=18)
    for person in (sam, jamie, ellie):
        b.db.add(
            HouseholdMembership(household_id=household.id, person_id=person.id, started_on=start)
        )
    b.db.add(
        HouseholdMembership(
            household_id=household.id, person_id=alex.id, started_on=b.ago(months=9)
        )
    )
    b.db.add(
        HouseholdMembership(
            household_id=household.id, person_id=lee.id, started_on=start, ended_on=left
        )
    )
    for parent in (sam, lee):
        for child in (jamie, ellie):
            b.db.add(
                Relationship(
                    person_id=parent.id,
                    related_person_id=child.id,
                    kind=RelationshipKind.PARENT,
                    parental_responsibility=True,
                    started_on=child.date_of_birth,
                )
            )
    for child in (jamie, ellie):
        b.db.add(
            Relationship(
                person_id=alex.id,
                related_person_id=child.id,
                kind=RelationshipKind.STEP_PARENT,
                parental_responsibility=False,
                started_on=b.ago(months=9),
            )
        )
    b.db.add(
        Relationship(
            person_id=alex.id,
            related_person_id=sam.id,
            kind=RelationshipKind.PARTNER,
            started_on=b.ago(months=9),
        )
    )
    b.db.add(
        Assessment(
            id=demo_id("assessment"),
            household_id=household.id,
            started_on=b.ago(months=8),
            completed_on=b.ago(months=7),
        )
    )


def _items(
    b: _Builder, sam: Person, alex: Person, jamie: Person, ellie: Person, lee: Person
) -> None:
    assessment = demo_id("assessment")
    F, W = Source.FAMILY, Source.EARLY_HELP_WORKER
    b.item("sam-address", sam, ItemKind.ADDRESS, NEW_ADDRESS, F, 11)
    b.item("sam-phone", sam, ItemKind.PHONE, "07700 900123", F, 11)
    b.item("sam-email", sam, ItemKind.EMAIL, "sam.rivers@example.com", F, 11)
    b.identifiers("sam", sam)
    b.item(
        "sam-ethnicity",
        sam,
        ItemKind.ETHNIC_GROUP,
        "White: English, Welsh, Scottish, Northern Irish or British",
        W,
        8,
    )
    b.item("sam-language", sam, ItemKind.LANGUAGE, "English", W, 8)
    b.item(
        "sam-home",
        sam,
        ItemKind.HOUSEHOLD_CIRCUMSTANCES,
        "Lives with partner and two children in a housing association home",
        W,
        8,
    )
    b.item(
        "sam-arrears",
        sam,
        ItemKind.RENT_ARREARS,
        "£640 rent arrears; repayment plan agreed",
        Source.HOUSING,
        6,
    )
    b.item(
        "sam-homeless",
        sam,
        ItemKind.HOMELESSNESS_RISK,
        "Prevention duty accepted by Housing Options",
        Source.HOUSING,
        12,
    )
    b.item(
        "sam-uc",
        sam,
        ItemKind.OUT_OF_WORK_BENEFIT,
        "Universal Credit, no work-related requirements",
        Source.DWP,
        5,
    )
    b.item(
        "sam-health",
        sam,
        ItemKind.HEALTH_NOTE,
        "Anxiety; supported by GP",
        F,
        8,
        sensitivity=Sensitivity.RESTRICTED,
    )
    b.item(
        "sam-police",
        sam,
        ItemKind.POLICE_INCIDENT,
        "Domestic abuse incident report and MARAC referral",
        Source.WEST_MERCIA_POLICE,
        10,
        sensitivity=Sensitivity.WITHHELD,
    )
    b.item(
        "sam-need-safety",
        sam,
        ItemKind.ASSESSMENT_NEED,
        "Support to stay safe after separation; Freedom Programme place offered",
        W,
        7,
        outcome_area=OutcomeArea.SAFE_IN_RELATIONSHIPS,
        assessment_id=assessment,
    )
    b.item(
        "sam-need-money",
        sam,
        ItemKind.ASSESSMENT_NEED,
        "Help with budgeting and rent arrears",
        W,
        7,
        outcome_area=OutcomeArea.LIVING_STANDARDS,
        assessment_id=assessment,
    )
    b.item("alex-address", alex, ItemKind.ADDRESS, NEW_ADDRESS, F, 9)
    b.item("alex-phone", alex, ItemKind.PHONE, "07700 900456", F, 9)
    b.identifiers("alex", alex)
    b.item("alex-language", alex, ItemKind.LANGUAGE, "English", W, 8)
    b.item(
        "alex-bank",
        alex,
        ItemKind.FINANCIAL_EXCLUSION,
        "No bank account; referred to the credit union",
        Source.DWP,
        6,
    )
    b.item(
        "alex-need",
        alex,
        ItemKind.ASSESSMENT_NEED,
        "Physiotherapy for a back injury",
        W,
        7,
        outcome_area=OutcomeArea.LIVING_WELL,
        assessment_id=assessment,
    )
    b.item("jamie-address", jamie, ItemKind.ADDRESS, NEW_ADDRESS, F, 11)
    b.identifiers("jamie", jamie)
    b.item(
        "jamie-school", jamie, ItemKind.SCHOOL, "Alder Vale Academy", Source.SCHOOLS_ONE_SYSTEM, 11
    )
    b.item(
        "jamie-attendance",
        jamie,
        ItemKind.ATTENDANCE,
        "88% in the autumn term",
        Source.SCHOOLS_ONE_SYSTEM,
        1,
    )
    b.item(
        "jamie-exclusion",
        jamie,
        ItemKind.EXCLUSION,
        "Suspended for 2 days",
        Source.SCHOOLS_ONE_SYSTEM,
        2,
    )
    b.item(
        "jamie-yjt",
        jamie,
        ItemKind.YOUTH_JUSTICE,
        "Youth caution; working with the Youth Justice Team",
        Source.YOUTH_JUSTICE_TEAM,
        4,
    )
    b.item(
        "jamie-neet",
        jamie,
        ItemKind.NEET_STATUS,
        "Low risk of not being in education, employment or training",
        Source.NEET_DATA,
        3,
    )
    b.item(
        "jamie-health",
        jamie,
        ItemKind.HEALTH_NOTE,
        "Referred to BeeU for emotional wellbeing support",
        W,
        5,
    )
    b.item(
        "jamie-need-school",
        jamie,
        ItemKind.ASSESSMENT_NEED,
        "Support to improve school attendance",
        W,
        7,
        outcome_area=OutcomeArea.EDUCATION_AND_SKILLS,
        assessment_id=assessment,
    )
    b.item(
        "jamie-need-community",
        jamie,
        ItemKind.ASSESSMENT_NEED,
        "Mentoring to reduce the risk of exploitation",
        W,
        7,
        outcome_area=OutcomeArea.SAFE_IN_COMMUNITY,
        assessment_id=assessment,
    )
    b.item("ellie-address", ellie, ItemKind.ADDRESS, NEW_ADDRESS, F, 11)
    b.identifiers("ellie", ellie)
    b.item("ellie-language", ellie, ItemKind.LANGUAGE, "English", W, 8)
    b.item(
        "ellie-school",
        ellie,
        ItemKind.SCHOOL,
        "Alder Vale Primary School",
        Source.SCHOOLS_ONE_SYSTEM,
        11,
    )
    b.item("ellie-gp", ellie, ItemKind.GP_PRACTICE, "Riverside Medical Practice", F, 11)
    b.item(
        "ellie-attendance",
        ellie,
        ItemKind.ATTENDANCE,
        "96% in the autumn term",
        Source.SCHOOLS_ONE_SYSTEM,
        1,
    )
    b.item(
        "ellie-ehcp",
        ellie,
        ItemKind.EHCP,
        "Plan for speech, language and communication needs",
        Source.SCHOOLS_ONE_SYSTEM,
        9,
    )
    b.item(
        "ellie-early-years",
        ellie,
        ItemKind.EARLY_YEARS_PLACE,
        "Funded 3-and-4-year-old place (past)",
        Source.SCHOOLS_ONE_SYSTEM,
        13,
    )
    b.item("ellie-health", ellie, ItemKind.HEALTH_NOTE, "Asthma; inhaler kept at school", F, 8)
    b.item(
        "ellie-care",
        ellie,
        ItemKind.SOCIAL_CARE_INVOLVEMENT,
        "Child in need plan, now closed",
        Source.SOCIAL_CARE_LIQUIDLOGIC,
        12,
    )
    b.item(
        "ellie-need",
        ellie,
        ItemKind.ASSESSMENT_NEED,
        "Speech and language support at home",
        W,
        7,
        outcome_area=OutcomeArea.EARLY_YEARS,
        assessment_id=assessment,
    )
    b.item("lee-address", lee, ItemKind.ADDRESS, "Flat 3, 27 Mill Lane, Telford, TF99 1ZZ", F, 14)
    b.item("lee-phone", lee, ItemKind.PHONE, "07700 900789", F, 14)
    b.identifiers("lee", lee)


def _sharing(b: _Builder, sam: Person, jamie: Person, ellie: Person, alex: Person) -> None:
    b.shared(
        "health-visit",
        sam,
        "community-health-trust",
        LawfulBasis.PUBLIC_TASK,
        SharingPurpose.COORDINATE_SUPPORT,
        ["sam-phone", "sam-need-safety"],
        6,
    )
    b.shared(
        "school",
        ellie,
        "schools-and-colleges",
        LawfulBasis.DEA_CONDITION_1,
        SharingPurpose.EDUCATION_SUPPORT,
        ["ellie-attendance", "ellie-ehcp", "ellie-language"],
        3,
    )
    b.shared(
        "housing",
        sam,
        "housing-providers",
        LawfulBasis.DEA_CONDITION_2,
        SharingPurpose.HOUSING_SUPPORT,
        ["sam-arrears"],
        5,
    )
    b.shared(
        "police",
        ellie,
        "west-mercia-police",
        LawfulBasis.SAFEGUARDING,
        SharingPurpose.KEEP_CHILD_SAFE,
        ["ellie-address", "ellie-school"],
        10,
    )
    b.shared(
        "court",
        jamie,
        "west-mercia-police",
        LawfulBasis.COURT_ORDER,
        SharingPurpose.COURT_PROCEEDINGS,
        ["jamie-yjt"],
        4,
    )
    b.shared(
        "beeu",
        jamie,
        "midlands-partnership",
        LawfulBasis.PUBLIC_TASK,
        SharingPurpose.HEALTH_SUPPORT,
        ["jamie-health"],
        5,
    )
    b.shared(
        "evaluation",
        alex,
        "national-government",
        LawfulBasis.RESEARCH,
        SharingPurpose.PROGRAMME_EVALUATION,
        ["alex-need"],
        2,
    )


STAFF_NAMES = {
    "dpo.officer@example.com": "Priya Shah",
    "dpo.reviewer@example.com": "Rhys Evans",
    "portal.admin@example.com": "Morgan Hale",
}


def _accounts(
    db: Session,
    people: dict[str, Person],
    now: dt.datetime,
    public_url: str,
) -> None:
    for demo in DEMO_ACCOUNTS:
        key = demo.email.split(".")[0]
        person = people.get(key)
        role = Role.FAMILY if person else (Role.DPO_OFFICER if key == "dpo" else Role.ADMINISTRATOR)
        db.add(
            Account(
                id=demo_id(f"account:{demo.email}"),
                email=demo.email,
                password_hash=hash_password(demo.password),
                role=role,
                person_id=person.id if person else None,
                display_name=None if person else STAFF_NAMES[demo.email],
                team=None
                if person
                else ("Information Governance" if key == "dpo" else "Digital Services"),
                email_confirmed_at=now,
                password_changed_at=now,
                totp_secret=demo.totp_secret,
                totp_enabled_at=now if demo.totp_secret else None,
            )
        )
    db.flush()
    # Ellie's account waits for a guardian: the same request a real sign-up opens, so Sam
    # sees the task and Lee (restricted) is never asked.
    ellie_account = db.get(Account, demo_id("account:ellie.rivers@example.com"))
    assert ellie_account is not None
    open_request(db, ellie_account, now, public_url)
