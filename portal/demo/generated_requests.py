"""The generated households' complaints and copy requests (`demo-data --households N`): about
two complaints and half a copy request a household, going back six years, the newest still
being worked, so that the DPO queues are as long as a county council's.

Each household's requests come from a random stream of their own, so that a household's
people and items do not change when the requests do.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

from portal.deadlines import complaint_acknowledgement_due
from portal.models import Complaint, ComplaintEvent, CopyRequest, CopyRequestEvent
from portal.services.complaints import DEFAULT_RESPONSE_MONTHS, response_due
from portal.services.copy_requests import due_date
from portal.vocabulary import (
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    CopyDelivery,
    CopyStatus,
)

# Requests go back six years, as long as closed ones are kept; the newest are still open.
REQUEST_DAYS = 6 * 365
OPEN_FOR_DAYS = 60
COPY_OPEN_FOR_DAYS = 35
COMPLAINTS_PER_HOUSEHOLD = (1, 2, 2, 3)
COPY_REQUESTS_PER_HOUSEHOLD = (0, 1)
# The alphabet of portal/references.py: generated references look like real ones.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

Tables = dict[Any, list[dict[str, Any]]]


def ids(rng: random.Random) -> Iterator[uuid.UUID]:
    """Version 4 UUIDs from a seeded stream: the same household gets the same ids each run."""
    while True:
        yield uuid.UUID(int=rng.getrandbits(128), version=4)


def add_requests(
    tables: Tables,
    number: int,
    today: dt.date,
    parent: tuple[uuid.UUID, uuid.UUID],
    officer: uuid.UUID | None,
) -> None:
    """Household `number`'s complaints and copy requests by its parent (account, person)."""
    rng = random.Random(f"complaints:{number}")
    stream = ids(rng)
    for index in range(rng.choice(COMPLAINTS_PER_HOUSEHOLD)):
        _complaint(tables, rng, next(stream), number * 3 + index, today, parent[0], officer)
    for index in range(rng.choice(COPY_REQUESTS_PER_HOUSEHOLD)):
        _copy_request(tables, rng, next(stream), number + index, today, parent, officer)


def _complaint(
    tables: Tables,
    rng: random.Random,
    complaint_id: uuid.UUID,
    serial: int,
    today: dt.date,
    account: uuid.UUID,
    officer: uuid.UUID | None,
) -> None:
    """Online, or (when there is a DPO officer to have logged it) by post, email or phone."""
    channel = rng.choice(list(ComplaintChannel)) if officer else ComplaintChannel.PORTAL
    received = today - dt.timedelta(days=rng.randint(1, REQUEST_DAYS))
    complaint = _complaint_row(rng, complaint_id, received, today, channel)
    complaint.update(
        reference=_reference("CMP-G", serial),
        submission_key=f"generated-complaint-{serial}",
        complainant_account_id=account,
        logged_by_account_id=None if channel is ComplaintChannel.PORTAL else officer,
        assigned_account_id=officer if complaint["acknowledged_at"] else None,
    )
    tables[Complaint].append(complaint)
    for action in ("received", "acknowledged", "resolved", "closed"):
        at = complaint[f"{action}_at"]
        online = channel is ComplaintChannel.PORTAL and action in ("received", "acknowledged")
        if at is not None:
            tables[ComplaintEvent].append(
                {
                    "complaint_id": complaint_id,
                    "at": at,
                    "actor_account_id": account if online else officer,
                    "action": action,
                    "note": None,
                    "visible_to_complainant": action != "received",
                }
            )


