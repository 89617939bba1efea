"""The portal's fixed vocabularies and the words families see for them.

Each enum's value is what the database stores; `label()` gives the
translated wording. Forms and templates use these, so one word is defined in
one place.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import LazyString

from portal.i18n import lazy_gettext as _l


class Role(StrEnum):
    FAMILY = "family"
    DPO_OFFICER = "dpo_officer"
    ADMINISTRATOR = "administrator"


class Sensitivity(StrEnum):
    NORMAL = "normal"
    # Processing restricted (UK GDPR Article 18): kept, shown to the family, not used.
    RESTRICTED = "restricted"
    # Exempt from disclosure to the family: shown to no family member, leaves no trace.
    WITHHELD = "withheld"


class Category(StrEnum):
    """The privacy notice's categories, in the order families see them."""

    PERSONAL_DETAILS = "personal_details"
    IDENTIFIERS = "identifiers"
    CHARACTERISTICS = "characteristics"
    HOME_CIRCUMSTANCES = "home_circumstances"
    HEALTH = "health"
    EDUCATION = "education"
    WORK_AND_MONEY = "work_and_money"
    POLICE_AND_JUSTICE = "police_and_justice"
    SOCIAL_CARE = "social_care"
    EARLY_HELP = "early_help"


class ItemKind(StrEnum):
    ADDRESS = "address"
    PHONE = "phone"
    EMAIL = "email"
    NI_NUMBER = "ni_number"
    NHS_NUMBER = "nhs_number"
    ETHNIC_GROUP = "ethnic_group"
    LANGUAGE = "language"
    HOUSEHOLD_CIRCUMSTANCES = "household_circumstances"
    HOMELESSNESS_RISK = "homelessness_risk"
    RENT_ARREARS = "rent_arrears"
    HEALTH_NOTE = "health_note"
    GP_PRACTICE = "gp_practice"
    SCHOOL = "school"
    ATTENDANCE = "attendance"
    EXCLUSION = "exclusion"
    EHCP = "ehcp"
    EARLY_YEARS_PLACE = "early_years_place"
    OUT_OF_WORK_BENEFIT = "out_of_work_benefit"
    FINANCIAL_EXCLUSION = "financial_exclusion"
    NEET_STATUS = "neet_status"
    POLICE_INCIDENT = "police_incident"
    YOUTH_JUSTICE = "youth_justice"
    SOCIAL_CARE_INVOLVEMENT = "social_care_involvement"
    ASSESSMENT_NEED = "assessment_need"

    @property
    def category(self) -> Category:
        return _KIND_CATEGORY[self]


_KIND_CATEGORY = {
    ItemKind.ADDRESS: Category.PERSONAL_DETAILS,
    ItemKind.PHONE: Category.PERSONAL_DETAILS,
    ItemKind.EMAIL: Category.PERSONAL_DETAILS,
    ItemKind.NI_NUMBER: Category.IDENTIFIERS,
    ItemKind.NHS_NUMBER: Category.IDENTIFIERS,
    ItemKind.ETHNIC_GROUP: Category.CHARACTERISTICS,
    ItemKind.LANGUAGE: Category.CHARACTERISTICS,
    ItemKind.HOUSEHOLD_CIRCUMSTANCES: Category.HOME_CIRCUMSTANCES,
    ItemKind.HOMELESSNESS_RISK: Category.HOME_CIRCUMSTANCES,
    ItemKind.RENT_ARREARS: Category.HOME_CIRCUMSTANCES,
    ItemKind.HEALTH_NOTE: Category.HEALTH,
    ItemKind.GP_PRACTICE: Category.HEALTH,
    ItemKind.SCHOOL: Category.EDUCATION,
    ItemKind.ATTENDANCE: Category.EDUCATION,
    ItemKind.EXCLUSION: Category.EDUCATION,
    ItemKind.EHCP: Category.EDUCATION,
    ItemKind.EARLY_YEARS_PLACE: Category.EDUCATION,
    ItemKind.OUT_OF_WORK_BENEFIT: Category.WORK_AND_MONEY,
    ItemKind.FINANCIAL_EXCLUSION: Category.WORK_AND_MONEY,
    ItemKind.NEET_STATUS: Category.WORK_AND_MONEY,
    ItemKind.POLICE_INCIDENT: Category.POLICE_AND_JUSTICE,
    ItemKind.YOUTH_JUSTICE: Category.POLICE_AND_JUSTICE,
    ItemKind.SOCIAL_CARE_INVOLVEMENT: Category.SOCIAL_CARE,
    ItemKind.ASSESSMENT_NEED: Category.EARLY_HELP,
}


