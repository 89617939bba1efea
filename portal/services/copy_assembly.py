"""Assembling a copy of someone's data from the record, as the person who asked may see it.

The policy decides: an item restricted from the requester, or withheld, is left out; other
household members the requester may not see are redacted; officers leave out or redact more
under an exemption (portal/services/copy_handling.py). Every left-out or redacted thing is
listed with its reason for the review screen, for staff only, never in the copy.

The document is plain JSON-ready data in the request's language, described by
portal/data/copy-schema.json; portal/services/copy_documents.py turns it into the PDF and
the ZIP. Its fingerprint (a hash without the generation date) tells the build job whether
the record has changed since the copy was built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portal.i18n import LOCALES
from portal.models import Account, CopyRequest, DataItem, SharingEvent
from portal.policy import Viewer, can_request_copy_for, can_view_item
from portal.services import copy_household
from portal.services.access_record import staff_accesses_to
from portal.services.copy_exclusions import SHARING_EVENT, Exclusion
from portal.services.corrections import field_notes_for, notes_for
from portal.services.sharing_record import categories_of
from portal.services.viewers import viewer_for
from portal.services.your_data import KIND_ORDER
from portal.templating import shown_value
from portal.vocabulary import Category, CopyReason, CopyTreatment, Sensitivity, Source, label

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Council:
    name: str
    dpo_email: str


@dataclass(frozen=True)
class Assembly:
    document: dict[str, Any]
    exclusions: list[Exclusion]
    # The items in the copy with their values shown, which an officer may still treat.
    included: list[DataItem]
    fingerprint: str

    @property
    def needs_second_officer(self) -> bool:
        """Releasing a copy that leaves out or redacts anything takes two officers."""
        return bool(self.exclusions)


def council_for(config: dict[str, Any], language: str) -> Council:
    name = config["COUNCIL_NAME_CY"] if language == "cy" else config["COUNCIL_NAME"]
    return Council(name=name, dpo_email=config["DPO_EMAIL"])


def assemble(
    db: Session, request: CopyRequest, council: Council, today: dt.date
) -> Assembly | None:
    """The copy as it would be released today; None if the requester may no longer ask for
    this person's data (a parental link ended, say), which the officer must then refuse."""
    requester = db.get(Account, request.requester_account_id)
    if requester is None or requester.person is None:
        return None
    viewer = viewer_for(db, requester, today)
    if not can_request_copy_for(viewer, request.subject, today):
        return None
    with force_locale(LOCALES.get(request.language, "en_GB")):
        return _assemble(db, request, requester, viewer, council, today)


def fingerprint_of(document: dict[str, Any]) -> str:
    content = {key: value for key, value in document.items() if key != "generated_on"}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _assemble(
    db: Session,
    request: CopyRequest,
    requester: Account,
    viewer: Viewer,
    council: Council,
    today: dt.date,
) -> Assembly:
    items = _items_in_scope(db, request)
    treatments = {t.item_id: t for t in request.treatments}
    exclusions: list[Exclusion] = []
    shown: list[DataItem] = []
    redacted: set[uuid.UUID] = set()
    for item in items:
        excluded = _excluded(viewer, item, treatments, today)
        if excluded is not None:
            exclusions.append(excluded)
        if excluded is None or excluded.treatment is CopyTreatment.REDACT:
            shown.append(item)
        if excluded is not None and excluded.treatment is CopyTreatment.REDACT:
            redacted.add(item.id)
    left_out = {
        e.item_id: e.reason
        for e in exclusions
        if e.treatment is CopyTreatment.LEAVE_OUT and e.item_id is not None
    }
    household, household_exclusions = copy_household.members(db, viewer, request.subject, today)
    sharing, sharing_exclusions = _sharing(db, request, viewer, left_out, today)
    exclusions += household_exclusions + sharing_exclusions
    document = {
        "schema_version": SCHEMA_VERSION,
        "reference": request.reference,
        "language": request.language,
        "generated_on": today.isoformat(),
        "council": {"name": council.name, "dpo_email": council.dpo_email},
        "requester": {"name": requester.person.full_name if requester.person else ""},
        "subject": _subject(db, request),
        "request": _scope(request),
        "sections": _sections(db, shown, redacted),
        "household": household,
        "sharing": sharing,
        "sources": _sources(shown),
        "accesses": [
            {
                "at": access.at.isoformat(),
                "team": access.team or str(label(access.role)),
                "reason": str(label(access.reason)),
            }
            for access in staff_accesses_to(db, request.subject_person_id, request.received_at)
        ],
    }
    included = [item for item in shown if item.id not in redacted]
    return Assembly(document, exclusions, included, fingerprint_of(document))


def _items_in_scope(db: Session, request: CopyRequest) -> list[DataItem]:
    """The subject's current items in the categories and dates asked for."""
    query = (
        select(DataItem)
        .where(DataItem.person_id == request.subject_person_id, DataItem.replaced_at.is_(None))
        .options(joinedload(DataItem.restrictions), joinedload(DataItem.person))
    )
    if request.date_from is not None:
        query = query.where(DataItem.obtained_on >= request.date_from)
    if request.date_to is not None:
        query = query.where(DataItem.obtained_on <= request.date_to)
    wanted = _categories(request)
    items = [item for item in db.scalars(query).unique() if item.category in wanted]
    items.sort(key=lambda item: (KIND_ORDER[item.kind], -item.obtained_on.toordinal(), item.id))
    return items


def _categories(request: CopyRequest) -> set[Category]:
    if request.everything:
        return set(Category)
    return {Category(code) for code in request.categories}


