"""The jobs themselves. Each runs in an app context of its own with a session of its own
(the worker's, or InlineJobs'), reads what is still due and does it: run twice, it does the
work once. Arguments are ids as text and results are counts, so both travel as JSON.

A job that raises is retried by RQ with backoff, then kept in RQ's failed registry; its work
stays due in the database, where the sweep (`send_due_notifications`, `build_due_copies`,
enqueued every few minutes) finds it again.
"""

from __future__ import annotations

import traceback
import uuid
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TypeVar

from flask import current_app

from portal import db
from portal.models.columns import utc_now
from portal.services import guardian_approval
from portal.services.delivery import send_due, send_one, senders_from_config
from portal.services.retention import Schedule
from portal.services.retention_run import apply_retention as run_retention

Task = TypeVar("Task", bound=Callable[..., object])


class JobFailed(RuntimeError):
    """A job's error as the queue keeps it (90 days in Redis) and the log shows it: its type
    and where it was raised, not its message, which can quote personal data (a value a
    schema refused, a key that was missing)."""


def quiet_errors(task: Task) -> Task:
    """Our own errors (below) name no one and pass; any other becomes a JobFailed."""

    @wraps(task)
    def run(*args: object) -> object:
        try:
            return task(*args)
        except (CopiesNotBuilt, NotDelivered):
            raise
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            raise JobFailed(
                f"{type(error).__qualname__} at {where.filename}:{where.lineno} in {where.name}"
                " (its message is not kept: it can quote personal data)"
            ) from None

    return run  # type: ignore[return-value]


class CopiesNotBuilt(RuntimeError):
    """The sweep built what it could; the rest stay due for its next run."""


class NotDelivered(RuntimeError):
    """The provider refused the message: recorded in the outbox, raised so RQ retries."""


@quiet_errors
def send_notification(notification_id: str) -> str:
    """The message the commit wrote, sent now; on a retry, sent again if still pending."""
    sent = send_one(
        db.session(), senders_from_config(current_app.config), uuid.UUID(notification_id), utc_now()
    )
    if sent is False:
        raise NotDelivered(f"notification {notification_id} not delivered (see its last error)")
    return "sent" if sent else "already sent or being sent"


@quiet_errors
def build_copy(request_id: str) -> dict[str, int]:
    """A new request's copy (or one whose redactions changed), if it is still to build."""
    # Imported here: only the processes that build copies need to load Typst.
    from portal.services.copy_builds import build_one

    config = current_app.config
    report = build_one(
        db.session(), uuid.UUID(request_id), config, Path(config["COPIES_DIR"]), utc_now()
    )
    return vars(report)


@quiet_errors
def send_due_notifications(limit: int = 100) -> dict[str, int]:
    """The sweep for messages: every pending one whose backoff has passed."""
    report = send_due(db.session(), senders_from_config(current_app.config), utc_now(), limit)
    return {"sent": report.sent, "failed": report.failed}


@quiet_errors
def build_due_copies() -> dict[str, int]:
    """The sweep for copies: every open request whose copy is missing or out of date."""
    from portal.services.copy_builds import build_copies

    config = current_app.config
    report = build_copies(db.session(), config, Path(config["COPIES_DIR"]), utc_now())
    if report.failed:
        # After trying every other copy: RQ keeps the job as failed, for an operator to see.
        raise CopiesNotBuilt(f"{report.failed} copies not built (see the log); still due")
    return vars(report)


@quiet_errors
def apply_retention() -> dict[str, int]:
    """Nightly: the retention schedule; what was disposed of is not due again."""
    run = run_retention(db.session(), utc_now(), Schedule.from_config(current_app.config))
    return dict(run.counts())


@quiet_errors
def review_ages() -> dict[str, int]:
    """Nightly: guardian requests for children now 13 close; old ones expire."""
    return guardian_approval.review_ages(db.session(), utc_now())