class Source(StrEnum):
    FAMILY = "family"
    EARLY_HELP_WORKER = "early_help_worker"
    WEST_MERCIA_POLICE = "west_mercia_police"
    YOUTH_JUSTICE_TEAM = "youth_justice_team"
    SCHOOLS_ONE_SYSTEM = "schools_one_system"
    SOCIAL_CARE_LIQUIDLOGIC = "social_care_liquidlogic"
    DWP = "dwp"
    HOUSING = "housing"
    NEET_DATA = "neet_data"


class OutcomeArea(StrEnum):
    """The six Supporting Families outcome areas of the Early Help Assessment."""

    SAFE_IN_COMMUNITY = "safe_in_community"
    EDUCATION_AND_SKILLS = "education_and_skills"
    EARLY_YEARS = "early_years"
    LIVING_STANDARDS = "living_standards"
    SAFE_IN_RELATIONSHIPS = "safe_in_relationships"
    LIVING_WELL = "living_well"


class RelationshipKind(StrEnum):
    PARENT = "parent"
    STEP_PARENT = "step_parent"
    GUARDIAN = "guardian"
    PARTNER = "partner"


class PartnerKind(StrEnum):
    INTERNAL = "internal"
    EDUCATION = "education"
    HEALTH = "health"
    EMERGENCY_SERVICES = "emergency_services"
    PROVIDERS = "providers"
    REGULATORS_AND_GOVERNMENT = "regulators_and_government"


class LawfulBasis(StrEnum):
    PUBLIC_TASK = "public_task"
    DEA_CONDITION_1 = "dea_condition_1"
    DEA_CONDITION_2 = "dea_condition_2"
    SAFEGUARDING = "safeguarding"
    COURT_ORDER = "court_order"
    RESEARCH = "research"


class SharingPurpose(StrEnum):
    COORDINATE_SUPPORT = "coordinate_support"
    KEEP_CHILD_SAFE = "keep_child_safe"
    EDUCATION_SUPPORT = "education_support"
    HEALTH_SUPPORT = "health_support"
    HOUSING_SUPPORT = "housing_support"
    COURT_PROCEEDINGS = "court_proceedings"
    PROGRAMME_EVALUATION = "programme_evaluation"


class GuardianRequestStatus(StrEnum):
    WAITING = "waiting"
    WITH_STAFF = "with_staff"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"
    NOT_NEEDED = "not_needed"