def _excluded(
    viewer: Viewer, item: DataItem, treatments: dict[uuid.UUID, Any], today: dt.date
) -> Exclusion | None:
    what, detail = label(item.kind), item.value
    reason = _policy_reason(viewer, item, today)
    if reason is not None:
        return Exclusion(what, detail, reason, CopyTreatment.LEAVE_OUT, item.id)
    treatment = treatments.get(item.id)
    if treatment is None:
        return None
    return Exclusion(
        what,
        detail,
        treatment.reason,
        treatment.treatment,
        item.id,
        decided_by_officer=True,
        note=treatment.note,
    )


def _policy_reason(viewer: Viewer, item: DataItem, today: dt.date) -> CopyReason | None:
    """Why the policy keeps this item from the requester, or None if they may see it."""
    if can_view_item(viewer, item, today):
        return None
    return (
        CopyReason.WITHHELD if item.sensitivity is Sensitivity.WITHHELD else CopyReason.RESTRICTED
    )


def _subject(db: Session, request: CopyRequest) -> dict[str, Any]:
    notes = field_notes_for(db, request.subject_person_id)
    statements = [n.statement.text for n in notes.values() if n.statement is not None]
    return {
        "name": request.subject.full_name,
        "date_of_birth": request.subject.date_of_birth.isoformat(),
        "is_requester": request.subject_person_id == request.requester.person_id,
        "statements": statements,
    }


def _scope(request: CopyRequest) -> dict[str, Any]:
    chosen = [] if request.everything else [c for c in Category if c.value in request.categories]
    return {
        "received_on": request.received_on.isoformat(),
        "due_on": request.due_on.isoformat(),
        "everything": request.everything,
        "categories": [{"code": c.value, "label": str(label(c))} for c in chosen],
        "from": request.date_from.isoformat() if request.date_from else None,
        "to": request.date_to.isoformat() if request.date_to else None,
    }


def _sections(db: Session, shown: list[DataItem], redacted: set[uuid.UUID]) -> list[dict[str, Any]]:
    notes = notes_for(db, [item for item in shown if item.id not in redacted])
    grouped: dict[Category, list[dict[str, Any]]] = defaultdict(list)
    for item in shown:
        hidden = item.id in redacted
        note = notes.get(item.id)
        statement = note.statement if note is not None else None
        grouped[item.category].append(
            {
                "kind": item.kind.value,
                "label": str(label(item.kind)),
                "value": None if hidden else shown_value(item),
                "redacted": hidden,
                "source": item.source.value,
                "source_label": str(label(item.source)),
                "obtained_on": item.obtained_on.isoformat(),
                "statements": [statement.text] if statement is not None else [],
            }
        )
    return [
        {"category": c.value, "title": str(label(c)), "items": grouped[c]}
        for c in Category
        if grouped[c]
    ]


def _sources(shown: list[DataItem]) -> list[dict[str, Any]]:
    by_source: dict[Source, set[Category]] = defaultdict(set)
    for item in shown:
        by_source[item.source].add(item.category)
    return [
        {
            "source": source.value,
            "label": str(label(source)),
            "categories": [str(label(c)) for c in Category if c in by_source[source]],
        }
        for source in Source
        if source in by_source
    ]


def _sharing(
    db: Session,
    request: CopyRequest,
    viewer: Viewer,
    left_out: dict[uuid.UUID, CopyReason],
    today: dt.date,
) -> tuple[list[dict[str, Any]], list[Exclusion]]:
    """Sharing events about the subject in the dates asked for. An event that carried an item
    left out of the copy is left out too: the event alone would reveal the item."""
    query = (
        select(SharingEvent)
        .where(SharingEvent.person_id == request.subject_person_id)
        .options(
            joinedload(SharingEvent.partner),
            joinedload(SharingEvent.items).joinedload(DataItem.restrictions),
            joinedload(SharingEvent.items).joinedload(DataItem.person),
        )
        .order_by(SharingEvent.shared_on.desc(), SharingEvent.id)
    )
    if request.date_from is not None:
        query = query.where(SharingEvent.shared_on >= request.date_from)
    if request.date_to is not None:
        query = query.where(SharingEvent.shared_on <= request.date_to)
    wanted = _categories(request)
    shared, exclusions = [], []
    for event in db.scalars(query).unique():
        categories = categories_of(event)
        if not wanted.intersection(categories):
            continue
        reasons = [
            reason
            for item in event.items
            if (reason := left_out.get(item.id) or _policy_reason(viewer, item, today))
        ]
        if reasons:
            exclusions.append(_event_left_out(event, reasons))
            continue
        shared.append(
            {
                "shared_on": event.shared_on.isoformat(),
                "partner": event.partner.name_cy
                if request.language == "cy"
                else event.partner.name_en,
                "partner_kind": str(label(event.partner.kind)),
                "purpose": str(label(event.purpose)),
                "lawful_basis": str(label(event.lawful_basis)),
                "categories": [str(label(c)) for c in categories],
            }
        )
    return shared, exclusions


def _event_left_out(event: SharingEvent, reasons: list[CopyReason]) -> Exclusion:
    """The event is left out for the reason its items were: withheld if any was, else the
    first item's (restricted, or the exemption an officer relied on)."""
    return Exclusion(
        what=SHARING_EVENT,
        detail=f"{event.partner.name_en}, {event.shared_on.isoformat()}, {event.purpose.value}",
        reason=CopyReason.WITHHELD if CopyReason.WITHHELD in reasons else reasons[0],
        treatment=CopyTreatment.LEAVE_OUT,
    )
