"""The demo complaints (portal/demo/complaint_stories.py) as rows, with the same due dates,
history and messages that raising and working a complaint would have written.

Ids and references are fixed, so tests can name them; dates are counted back from today.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy.orm import Session

from portal.ages import london_today
from portal.deadlines import complaint_acknowledgement_due
from portal.demo.complaint_stories import STORIES, Contact, Story
from portal.demo.synthetic import demo_id
from portal.models import Complaint, ComplaintEvent, ComplaintMessage
from portal.services.complaints import DEFAULT_RESPONSE_MONTHS, response_due
from portal.vocabulary import ComplaintChannel

OFFICER = demo_id("account:dpo.officer@example.com")
ICO = (
    "If you are not happy with our answer, you can complain to the Information Commissioner's "
    "Office, the UK's independent regulator for data protection, at ico.org.uk or on "
    "0303 123 1113."
)
# Same-day order: a complaint is received, claimed, acknowledged, worked, resolved, closed.
_RANK = {"received": 0, "claimed": 1, "acknowledged": 2, "resolved": 4, "closed": 5}


@dataclass(frozen=True)
class _Step:
    day: int
    action: str
    words: str = ""


def build_demo_complaints(db: Session, now: dt.datetime) -> None:
    """Adds the demo complaints to `db` (the caller commits). Needs the demo accounts."""
    today = london_today(now)
    for story in STORIES:
        db.add(_complaint(story, today, now))


def received_on(story: Story, today: dt.date) -> dt.date:
    """The story's day of the month `months_ago` before this one."""
    month = today.replace(day=1) - relativedelta(months=story.months_ago)
    return month + dt.timedelta(days=story.day - 1)


def _complaint(story: Story, today: dt.date, now: dt.datetime) -> Complaint:
    received = received_on(story, today)
    complainant = _account_of(story)
    complaint = Complaint(
        id=demo_id(f"complaint:{story.key}"),
        reference=story.reference,
        submission_key=f"demo-{story.key}",
        channel=story.channel,
        category=story.category,
        status=story.status,
        complainant_account_id=complainant,
        language="en",
        about_person_id=demo_id(f"person:{story.about}") if story.about else None,
        what_happened=story.what_happened,
        desired_outcome=story.desired_outcome,
        received_on=received,
        acknowledgement_due_on=complaint_acknowledgement_due(received),
        paused_days=0,
        logged_by_account_id=None if story.channel is ComplaintChannel.PORTAL else OFFICER,
    )
    if isinstance(story.complainant, Contact):
        complaint.complainant_name = story.complainant.name
        complaint.complainant_email = story.complainant.email
        complaint.complainant_phone = story.complainant.phone
        complaint.complainant_address = story.complainant.address
    for number, step in enumerate(_history(story)):
        moment = dt.datetime.combine(received + dt.timedelta(days=step.day), dt.time(9), dt.UTC)
        _apply(complaint, story, step, min(moment + dt.timedelta(minutes=3 * number), now))
    complaint.response_due_on = response_due(
        received, complaint.paused_days, DEFAULT_RESPONSE_MONTHS
    )
    return complaint


def _history(story: Story) -> list[_Step]:
    steps = [_Step(0, "received"), *(_Step(*step) for step in story.steps)]
    for day, action in (
        (story.acknowledged_after, "acknowledged"),
        (story.resolved_after, "resolved"),
        (story.closed_after, "closed"),
    ):
        if day is not None:
            steps.append(_Step(day, action))
    return sorted(steps, key=lambda step: (step.day, _RANK.get(step.action, 3)))


def _apply(complaint: Complaint, story: Story, step: _Step, at: dt.datetime) -> None:
    """What one step of the story changes, and the history row it leaves."""
    if step.action == "received":
        complaint.received_at = at
    elif step.action == "acknowledged":
        complaint.acknowledged_at = at
    elif step.action == "claimed":
        complaint.assigned_account_id, complaint.assigned_at = OFFICER, at
    elif step.action == "resolved":
        complaint.resolved_at, complaint.outcome_text = at, f"{story.outcome}\n\n{ICO}\n"
    elif step.action == "closed":
        complaint.closed_at = at
    elif step.action in {"waiting", "resumed"}:
        _pause_or_resume(complaint, step.action, at)
    if step.action in {"waiting", "to_complainant", "from_complainant"}:
        _message(complaint, step, at)
    if step.action not in {"to_complainant", "from_complainant"}:
        _event(complaint, step, _actor(complaint, story, step), at)


def _pause_or_resume(complaint: Complaint, action: str, at: dt.datetime) -> None:
    if action == "waiting":
        complaint.paused_on = london_today(at)
    elif complaint.paused_on is not None:
        complaint.paused_days += (london_today(at) - complaint.paused_on).days
        complaint.paused_on = None


def _message(complaint: Complaint, step: _Step, at: dt.datetime) -> None:
    from_complainant = step.action == "from_complainant"
    complaint.messages.append(
        ComplaintMessage(
            id=demo_id(f"complaint-message:{complaint.reference}:{len(complaint.messages)}"),
            at=at,
            from_complainant=from_complainant,
            author_account_id=complaint.complainant_account_id if from_complainant else OFFICER,
            text=step.words,
        )
    )


def _actor(complaint: Complaint, story: Story, step: _Step) -> uuid.UUID | None:
    """Online, the complainant raised it and was acknowledged at once; staff did the rest."""
    online = story.channel is ComplaintChannel.PORTAL
    if online and step.action in {"received", "acknowledged"}:
        return complaint.complainant_account_id
    return OFFICER


def _event(complaint: Complaint, step: _Step, actor: uuid.UUID | None, at: dt.datetime) -> None:
    # Internal notes, claims and the receipt itself are for staff only.
    visible = step.action not in {"note", "claimed", "received"}
    complaint.events.append(
        ComplaintEvent(
            at=at,
            actor_account_id=actor,
            action=step.action,
            note=step.words or None,
            visible_to_complainant=visible,
        )
    )


def _account_of(story: Story) -> uuid.UUID | None:
    if isinstance(story.complainant, Contact):
        return None
    return demo_id(f"account:{story.complainant}")