def _complaint_row(
    rng: random.Random,
    complaint_id: uuid.UUID,
    received: dt.date,
    today: dt.date,
    channel: ComplaintChannel,
) -> dict[str, Any]:
    """Dates and state that fit together: older complaints resolved (most of them closed),
    recent ones still being worked, and every step before today."""
    age = (today - received).days
    acknowledged: int | None = 0 if channel is ComplaintChannel.PORTAL else rng.randint(1, 40)
    resolved = closed = paused_on = None
    if age > OPEN_FOR_DAYS:
        resolved = rng.randint(max(5, acknowledged or 0), OPEN_FOR_DAYS)
        closed = resolved + 7 if resolved + 7 < age and rng.random() < 0.7 else None
        status = ComplaintStatus.CLOSED if closed else ComplaintStatus.RESOLVED
    elif acknowledged is not None and acknowledged >= age:
        status, acknowledged = ComplaintStatus.NEW, None
    else:
        status = rng.choice(
            (ComplaintStatus.ACKNOWLEDGED, ComplaintStatus.INVESTIGATING, ComplaintStatus.WAITING)
        )
        if status is ComplaintStatus.WAITING:
            paused_on = received + dt.timedelta(days=age // 2)
    return {
        "id": complaint_id,
        "channel": channel,
        "category": rng.choice(list(ComplaintCategory)),
        "language": "en",
        "what_happened": "A generated complaint for load work.",
        "desired_outcome": "Nothing: it is generated.",
        "received_at": _at(received, 0),
        "received_on": received,
        "acknowledgement_due_on": complaint_acknowledgement_due(received),
        "acknowledged_at": _at(received, acknowledged),
        "response_due_on": response_due(received, 0, DEFAULT_RESPONSE_MONTHS),
        "paused_days": 0,
        "paused_on": paused_on,
        "status": status,
        "assigned_at": _at(received, acknowledged),
        "outcome_text": "A generated outcome." if resolved is not None else None,
        "resolved_at": _at(received, resolved),
        "closed_at": _at(received, closed),
    }


def _copy_request(
    tables: Tables,
    rng: random.Random,
    request_id: uuid.UUID,
    serial: int,
    today: dt.date,
    parent: tuple[uuid.UUID, uuid.UUID],
    officer: uuid.UUID | None,
) -> None:
    """A copy of the parent's own data: released within the month when older than that (no
    file is kept for it: generated copies are never downloaded), else new or being worked."""
    received = today - dt.timedelta(days=rng.randint(1, REQUEST_DAYS))
    done = (today - received).days > COPY_OPEN_FOR_DAYS
    held = officer if not done and rng.random() < 0.5 else None
    released = _at(received, rng.randint(5, 30)) if done else None
    tables[CopyRequest].append(
        {
            "id": request_id,
            "reference": _reference("SAR-G", serial),
            "submission_key": f"generated-copy-{serial}",
            "requester_account_id": parent[0],
            "subject_person_id": parent[1],
            "everything": True,
            "categories": [],
            "delivery": rng.choice(list(CopyDelivery)),
            "language": "en",
            "received_at": _at(received, 0),
            "received_on": received,
            "due_on": due_date(received, 0, 0),
            "status": CopyStatus.RELEASED if done else CopyStatus.RECEIVED,
            "assigned_account_id": held or (officer if done else None),
            "assigned_at": _at(received, 1) if held or done else None,
            "released_at": released,
            "closed_at": released,
        }
    )
    tables[CopyRequestEvent].append(
        {
            "copy_request_id": request_id,
            "at": _at(received, 0),
            "actor_account_id": parent[0],
            "action": "received",
            "note": None,
            "visible_to_requester": False,
        }
    )


def _at(received: dt.date, days: int | None) -> dt.datetime | None:
    if days is None:
        return None
    return dt.datetime.combine(received + dt.timedelta(days=days), dt.time(10), dt.UTC)


def _reference(prefix: str, serial: int) -> str:
    """`prefix` and seven characters: unique for each generated request of its kind."""
    characters = []
    for _ in range(7):
        serial, digit = divmod(serial, len(REFERENCE_ALPHABET))
        characters.append(REFERENCE_ALPHABET[digit])
    return prefix + "".join(reversed(characters))
