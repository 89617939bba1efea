"""The two ways a committed job runs: RQ on Redis (production), or inline (the embedded
default, without REDIS_URL)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.serializers import JSONSerializer
from werkzeug.utils import import_string

from portal.db import close_session
from portal.jobs.queue import DISPATCHER, Dispatcher, Submission

logger = logging.getLogger(__name__)


class RedisJobs:
    """Production: RQ on Redis, retried with backoff; the failed stay in RQ's failed registry."""

    def __init__(self, url: str, prefix: str, retry_intervals: tuple[int, ...]) -> None:
        self.url = url
        # A request that commits never hangs on an unreachable Redis (the sweep has its work).
        self.connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        self.prefix = prefix
        self.retry_intervals = retry_intervals

    def queue(self, name: str, connection: Redis | None = None) -> Queue:
        return Queue(
            f"{self.prefix}-{name}",
            connection=connection or self.connection,
            serializer=JSONSerializer,
        )

    def submit(self, submission: Submission) -> None:
        try:
            self.enqueue(submission)
        except RedisError:
            # Committed work is never lost with its nudge: the sweep finds it in the database.
            logger.exception("Job %s not enqueued; the sweep will find its work", submission.job)

    def enqueue(self, submission: Submission, **options: Any) -> Any:
        retry = Retry(max=len(self.retry_intervals), interval=list(self.retry_intervals))
        return self.queue(submission.job.queue).enqueue(
            str(submission.job),
            args=submission.args,
            job_id=submission.job_id,
            retry=retry if self.retry_intervals else None,
            job_timeout=submission.job.timeout,
            failure_ttl=FAILURE_TTL,
            **options,
        )


# Failed jobs stay this long for staff to see and requeue; their work stays due regardless.
FAILURE_TTL = 90 * 24 * 60 * 60


class InlineJobs:
    """The embedded default: the job runs in this process once the request (or command) that
    committed it is over and its session closed, in an app context and session of its own,
    once. If it fails, the error is logged and its work stays due in the database for the
    next sweep. It runs before the response leaves, so a slow job (a copy's PDF) holds that
    one page for its seconds: a server that reports a response's end (the dev server's
    close after a client's reset, for one) cannot be relied on to run it afterwards."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        app.teardown_appcontext(self._at_context_end)

    def submit(self, submission: Submission) -> None:
        if has_app_context():
            g.setdefault("inline_jobs", []).append(submission)
        else:
            # Only a bare session outside any app (tests): the sweep finds its work.
            logger.info("Job %s left to the sweep: no request or command", submission.job)

    def _at_context_end(self, _error: BaseException | None) -> None:
        submissions = g.pop("inline_jobs", [])
        if submissions:
            close_session()  # the request's own session ends before its jobs begin
            self.run_all(submissions)

    def run_all(self, submissions: list[Submission]) -> None:
        for submission in submissions:
            logger.debug("Running job %s%s inline", submission.job, submission.args)
            with self.app.app_context():
                try:
                    import_string(str(submission.job))(*submission.args)
                except Exception:  # the work stays due in the database
                    logger.exception("Job %s failed; the sweep will retry it", submission.job)


def init_app(app: Flask) -> None:
    """RQ when REDIS_URL is set, else inline; every session of the app submits through it."""
    url = app.config.get("JOBS_REDIS_URL")
    jobs: Dispatcher = (
        RedisJobs(url, app.config["JOB_QUEUE_PREFIX"], tuple(app.config["JOB_RETRY_INTERVALS"]))
        if url
        else InlineJobs(app)
    )
    app.extensions[DISPATCHER] = jobs
    app.extensions["database"].info[DISPATCHER] = jobs
