"""Submitting jobs when a transaction commits: to RQ on Redis, or inline in this process.

A job submitted before its commit could run before the data it needs is visible, or run for
a change that rolled back; so services only ask (`after_commit`) and the session's commit
submits. Every job is idempotent: it reads the database and does what is still due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

logger = logging.getLogger(__name__)

DISPATCHER = "portal.jobs"
PENDING = "portal.jobs.pending"


class Job(StrEnum):
    """Every job, by the dotted name RQ imports it by (portal/jobs/tasks.py)."""

    SEND_NOTIFICATION = "portal.jobs.tasks.send_notification"
    BUILD_COPY = "portal.jobs.tasks.build_copy"
    SEND_DUE_NOTIFICATIONS = "portal.jobs.tasks.send_due_notifications"
    BUILD_DUE_COPIES = "portal.jobs.tasks.build_due_copies"
    RETENTION = "portal.jobs.tasks.apply_retention"
    AGE_REVIEW = "portal.jobs.tasks.review_ages"

    @property
    def queue(self) -> str:
        """Messages never wait behind slow copy builds, nor builds behind the nightly runs."""
        if self in (Job.SEND_NOTIFICATION, Job.SEND_DUE_NOTIFICATIONS):
            return "messages"
        if self in (Job.BUILD_COPY, Job.BUILD_DUE_COPIES):
            return "copies"
        return "nightly"

    @property
    def timeout(self) -> int:
        return 3600 if self.queue == "nightly" else 600


QUEUES = ("messages", "copies", "nightly")


@dataclass(frozen=True)
class Submission:
    job: Job
    args: tuple[str, ...]
    job_id: str | None = None


class Dispatcher(Protocol):
    def submit(self, submission: Submission) -> None:
        """Hands a committed job over to run."""


def after_commit(db: Session, job: Job, *args: str) -> None:
    """Runs `job(*args)` once `db`'s transaction commits; never if it rolls back."""
    db.info.setdefault(PENDING, []).append(Submission(job, args))


@event.listens_for(Session, "after_commit")
def _submit_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    dispatcher: Dispatcher | None = session.info.get(DISPATCHER)
    for submission in session.info.pop(PENDING, []):
        if dispatcher is not None:
            dispatcher.submit(submission)


@event.listens_for(Session, "after_transaction_end")
def _forget_rolled_back(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def dispatcher(app: Flask) -> Dispatcher:
    """The app's dispatcher (`init_app`)."""
    result: Dispatcher = app.extensions[DISPATCHER]
    return result
