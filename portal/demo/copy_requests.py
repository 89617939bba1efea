"""Demo copy requests, so that the DPO officer's queue has work in it: Jamie's, new and held
by nobody; Alex's about their health, waiting for their answer with its clock paused; and an
earlier one of Alex's, extended by a month. (Sam, whom most journeys follow, has none.)
The build job (`flask --app portal build-copies`) builds their copies.

Ids and references are fixed, so tests can name them; dates are counted back from today.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.demo.synthetic import demo_id
from portal.models import CopyRequest, CopyRequestEvent
from portal.services.copy_requests import due_date
from portal.vocabulary import Category, CopyDelivery, CopyStatus

OFFICER = demo_id("account:dpo.officer@example.com")
QUESTION = (
    "You asked for your health information. Do you also want the notes from your "
    "physiotherapy referral, which the hospital trust holds, or only what the council holds?"
)
EXTENSION = (
    "Your record includes information from six organisations, and we must check each part "
    "before we can send it."
)


def build_demo_copy_requests(db: Session, now: dt.datetime) -> None:
    """Adds the demo copy requests to `db` (the caller commits). Needs the demo accounts."""
    today = london_today(now)
    jamie = _request("jamie", "SAR-DEMQ2222", today - dt.timedelta(days=6), now)
    alex = _request("alex", "SAR-DEMQ2223", today - dt.timedelta(days=20), now)
    alex.everything, alex.categories = False, [Category.HEALTH.value]
    alex.delivery = CopyDelivery.POST
    _hold(alex, today - dt.timedelta(days=18), now)
    alex.status, alex.paused_on = CopyStatus.WAITING, today - dt.timedelta(days=5)
    _event(alex, today - dt.timedelta(days=5), now, "question", QUESTION, OFFICER)
    earlier = _request("alex", "SAR-DEMQ2224", today - dt.timedelta(days=26), now, "earlier")
    _hold(earlier, today - dt.timedelta(days=25), now)
    earlier.extended_months = 1
    earlier.due_on = due_date(earlier.received_on, 0, 1)
    _event(earlier, today - dt.timedelta(days=20), now, "extended", EXTENSION, OFFICER)
    db.add_all([jamie, alex, earlier])


def _request(
    who: str, reference: str, received_on: dt.date, now: dt.datetime, which: str = "latest"
) -> CopyRequest:
    person = demo_id(f"person:{who}")
    request = CopyRequest(
        id=demo_id(f"copy-request:{who}:{which}"),
        reference=reference,
        submission_key=f"demo-copy-{who}-{which}",
        requester_account_id=demo_id(f"account:{_email(who)}"),
        subject_person_id=person,
        everything=True,
        categories=[],
        delivery=CopyDelivery.DOWNLOAD,
        language="en",
        received_at=_at(received_on, now),
        received_on=received_on,
        due_on=due_date(received_on, 0, 0),
        status=CopyStatus.RECEIVED,
    )
    _event(request, received_on, now, "received", None, request.requester_account_id)
    return request


def _hold(request: CopyRequest, day: dt.date, now: dt.datetime) -> None:
    request.assigned_account_id = OFFICER
    request.assigned_at = _at(day, now)
    _event(request, day, now, "claimed", None, OFFICER)


def _event(
    request: CopyRequest,
    day: dt.date,
    now: dt.datetime,
    action: str,
    note: str | None,
    actor: uuid.UUID | None,
) -> None:
    request.events.append(
        CopyRequestEvent(
            at=_at(day, now),
            actor_account_id=actor,
            action=action,
            note=note,
            visible_to_requester=action in {"question", "extended"},
        )
    )


def _email(who: str) -> str:
    return {"alex": "alex.morgan@example.com"}.get(who, f"{who}.rivers@example.com")


def _at(day: dt.date, now: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(day, now.timetz())
