"""Background jobs: with Redis, RQ jobs that a real worker runs, retried with backoff, and
never lost (a job that fails every retry waits in the failed registry while the sweep does
its work); without, inline once the request or command that committed is over."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.utils import import_string

from portal import db as portal_db
from portal.jobs.queue import QUEUES, Job
from portal.jobs.worker import failed_jobs, redis_jobs
from portal.models import CopyRequest, Notification, NotificationKind, NotificationStatus
from portal.services.notifications import enqueue
from tests.conftest import sign_in
from tests.databases import rolled_back_app
from tests.mail import Mailbox, free_port, smtp_server
from tests.queues import jobs_in, queued_app, redis_is_running, work
from tests.web.test_copy_requests import SAM, ask, fill_in, send

needs_redis = pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
RESET_LINK = "http://localhost/reset-password/test-token"


def session_of(app: Flask) -> Session:
    session: Session = app.extensions["database"].sessions()
    return session


def reset_email(session: Session) -> Notification:
    notification = enqueue(session, NotificationKind.RESET_PASSWORD, SAM, "en", link=RESET_LINK)
    session.flush()
    return notification


def mail_to(app: Flask, port: int) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False)


def asked_copy(app: Flask, session: Session) -> CopyRequest:
    client = app.test_client()
    sign_in(client, SAM)
    reference = ask(client).rsplit("/", 1)[-1]
    found = session.scalar(select(CopyRequest).where(CopyRequest.reference == reference))
    assert found is not None
    return found


def test_every_job_names_a_function_that_a_worker_can_import() -> None:
    assert all(callable(import_string(job.value)) for job in Job)
    assert {job.queue for job in Job} == set(QUEUES)


@pytest.fixture
def mailbox(app: Flask) -> Iterator[Mailbox]:
    box, port = Mailbox(), free_port()
    mail_to(app, port)
    with smtp_server(port, box):
        yield box


@needs_redis
def test_a_copy_request_enqueues_its_build_and_its_email_and_a_worker_does_both(
    database_url: str,
) -> None:
    box, port = Mailbox(), free_port()
    with queued_app(database_url) as app, smtp_server(port, box):
        mail_to(app, port)
        session = session_of(app)
        request = asked_copy(app, session)
        assert jobs_in(app, "copies") == [(Job.BUILD_COPY, (str(request.id),))]
        [(job, (notification_id,))] = jobs_in(app, "messages")
        notification = session.get_one(Notification, uuid.UUID(notification_id))
        assert (job, notification.kind) == (Job.SEND_NOTIFICATION, NotificationKind.COPY_RECEIVED)
        work(app)
        session.refresh(request)
        assert request.copy_built_at is not None and request.build_leased_until is None
        assert [message["To"] for message in box.received] == [SAM]
        assert jobs_in(app, "copies") == jobs_in(app, "messages") == []


@needs_redis
def test_a_job_is_enqueued_when_its_transaction_commits_and_never_if_it_rolls_back(
    database_url: str,
) -> None:
    with queued_app(database_url) as app:
        session = session_of(app)
        reset_email(session)
        assert jobs_in(app, "messages") == []
        session.rollback()
        assert jobs_in(app, "messages") == []
        with session.begin_nested():
            kept = reset_email(session)
        # A savepoint released is not a commit: the outer transaction could still roll back.
        assert jobs_in(app, "messages") == []
        session.commit()
        assert jobs_in(app, "messages") == [(Job.SEND_NOTIFICATION, (str(kept.id),))]


@needs_redis
def test_a_failed_job_is_retried_after_its_backoff_and_then_succeeds(
    database_url: str, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    with queued_app(database_url, JOB_RETRY_INTERVALS=(2,)) as app:
        app.config["COPIES_DIR"] = str(not_a_folder / "copies")
        session = session_of(app)
        request = asked_copy(app, session)
        started = dt.datetime.now(dt.UTC)
        work(app)  # cannot write the copy
        queue = redis_jobs(app).queue("copies")
        [job_id] = queue.scheduled_job_registry.get_job_ids()
        retry_at = queue.scheduled_job_registry.get_scheduled_time(job_id)
        # Two seconds after the failure, not at once. RQ keeps whole seconds, so up to one of
        # the two is cut off, and on a busy machine the failure itself can take a while.
        assert started + dt.timedelta(seconds=1) < retry_at
        assert retry_at <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
        session.refresh(request)
        assert request.copy_built_at is None and request.build_leased_until is None
        app.config["COPIES_DIR"] = str(tmp_path / "copies")
        time.sleep(max(0.0, (retry_at - dt.datetime.now(dt.UTC)).total_seconds()) + 0.1)
        work(app, scheduler=True)
        session.refresh(request)
        assert request.copy_built_at is not None
        assert queue.fetch_job(job_id).get_status() == "finished"
        assert queue.failed_job_registry.get_job_ids() == []


@needs_redis
def test_a_job_that_always_fails_waits_in_the_failed_registry_and_the_sweep_does_its_work(
    database_url: str,
) -> None:
    box, port = Mailbox(), free_port()
    with queued_app(database_url, JOB_RETRY_INTERVALS=(0, 0)) as app:
        mail_to(app, port)  # nothing listens there yet
        session = session_of(app)
        # Only this test's message is due (the demo data's count as sent).
        session.execute(update(Notification).values(status=NotificationStatus.SENT))
        notification = reset_email(session)
        session.commit()
        cli = app.test_cli_runner()
        assert cli.invoke(args=["worker", "--burst", "--simple"]).exit_code == 0
        [failed] = failed_jobs(app)
        assert (failed.func_name, failed.args) == (Job.SEND_NOTIFICATION, [str(notification.id)])
        assert str(notification.id) in cli.invoke(args=["failed-jobs"]).output
        session.refresh(notification)
        assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 3)
        # The mail server is back and the message's backoff has passed: the sweep sends it.
        notification.next_attempt_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        session.commit()
        with smtp_server(port, box):
            assert cli.invoke(args=["enqueue", "sweep"]).output.startswith("Enqueued: ")
            work(app)
        assert [message["To"] for message in box.received] == [SAM]
        session.refresh(notification)
        assert notification.status is NotificationStatus.SENT
        # Requeued, the failed job finds its work done and sends nothing twice.
        assert cli.invoke(args=["failed-jobs", "--requeue"]).output == "Requeued 1 failed jobs.\n"
        work(app)
        assert failed_jobs(app) == [] and len(box.received) == 1


@needs_redis
def test_periodic_work_is_enqueued_once_per_slot_however_many_timers_ask(
    database_url: str,
) -> None:
    with queued_app(database_url) as app:
        cli = app.test_cli_runner()
        first = cli.invoke(args=["enqueue", "retention"])
        assert (first.exit_code, cli.invoke(args=["enqueue", "retention"]).output) == (
            0,
            "Already enqueued.\n",
        )
        assert jobs_in(app, "nightly") == [(Job.RETENTION, ())]
        cli.invoke(args=["enqueue", "age-review"])
        work(app)
        assert jobs_in(app, "nightly") == [] and failed_jobs(app) == []


SESSIONS: list[Session] = []


def note_the_session() -> int:
    """A job that keeps its session for the test to look at afterwards."""
    session = portal_db.session()
    session.execute(select(1))
    SESSIONS.append(session)
    return len(SESSIONS)


@needs_redis
def test_each_job_runs_with_its_own_session_closed_when_it_ends(database_url: str) -> None:
    with queued_app(database_url) as app:
        queue = redis_jobs(app).queue("messages")
        SESSIONS.clear()
        queue.enqueue(note_the_session)
        queue.enqueue(note_the_session)
        work(app)
        first, second = SESSIONS
        assert first is not second
        assert not first.in_transaction() and not second.in_transaction()


def test_a_commit_still_succeeds_when_redis_is_down(database_url: str) -> None:
    down = f"redis://127.0.0.1:{free_port()}/0"
    with rolled_back_app(database_url, {"JOBS_REDIS_URL": down}) as app:
        session = session_of(app)
        notification = reset_email(session)
        session.commit()  # the sweep will send it
        assert session.get_one(Notification, notification.id).status is NotificationStatus.PENDING


def test_inline_a_job_runs_when_the_command_that_committed_it_is_over(
    app: Flask, mailbox: Mailbox
) -> None:
    with app.app_context():
        session = portal_db.session()
        reset_email(session)
        session.commit()
        assert mailbox.received == []
    assert [message["To"] for message in mailbox.received] == [SAM]


def test_inline_a_job_whose_transaction_rolled_back_never_runs(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    with app.app_context():
        session = portal_db.session()
        notification_id = reset_email(session).id
        session.rollback()
    assert mailbox.received == []
    assert db.get(Notification, notification_id) is None


def test_inline_a_copy_is_built_once_the_request_that_asked_for_it_is_over(
    app: Flask, db: Session
) -> None:
    client = app.test_client()
    sign_in(client, SAM)
    assert fill_in(client).status_code == 302
    sent = send(client)
    reference = sent.headers["Location"].removesuffix("?sent=1").rsplit("/", 1)[-1]
    request = db.scalar(select(CopyRequest).where(CopyRequest.reference == reference))
    assert request is not None and request.copy_built_at is not None


def test_inline_a_failing_job_is_logged_and_its_work_stays_due(
    app: Flask, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    with app.app_context():  # no email sender is configured
        session = portal_db.session()
        notification_id = reset_email(session).id
        session.commit()
    assert f"Job {Job.SEND_NOTIFICATION} failed" in caplog.text
    assert db.get_one(Notification, notification_id).status is NotificationStatus.PENDING
