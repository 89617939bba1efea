"""Who we shared your data with (UK GDPR Article 15(1)(c)): every sharing event about people
the viewer may see, unless it carried anything the viewer may not see. Then it leaves no
trace, since the event alone would reveal the item (DESIGN.md "Who may see what")."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVarTuple

from sqlalchemy import ColumnElement, Row, Select, and_, false, func, select, true
from sqlalchemy.orm import Session, aliased, defer, joinedload

from portal.models import (
    CorrectionRequest,
    DataItem,
    Partner,
    Person,
    SharingEvent,
    sharing_event_items,
)
from portal.policy import Viewer, can_view_item, items_hidden_from
from portal.services.your_data import household_records
from portal.vocabulary import Category, LawfulBasis, PartnerKind, Source

Ts = TypeVarTuple("Ts")
PAGE_SIZE = 25
# The newest research extracts named at the top of the page; the table lists them all.
RESEARCH_SHOWN = 10
# The events that carried an item, apart from those a query lists (made once: costly to make).
CARRIER = aliased(SharingEvent, name="carrier")
SOURCE_ORDER = {source: position for position, source in enumerate(Source)}


@dataclass(frozen=True)
class SharingPage:
    events: list[SharingEvent]
    page: int
    pages: int


def categories_of(event: SharingEvent) -> list[Category]:
    """What kinds of data went (never the data itself), in the privacy notice's order."""
    kinds = {item.category for item in event.items}
    return [category for category in Category if category in kinds]


@dataclass(frozen=True)
class SharingFilter:
    person_id: uuid.UUID | None = None
    partner_kind: PartnerKind | None = None
    shared_from: dt.date | None = None
    shared_to: dt.date | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found = []
        if self.partner_kind is not None:
            found.append(SharingEvent.partner.has(Partner.kind == self.partner_kind))
        if self.shared_from is not None:
            found.append(SharingEvent.shared_on >= self.shared_from)
        if self.shared_to is not None:
            found.append(SharingEvent.shared_on <= self.shared_to)
        return found


@dataclass(frozen=True)
class RecordPage:
    """What the page shows: one page of the filtered record, and the newest research extracts
    with how many there are."""

    found: SharingPage
    research: list[SharingEvent]
    research_count: int


def record_page(
    db: Session,
    viewer: Viewer,
    today: dt.date,
    people: list[Person],
    wanted: SharingFilter = SharingFilter(),
    page: int = 1,
) -> RecordPage:
    """Newest first, 25 to a page, filtered (a person only if the viewer may see them); and
    the newest research extracts that included anyone the viewer may see, whatever the
    filter. `people` are those the viewer may see (the caller read them to offer in the
    filter). The database filters, counts and pages, so a long record costs what a short one
    does: one query, whatever its length, reads the page and the newest research extracts
    together, each row marked with the lists it belongs to and carrying both counts. A page
    past the end shows the last page, which takes another query or two."""
    if not people:
        return RecordPage(SharingPage([], 1, 1), [], 0)
    about = {person.id for person in people}
    record = _Record(viewer, about, _matching(wanted, about))
    page = max(page, 1)
    rows = _visible(db, viewer, today, record.page(page))
    if page > 1 and not any(row[1] for row in rows):
        page = _pages(rows[0][3] if rows else db.scalar(select(record.counts[0])) or 0)
        rows = _visible(db, viewer, today, record.page(page))
    found, research_count = (rows[0][3], rows[0][4]) if rows else (0, 0)
    return RecordPage(
        SharingPage([row[0] for row in rows if row[1]], page, _pages(found)),
        [row[0] for row in rows if row[2]],
        research_count,
    )


