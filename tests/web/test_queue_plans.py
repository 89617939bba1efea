"""PostgreSQL reads every staff queue page along an index in queue order: the first page, each
filter, and a page deep in through the keyset cursor, with nothing sorted but the page's own
few rows. So a page costs the same with 200,000 complaints as with 20.

The planner is told to avoid sequential scans, bitmap scans and sorts wherever it can: a plan
that still sorts the table, or scans it whole, has no index that serves the query."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.models import Complaint
from portal.services import complaint_queue, copy_queue
from portal.services.keyset import Cursor
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus, CopyStatus
from tests.databases import NO_POSTGRES, POSTGRES_URL
from tests.factories import DPO

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

MIDDLE = Cursor(london_today(), uuid.UUID(int=2**127))
COMPLAINTS = {
    "first page": complaint_queue.QueueFilter(),
    "every status": complaint_queue.QueueFilter(statuses=tuple(ComplaintStatus)),
    "new": complaint_queue.QueueFilter(statuses=(ComplaintStatus.NEW,)),
    "closed": complaint_queue.QueueFilter(statuses=(ComplaintStatus.CLOSED,)),
    "about": complaint_queue.QueueFilter(category=ComplaintCategory.SECURITY),
    "how it arrived": complaint_queue.QueueFilter(channel=ComplaintChannel.POST),
    "unassigned": complaint_queue.QueueFilter(unassigned=True),
    "an officer's": complaint_queue.QueueFilter(officer_id=DPO),
    "overdue": complaint_queue.QueueFilter(overdue_only=True),
}
COPY_REQUESTS = {
    "first page": copy_queue.QueueFilter(),
    "every status": copy_queue.QueueFilter(statuses=tuple(CopyStatus)),
    "released": copy_queue.QueueFilter(statuses=(CopyStatus.RELEASED,)),
    "unassigned": copy_queue.QueueFilter(unassigned=True),
    "an officer's": copy_queue.QueueFilter(officer_id=DPO),
    "overdue": copy_queue.QueueFilter(overdue_only=True),
}
PLACES: dict[str, dict[str, Cursor]] = {
    "from the start": {},
    "deep, going on": {"after": MIDDLE},
    "deep, going back": {"before": MIDDLE},
}


def statements_of(db: Session, read: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements (and their parameters) that `read` sent."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn, _cursor, statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append((statement, parameters))

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", keep)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent


def plan_of(db: Session, table: str, read: Callable[[], object]) -> dict[str, Any]:
    """The plan of the one statement of `read` that reads `table`, as the planner chooses it
    when told to avoid sequential scans, bitmap scans and sorts."""
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        db.connection().exec_driver_sql(f"SET LOCAL {setting} = off")
    reads = [s for s in statements_of(db, read) if f"FROM {table}" in s[0]]
    assert len(reads) == 1, reads
    statement, parameters = reads[0]
    found = db.connection().exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters)
    return found.scalar_one()[0]["Plan"]


def problems(node: dict[str, Any], table: str, sorting: bool = False) -> Iterator[str]:
    """Whole-table scans of `table`; index scans that do not narrow to one status by the
    index (the rest of the filter may be checked row by row); and sorts of its rows that no
    LIMIT bounds (a sort of the few keys each status gave, then of their rows by primary
    key, is the page itself)."""
    kind, index = node["Node Type"], node.get("Index Name")
    if node.get("Relation Name") == table:
        if kind == "Seq Scan":
            yield f"{table} read whole"
        elif index != f"pk_{table}" and "status" not in node.get("Index Cond", ""):
            yield f"{table} read by {index} for every status"
        elif sorting and index != f"pk_{table}":
            yield f"{table} sorted after {kind} using {index}"
    if kind == "Limit":
        sorting = False
    sorting = sorting or kind in ("Sort", "Incremental Sort")
    for child in node.get("Plans", []):
        yield from problems(child, table, sorting)


def indexes_used(node: dict[str, Any], table: str) -> set[str | None]:
    found = {node.get("Index Name")} if node.get("Relation Name") == table else set()
    for child in node.get("Plans", []):
        found |= indexes_used(child, table)
    return found


def every_problem(db: Session, table: str, page: Callable[..., object], filters: dict) -> list:
    """The problems of the plan for each filter, from the start and deep in either way."""
    found = []
    for name, wanted in filters.items():
        for place, cursor in PLACES.items():
            plan = plan_of(db, table, lambda: page(db, wanted, london_today(), **cursor))  # noqa: B023
            found += [f"{name}, {place}: {problem}" for problem in problems(plan, table)]
            if not indexes_used(plan, table) - {f"pk_{table}"}:
                found.append(f"{name}, {place}: no queue index read")
    return found


def test_the_complaints_queue_reads_an_index_in_queue_order(db: Session) -> None:
    assert every_problem(db, "complaints", complaint_queue.page, COMPLAINTS) == []


def test_the_copy_requests_queue_reads_an_index_in_queue_order(db: Session) -> None:
    assert every_problem(db, "copy_requests", copy_queue.page, COPY_REQUESTS) == []


def test_a_sort_of_the_whole_table_is_found(db: Session) -> None:
    """The check above can fail: ordering the complaints by a column no index serves."""
    plan = plan_of(
        db,
        "complaints",
        lambda: db.scalars(select(Complaint).order_by(Complaint.received_at).limit(25)).all(),
    )
    assert list(problems(plan, "complaints")) != []
