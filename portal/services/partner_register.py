"""The partner register as the privacy notice lists it, loaded into an empty database."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Partner
from portal.vocabulary import PartnerKind


@dataclass(frozen=True)
class PartnerEntry:
    code: str
    kind: PartnerKind
    name_en: str
    name_cy: str
    description_en: str
    description_cy: str


PRIVACY_NOTICE_PARTNERS = (
    PartnerEntry(
        "council-departments",
        PartnerKind.INTERNAL,
        "Council departments",
        "Adrannau'r cyngor",
        "Other council teams, such as education, housing and adult services, who help your family.",
        "Timau eraill y cyngor, fel addysg, tai a gwasanaethau oedolion, sy'n helpu eich teulu.",
    ),
    PartnerEntry(
        "schools-and-colleges",
        PartnerKind.EDUCATION,
        "Schools and colleges",
        "Ysgolion a cholegau",
        "The school or college a child attends, so they can support the child's learning and attendance.",
        "Yr ysgol neu'r coleg y mae plentyn yn ei fynychu, er mwyn iddynt gefnogi dysgu a phresenoldeb y plentyn.",
    ),
    PartnerEntry(
        "early-years-providers",
        PartnerKind.EDUCATION,
        "Early years providers",
        "Darparwyr blynyddoedd cynnar",
        "Nurseries, pre-schools and childminders who provide funded places for young children.",
        "Meithrinfeydd, cylchoedd chwarae a gwarchodwyr plant sy'n darparu lleoedd a ariennir i blant ifanc.",
    ),
    PartnerEntry(
        "integrated-care-board",
        PartnerKind.HEALTH,
        "NHS Shropshire, Telford and Wrekin Integrated Care Board (formerly the CCG)",
        "Bwrdd Gofal Integredig GIG Swydd Amwythig, Telford a Wrekin (y CCG gynt)",
        "The NHS body that plans and pays for local health services.",
        "Corff y GIG sy'n cynllunio ac yn talu am wasanaethau iechyd lleol.",
    ),
    PartnerEntry(
        "community-health-trust",
        PartnerKind.HEALTH,
        "Shropshire Community Health NHS Trust",
        "Ymddiriedolaeth GIG Iechyd Cymunedol Swydd Amwythig",
        "Health visitors, school nurses and the Family Nurse Partnership.",
        "Ymwelwyr iechyd, nyrsys ysgol a'r Bartneriaeth Nyrsys Teulu.",
    ),
    PartnerEntry(
        "shrewsbury-telford-hospitals",
        PartnerKind.HEALTH,
        "The Shrewsbury and Telford Hospital NHS Trust",
        "Ymddiriedolaeth GIG Ysbytai Amwythig a Telford",
        "The local hospitals, including maternity and children's services.",
        "Yr ysbytai lleol, gan gynnwys gwasanaethau mamolaeth a phlant.",
    ),
    PartnerEntry(
        "midlands-partnership",
        PartnerKind.HEALTH,
        "Midlands Partnership NHS Foundation Trust (including BeeU)",
        "Ymddiriedolaeth Sefydledig GIG Partneriaeth Canolbarth Lloegr (gan gynnwys BeeU)",
        "Mental health services, including BeeU for children and young people's emotional wellbeing.",
        "Gwasanaethau iechyd meddwl, gan gynnwys BeeU ar gyfer lles emosiynol plant a phobl ifanc.",
    ),
    PartnerEntry(
        "west-mercia-police",
        PartnerKind.EMERGENCY_SERVICES,
        "West Mercia Police",
        "Heddlu Gorllewin Mercia",
        "The police, to keep children and adults safe and to prevent crime.",
        "Yr heddlu, i gadw plant ac oedolion yn ddiogel ac i atal troseddu.",
    ),
    PartnerEntry(
        "shropshire-fire-and-rescue",
        PartnerKind.EMERGENCY_SERVICES,
        "Shropshire Fire and Rescue Service",
        "Gwasanaeth Tân ac Achub Swydd Amwythig",
        "Home fire safety visits for families who may be at risk.",
        "Ymweliadau diogelwch tân yn y cartref i deuluoedd a allai fod mewn perygl.",
    ),
    PartnerEntry(
        "commissioned-providers",
        PartnerKind.PROVIDERS,
        "Commissioned providers",
        "Darparwyr a gomisiynwyd",
        "Organisations the council pays to deliver support, such as parenting programmes.",
        "Sefydliadau y mae'r cyngor yn talu iddynt ddarparu cymorth, fel rhaglenni magu plant.",
    ),
    PartnerEntry(
        "housing-providers",
        PartnerKind.PROVIDERS,
        "Housing providers",
        "Darparwyr tai",
        "Housing associations and landlords, to help prevent homelessness and rent arrears.",
        "Cymdeithasau tai a landlordiaid, i helpu i atal digartrefedd ac ôl-ddyledion rhent.",
    ),
    PartnerEntry(
        "voluntary-sector",
        PartnerKind.PROVIDERS,
        "Voluntary sector organisations",
        "Sefydliadau'r sector gwirfoddol",
        "Charities and community groups that support families.",
        "Elusennau a grwpiau cymunedol sy'n cefnogi teuluoedd.",
    ),
    PartnerEntry(
        "youth-activity-providers",
        PartnerKind.PROVIDERS,
        "Youth activity providers",
        "Darparwyr gweithgareddau ieuenctid",
        "Youth clubs and activity providers working with young people.",
        "Clybiau ieuenctid a darparwyr gweithgareddau sy'n gweithio gyda phobl ifanc.",
    ),
    PartnerEntry(
        "specialist-services",
        PartnerKind.PROVIDERS,
        "Specialist services",
        "Gwasanaethau arbenigol",
        "Services for particular needs, such as domestic abuse or substance misuse support.",
        "Gwasanaethau ar gyfer anghenion penodol, fel cymorth cam-drin domestig neu gamddefnyddio sylweddau.",
    ),
    PartnerEntry(
        "ofsted",
        PartnerKind.REGULATORS_AND_GOVERNMENT,
        "Ofsted",
        "Ofsted",
        "The inspectorate that checks the quality of children's services.",
        "Yr arolygiaeth sy'n gwirio ansawdd gwasanaethau plant.",
    ),
    PartnerEntry(
        "national-government",
        PartnerKind.REGULATORS_AND_GOVERNMENT,
        "National government",
        "Llywodraeth genedlaethol",
        "The Department for Education and the Ministry of Housing, Communities and Local Government, "
        "to evaluate the Supporting Families programme.",
        "Yr Adran Addysg a'r Weinyddiaeth Tai, Cymunedau a Llywodraeth Leol, "
        "i werthuso'r rhaglen Cefnogi Teuluoedd.",
    ),
)


def ensure_partner_register(db: Session) -> dict[str, Partner]:
    """Adds any privacy-notice partner the register lacks; returns the register by code."""
    existing = {partner.code: partner for partner in db.scalars(select(Partner))}
    for entry in PRIVACY_NOTICE_PARTNERS:
        if entry.code not in existing:
            partner = Partner(**entry.__dict__)
            db.add(partner)
            existing[entry.code] = partner
    db.flush()
    return existing