def _pages(found: int) -> int:
    """How many pages `found` events fill (one, empty, for none)."""
    return max(1, -(-found // PAGE_SIZE))


class _Record:
    """The statement that reads a page of the record that `viewer` may see, filtered by
    `matching`, with the newest research extracts and how many events there are of each."""

    def __init__(self, viewer: Viewer, about: set[uuid.UUID], matching: ColumnElement[bool]):
        self.about = about
        self.shown = _carried_nothing_hidden(viewer, about)
        self.matching = matching
        research = SharingEvent.lawful_basis == LawfulBasis.RESEARCH
        self.newest = SharingEvent.id.in_(
            _newest_first(select(SharingEvent.id).where(self.shown, research)).limit(RESEARCH_SHOWN)
        )
        self.counts = [
            select(func.count()).where(self.shown, condition).scalar_subquery()
            for condition in (matching, research)
        ]

    def page(self, page: int) -> Select[SharingEvent, bool, bool, int, int]:
        on_page = SharingEvent.id.in_(
            _newest_first(select(SharingEvent.id).where(self.shown, self.matching))
            .offset((page - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
        return select(SharingEvent, on_page, self.newest, *self.counts).where(
            SharingEvent.person_id.in_(self.about), on_page | self.newest
        )


def _newest_first(query: Select[*Ts]) -> Select[*Ts]:
    return query.order_by(SharingEvent.shared_on.desc(), SharingEvent.id)


def _carried_nothing_hidden(viewer: Viewer, people: set[uuid.UUID]) -> ColumnElement[bool]:
    """Events about `people` (whom the viewer may see) that carried no item hidden from the
    viewer: the policy's rule in SQL, so that the database can count and page them. The
    events that did are found once, from those people's events, not event by event: the
    planner misjudges a NOT EXISTS per event and scans the whole table."""
    carried_hidden = (
        select(sharing_event_items.c.sharing_event_id)
        .join(CARRIER, CARRIER.id == sharing_event_items.c.sharing_event_id)
        .join(DataItem, DataItem.id == sharing_event_items.c.item_id)
        .where(CARRIER.person_id.in_(people), items_hidden_from(viewer, people))
    )
    return and_(SharingEvent.person_id.in_(people), SharingEvent.id.not_in(carried_hidden))


def _matching(wanted: SharingFilter, people: set[uuid.UUID]) -> ColumnElement[bool]:
    """The filter as one condition; a person the viewer may not see matches nothing."""
    if wanted.person_id is None:
        return and_(true(), *wanted.conditions())
    if wanted.person_id not in people:
        return false()
    return and_(SharingEvent.person_id == wanted.person_id, *wanted.conditions())


def everything_shared(
    db: Session,
    viewer: Viewer,
    today: dt.date,
    people: list[Person],
    wanted: SharingFilter = SharingFilter(),
) -> list[SharingEvent]:
    """The whole filtered record, newest first, about `people` (those the viewer may see):
    for the download."""
    about = {person.id for person in people}
    return visible_events(db, viewer, today, about, _matching(wanted, about))


def visible_events(
    db: Session,
    viewer: Viewer,
    today: dt.date,
    people: set[uuid.UUID],
    *conditions: ColumnElement[bool],
) -> list[SharingEvent]:
    """Sharing events about these people (whom the caller knows the viewer may see) that
    carried nothing the viewer may not see, newest first."""
    if not people:
        return []
    query = select(SharingEvent).where(_carried_nothing_hidden(viewer, people), *conditions)
    return [row[0] for row in _visible(db, viewer, today, query)]


def _visible(
    db: Session, viewer: Viewer, today: dt.date, query: Select[SharingEvent, *Ts]
) -> list[Row[SharingEvent, *Ts]]:
    """The rows of `query` (a sharing event first), newest first, but for events that carried
    anything the viewer may not see: the query leaves those out already, and the policy is
    asked again of every item before it is shown. Only the items' kinds, people and
    restrictions are read: their values, never shown here, are not decrypted."""
    loading = joinedload(SharingEvent.items).options(
        defer(DataItem.value, raiseload=True),
        joinedload(DataItem.restrictions),
        joinedload(DataItem.person),
    )
    query = query.options(
        joinedload(SharingEvent.partner), joinedload(SharingEvent.person), loading
    )
    rows = db.execute(_newest_first(query)).unique()
    return [row for row in rows if all(can_view_item(viewer, i, today) for i in row[0].items)]


def partners_told(
    db: Session, viewer: Viewer, request: CorrectionRequest, today: dt.date
) -> list[Partner]:
    """The partners told of an accepted correction, as the family may see them: for a name
    or date of birth, only those whose sharing events the viewer may see, so that a withheld
    or restricted event leaves no trace here either."""
    told = [task.partner for task in request.tasks if task.partner is not None]
    if request.item_id is not None:
        return told
    seen = {event.partner_id for event in visible_events(db, viewer, today, {request.person_id})}
    return [partner for partner in told if partner.id in seen]


def partner_by_code(db: Session, code: str) -> Partner | None:
    """Anyone may read who a partner is and why the council shares with them."""
    return db.scalar(select(Partner).where(Partner.code == code))


@dataclass(frozen=True)
class SourceSummary:
    source: Source
    categories: list[Category]
    latest: dt.date


def sources_of(
    db: Session, viewer: Viewer, today: dt.date
) -> list[tuple[Person, list[SourceSummary]]]:
    """Where our data came from, person by person: built only from the items the viewer may
    see, so nothing hidden is counted, dated or named."""
    result = []
    for record in household_records(db, viewer, today):
        by_source: dict[Source, list[DataItem]] = defaultdict(list)
        for section in record.sections:
            for item in section.items:
                by_source[item.source].append(item)
        summaries = [
            SourceSummary(
                source=source,
                categories=[c for c in Category if any(i.category is c for i in items)],
                latest=max(item.obtained_on for item in items),
            )
            for source, items in sorted(by_source.items(), key=lambda pair: SOURCE_ORDER[pair[0]])
        ]
        result.append((record.person, summaries))
    return result
