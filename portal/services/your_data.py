"""Your data: the people a viewer may see and what is held about each.

Callers: the family pages and the staff record view. Every item shown passes
`policy.can_view_item`; queries only narrow the candidates, so the rule lives
in one place, and the number of queries does not grow with the data.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from portal.ages import age_on
from portal.models import DataItem, Person
from portal.policy import Viewer, can_view_item, can_view_person
from portal.services.corrections import ItemNotes, record_notes
from portal.vocabulary import Category, ItemKind, PersonField

KIND_ORDER = {kind: position for position, kind in enumerate(ItemKind)}


@dataclass(frozen=True)
class Section:
    category: Category
    items: list[DataItem]


@dataclass(frozen=True)
class PersonRecord:
    person: Person
    age: int
    is_viewer: bool
    sections: list[Section]
    # Correction notes beside each item, and beside the name and date of birth (person pages
    # only; the overview has none, so it offers no correction).
    notes: dict[uuid.UUID, ItemNotes] = field(default_factory=dict)
    field_notes: dict[PersonField, ItemNotes] = field(default_factory=dict)

    @property
    def categories(self) -> list[Category]:
        return [section.category for section in self.sections]


def visible_people(db: Session, viewer: Viewer, today: dt.date) -> list[Person]:
    """The viewer first, then the children whose records they may see, youngest last."""
    candidates = _candidate_ids(viewer)
    if not candidates:
        return []
    people = db.scalars(select(Person).where(Person.id.in_(candidates)))
    visible = [person for person in people if can_view_person(viewer, person, today)]
    return sorted(visible, key=lambda p: (p.id != viewer.person_id, p.date_of_birth, p.id))


def household_records(db: Session, viewer: Viewer, today: dt.date) -> list[PersonRecord]:
    """Every record on the viewer's overview, with the categories each holds."""
    people = visible_people(db, viewer, today)
    items = _items_of(db, people)
    return [_record(viewer, person, items[person.id], today) for person in people]


def person_record(
    db: Session, viewer: Viewer, person_id: uuid.UUID, today: dt.date
) -> PersonRecord | None:
    """One person's record as this viewer may see it, or None (the caller answers 404)."""
    person = db.get(Person, person_id)
    if person is None or not can_view_person(viewer, person, today):
        return None
    record = _record(viewer, person, _items_of(db, [person])[person.id], today)
    shown = [item for section in record.sections for item in section.items]
    notes, field_notes = record_notes(db, shown, person.id)
    return replace(record, notes=notes, field_notes=field_notes)


def _candidate_ids(viewer: Viewer) -> set[uuid.UUID]:
    if viewer.person_id is None:
        return set()
    return {viewer.person_id, *viewer.children}


def _items_of(db: Session, people: list[Person]) -> dict[uuid.UUID, list[DataItem]]:
    by_person: dict[uuid.UUID, list[DataItem]] = defaultdict(list)
    if not people:
        return by_person
    # Joined, not selectin: selectin batches by 500 ids, so its query count grows with the data.
    # Each item's person is the one the caller read, set here rather than looked up per item.
    found = {person.id: person for person in people}
    items = db.scalars(
        select(DataItem)
        .where(DataItem.person_id.in_(list(found)), DataItem.replaced_at.is_(None))
        .options(joinedload(DataItem.restrictions))
    ).unique()
    for item in items:
        set_committed_value(item, "person", found[item.person_id])
        by_person[item.person_id].append(item)
    return by_person


def _record(
    viewer: Viewer, person: Person, items: Iterable[DataItem], today: dt.date
) -> PersonRecord:
    shown = [item for item in items if can_view_item(viewer, item, today)]
    shown.sort(key=lambda item: (KIND_ORDER[item.kind], -item.obtained_on.toordinal()))
    grouped: dict[Category, list[DataItem]] = defaultdict(list)
    for item in shown:
        grouped[item.category].append(item)
    return PersonRecord(
        person=person,
        age=age_on(person.date_of_birth, today),
        is_viewer=person.id == viewer.person_id,
        sections=[
            Section(category, grouped[category]) for category in Category if grouped[category]
        ],
    )