class CorrectionStatus(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class RefusalReason(StrEnum):
    ACCURATE = "accurate"
    OPINION = "opinion"
    SOURCE_CONFIRMED = "source_confirmed"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence"
    OTHER = "other"


class CorrectionTaskKind(StrEnum):
    ASK_SOURCE = "ask_source"
    TELL_RECIPIENT = "tell_recipient"


class ViewReason(StrEnum):
    """Why a record was opened, as the family is told in "who looked at your data"."""

    RECORD = "record"
    CORRECTION = "correction"
    COMPLAINT = "complaint"
    COPY_REQUEST = "copy_request"


class ComplaintCategory(StrEnum):
    """What a complaint is about, from the privacy notice."""

    WRONG_DATA = "wrong_data"
    UNEXPECTED_SHARING = "unexpected_sharing"
    REQUEST_HANDLING = "request_handling"
    SECURITY = "security"
    OTHER = "other"


class ComplaintChannel(StrEnum):
    PORTAL = "portal"
    POST = "post"
    EMAIL = "email"
    PHONE = "phone"


class ComplaintStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    WAITING = "waiting_for_complainant"
    RESOLVED = "resolved"
    CLOSED = "closed"


class ComplaintOutcome(StrEnum):
    """The decision an outcome letter gives; each has its own template."""

    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    NOT_UPHELD = "not_upheld"


class CopyStatus(StrEnum):
    """A request for a copy of one's data (UK GDPR Article 15), from asking to release."""

    RECEIVED = "received"
    # The officer asked the requester to clarify; the clock is paused until they answer.
    WAITING = "waiting_for_requester"
    # An officer asked to release a copy that leaves out or redacts something: a second
    # officer must approve (DESIGN.md, two-person approval).
    AWAITING_APPROVAL = "awaiting_approval"
    RELEASED = "released"
    REFUSED = "refused"


class CopyDelivery(StrEnum):
    DOWNLOAD = "download"
    POST = "post"


class CopyReason(StrEnum):
    """Why something is left out of a copy or redacted in it: shown to staff, never to the
    family. The portal applies the first two itself, and third-party redaction to household
    members; officers apply third-party redaction (to an item about someone else too) and
    the exemptions."""

    RESTRICTED = "restricted"
    WITHHELD = "withheld"
    THIRD_PARTY = "third_party"
    CRIME = "crime"
    SERIOUS_HARM = "serious_harm"
    SOCIAL_WORK = "social_work"
    HEALTH = "health"
    CHILD_ABUSE = "child_abuse"
    LEGAL_PRIVILEGE = "legal_privilege"


OFFICER_REASONS = tuple(CopyReason)[2:]  # from THIRD_PARTY on


class CopyTreatment(StrEnum):
    """What an officer does with one item: leave it out, or show that it exists with its
    value redacted."""

    LEAVE_OUT = "leave_out"
    REDACT = "redact"


class CopyRefusal(StrEnum):
    """Article 12(5): the only grounds to refuse a copy, plus a requester who cannot act for
    the person it is about."""

    MANIFESTLY_UNFOUNDED = "manifestly_unfounded"
    MANIFESTLY_EXCESSIVE = "manifestly_excessive"
    NO_AUTHORITY = "no_authority"


class PersonField(StrEnum):
    """The record's core identity, held on the person rather than as data items."""

    NAME = "name"
    DATE_OF_BIRTH = "date_of_birth"


# Pairs, not a dict: Category.HEALTH and PartnerKind.HEALTH are equal strings,
# so as dict keys one would overwrite the other.
_WORDS: tuple[tuple[StrEnum, LazyString], ...] = (
    (Category.PERSONAL_DETAILS, _l("Name, date of birth and contact details")),
    (Category.IDENTIFIERS, _l("National Insurance and NHS numbers")),
    (Category.CHARACTERISTICS, _l("Ethnic group and language")),
    (Category.HOME_CIRCUMSTANCES, _l("Home circumstances and housing")),
    (Category.HEALTH, _l("Health")),
    (Category.EDUCATION, _l("Education and early years")),
    (Category.WORK_AND_MONEY, _l("Work, money and benefits")),
    (Category.POLICE_AND_JUSTICE, _l("Police and youth justice")),
    (Category.SOCIAL_CARE, _l("Children's social care")),
    (Category.EARLY_HELP, _l("Early Help Assessment")),
    (ItemKind.ADDRESS, _l("Address")),
    (ItemKind.PHONE, _l("Phone number")),
    (ItemKind.EMAIL, _l("Email address")),
    (ItemKind.NI_NUMBER, _l("National Insurance number")),
    (ItemKind.NHS_NUMBER, _l("NHS number")),
    (ItemKind.ETHNIC_GROUP, _l("Ethnic group")),
    (ItemKind.LANGUAGE, _l("Main language")),
    (ItemKind.HOUSEHOLD_CIRCUMSTANCES, _l("Household circumstances")),
    (ItemKind.HOMELESSNESS_RISK, _l("Risk of homelessness")),
    (ItemKind.RENT_ARREARS, _l("Rent arrears")),
    (ItemKind.HEALTH_NOTE, _l("Health and wellbeing")),
    (ItemKind.GP_PRACTICE, _l("GP practice")),
    (ItemKind.SCHOOL, _l("School or college")),
    (ItemKind.ATTENDANCE, _l("School attendance")),
    (ItemKind.EXCLUSION, _l("School exclusion")),
    (ItemKind.EHCP, _l("Education, health and care plan")),
    (ItemKind.EARLY_YEARS_PLACE, _l("Funded early years place")),
    (ItemKind.OUT_OF_WORK_BENEFIT, _l("Out-of-work benefits")),
    (ItemKind.FINANCIAL_EXCLUSION, _l("Financial exclusion")),
    (ItemKind.NEET_STATUS, _l("Education, employment or training status")),
    (ItemKind.POLICE_INCIDENT, _l("Police incident")),
    (ItemKind.YOUTH_JUSTICE, _l("Youth justice involvement")),
    (ItemKind.SOCIAL_CARE_INVOLVEMENT, _l("Social care involvement")),
    (ItemKind.ASSESSMENT_NEED, _l("Need identified in the assessment")),
    (Source.FAMILY, _l("You or your family")),
    (Source.EARLY_HELP_WORKER, _l("Your Early Help worker")),
    (Source.WEST_MERCIA_POLICE, _l("West Mercia Police")),
    (Source.YOUTH_JUSTICE_TEAM, _l("Youth Justice Team")),
    (Source.SCHOOLS_ONE_SYSTEM, _l("Schools and colleges (One system)")),
    (Source.SOCIAL_CARE_LIQUIDLOGIC, _l("Children's social care (Liquidlogic)")),
    (Source.DWP, _l("Department for Work and Pensions")),
    (Source.HOUSING, _l("Housing providers and Housing Options")),
    (Source.NEET_DATA, _l("Young people's education and training records")),
    (OutcomeArea.SAFE_IN_COMMUNITY, _l("Staying safe in the community")),
    (OutcomeArea.EDUCATION_AND_SKILLS, _l("Getting a good education and skills for life")),
    (OutcomeArea.EARLY_YEARS, _l("Improving children's life chances in the early years")),
    (OutcomeArea.LIVING_STANDARDS, _l("Improving living standards")),
    (OutcomeArea.SAFE_IN_RELATIONSHIPS, _l("Staying safe in relationships")),
    (OutcomeArea.LIVING_WELL, _l("Living well")),
    (LawfulBasis.PUBLIC_TASK, _l("Public task (UK GDPR Article 6(1)(e))")),
    (
        LawfulBasis.DEA_CONDITION_1,
        _l(
            "Digital Economy Act 2017 section 35, condition 1: "
            "improving or targeting a public service"
        ),
    ),
    (
        LawfulBasis.DEA_CONDITION_2,
        _l("Digital Economy Act 2017 section 35, condition 2: improving well-being"),
    ),
    (LawfulBasis.SAFEGUARDING, _l("Safeguarding duty (Children Acts 1989 and 2004)")),
    (LawfulBasis.COURT_ORDER, _l("Court order")),
    (LawfulBasis.RESEARCH, _l("Research and statistics (pseudonymised)")),
    (SharingPurpose.COORDINATE_SUPPORT, _l("To coordinate the support your family receives")),
    (SharingPurpose.KEEP_CHILD_SAFE, _l("To keep a child safe")),
    (SharingPurpose.EDUCATION_SUPPORT, _l("To support a child's education")),
    (SharingPurpose.HEALTH_SUPPORT, _l("To arrange health support")),
    (SharingPurpose.HOUSING_SUPPORT, _l("To help with housing")),
    (SharingPurpose.COURT_PROCEEDINGS, _l("Because a court ordered it")),
    (SharingPurpose.PROGRAMME_EVALUATION, _l("To evaluate the Supporting Families programme")),
    (PartnerKind.INTERNAL, _l("Council departments")),
    (PartnerKind.EDUCATION, _l("Schools, colleges and early years providers")),
    (PartnerKind.HEALTH, _l("Health services")),
    (PartnerKind.EMERGENCY_SERVICES, _l("Police and fire service")),
    (PartnerKind.PROVIDERS, _l("Commissioned, housing, voluntary and specialist providers")),
    (PartnerKind.REGULATORS_AND_GOVERNMENT, _l("Regulators and national government")),
    (RelationshipKind.PARENT, _l("Parent")),
    (RelationshipKind.STEP_PARENT, _l("Step-parent")),
    (RelationshipKind.GUARDIAN, _l("Guardian")),
    (RelationshipKind.PARTNER, _l("Partner")),
    (Role.FAMILY, _l("Family member")),
    (Role.DPO_OFFICER, _l("Data Protection Officer team")),
    (Role.ADMINISTRATOR, _l("Administrator")),
    (GuardianRequestStatus.WAITING, _l("Waiting for a guardian")),
    (GuardianRequestStatus.WITH_STAFF, _l("Needs staff: no guardian can be asked")),
    (GuardianRequestStatus.APPROVED, _l("Approved")),
    (GuardianRequestStatus.DECLINED, _l("Declined by a guardian")),
    (GuardianRequestStatus.EXPIRED, _l("Expired without an answer")),
    (GuardianRequestStatus.NOT_NEEDED, _l("No longer needed: the child is 13")),
    (CorrectionStatus.RECEIVED, _l("Received")),
    (CorrectionStatus.IN_REVIEW, _l("Being checked")),
    (CorrectionStatus.ACCEPTED, _l("Corrected")),
    (CorrectionStatus.REFUSED, _l("Not changed")),
    (RefusalReason.ACCURATE, _l("The information is accurate as recorded")),
    (RefusalReason.OPINION, _l("It records a professional's opinion, not a fact")),
    (RefusalReason.SOURCE_CONFIRMED, _l("The organisation it came from confirmed it is right")),
    (RefusalReason.NOT_ENOUGH_EVIDENCE, _l("We could not find enough evidence that it is wrong")),
    (RefusalReason.OTHER, _l("Another reason")),
    (CorrectionTaskKind.ASK_SOURCE, _l("Ask the organisation it came from to correct it")),
    (CorrectionTaskKind.TELL_RECIPIENT, _l("Tell an organisation we shared it with")),
    (ComplaintCategory.WRONG_DATA, _l("Information about me or my family is wrong")),
    (ComplaintCategory.UNEXPECTED_SHARING, _l("Information was shared in a way I did not expect")),
    (ComplaintCategory.REQUEST_HANDLING, _l("How my request was handled")),
    (ComplaintCategory.SECURITY, _l("The security of my information")),
    (ComplaintCategory.OTHER, _l("Something else")),
    (ComplaintChannel.PORTAL, _l("Online")),
    (ComplaintChannel.POST, _l("Post")),
    (ComplaintChannel.EMAIL, _l("Email")),
    (ComplaintChannel.PHONE, _l("Phone")),
    (ComplaintStatus.NEW, _l("Received")),
    (ComplaintStatus.ACKNOWLEDGED, _l("Acknowledged")),
    (ComplaintStatus.INVESTIGATING, _l("Being looked into")),
    (ComplaintStatus.WAITING, _l("Waiting for your reply")),
    (ComplaintStatus.RESOLVED, _l("Answered")),
    (ComplaintStatus.CLOSED, _l("Closed")),
    (ComplaintOutcome.UPHELD, _l("Upheld")),
    (ComplaintOutcome.PARTLY_UPHELD, _l("Partly upheld")),
    (ComplaintOutcome.NOT_UPHELD, _l("Not upheld")),
    (ViewReason.COMPLAINT, _l("Opened it to work on a complaint")),
    (ViewReason.RECORD, _l("Opened the record")),
    (ViewReason.CORRECTION, _l("Opened it to work on a request to correct information")),
    (ViewReason.COPY_REQUEST, _l("Opened it to prepare a copy of the data")),
    (CopyStatus.RECEIVED, _l("Being prepared")),
    (CopyStatus.WAITING, _l("Waiting for your answer")),
    (CopyStatus.AWAITING_APPROVAL, _l("Being checked before release")),
    (CopyStatus.RELEASED, _l("Ready")),
    (CopyStatus.REFUSED, _l("Refused")),
    (CopyDelivery.DOWNLOAD, _l("Download it from this website")),
    (CopyDelivery.POST, _l("Send it by post")),
    (CopyReason.RESTRICTED, _l("Restricted from the person asking")),
    (CopyReason.WITHHELD, _l("Withheld from families")),
    (CopyReason.THIRD_PARTY, _l("About another person the requester may not see")),
    (CopyReason.CRIME, _l("Crime and taxation (DPA 2018 schedule 2, paragraph 2)")),
    (CopyReason.SERIOUS_HARM, _l("Serious harm (DPA 2018 schedule 3)")),
    (CopyReason.SOCIAL_WORK, _l("Social work data (DPA 2018 schedule 3, part 3)")),
    (CopyReason.HEALTH, _l("Health data (DPA 2018 schedule 3, part 2)")),
    (
        CopyReason.CHILD_ABUSE,
        _l("Child abuse data asked for by a parent (DPA 2018 schedule 3, paragraph 21)"),
    ),
    (CopyReason.LEGAL_PRIVILEGE, _l("Legal professional privilege (DPA 2018 schedule 2)")),
    (CopyTreatment.LEAVE_OUT, _l("Leave it out")),
    (CopyTreatment.REDACT, _l("Show it with the value redacted")),
    (CopyRefusal.MANIFESTLY_UNFOUNDED, _l("The request is manifestly unfounded")),
    (CopyRefusal.MANIFESTLY_EXCESSIVE, _l("The request is manifestly excessive")),
    (
        CopyRefusal.NO_AUTHORITY,
        _l("The person asking cannot act for the person the data is about"),
    ),
    (PersonField.NAME, _l("Name")),
    (PersonField.DATE_OF_BIRTH, _l("Date of birth")),
    (Sensitivity.NORMAL, _l("Normal")),
    (Sensitivity.RESTRICTED, _l("Restricted")),
    (Sensitivity.WITHHELD, _l("Withheld")),
)


_LABELS = {(type(member), member.value): words for member, words in _WORDS}


def label(value: StrEnum) -> LazyString:
    """The translated words for one vocabulary value."""
    return _LABELS[(type(value), value.value)]
