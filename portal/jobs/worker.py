"""RQ workers that run each job in an app context of its own, so each job has its own
session, closed (and anything uncommitted rolled back) when the job ends; and the periodic
work that cron (or a systemd timer) enqueues.

The forking worker runs each job in a fresh child process (memory a large PDF took is given
back); the simple one runs jobs in its own process (tests, and machines that cannot fork).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from redis import Redis
from rq import SimpleWorker, Worker
from rq.exceptions import DuplicateJobError
from rq.job import Job as RQJob
from rq.registry import FailedJobRegistry
from rq.serializers import JSONSerializer

from portal.jobs.dispatch import RedisJobs
from portal.jobs.queue import QUEUES, Job, Submission, dispatcher


class _InAppContext:
    app: Flask

    def perform_job(self, *args: Any, **kwargs: Any) -> bool:
        with self.app.app_context():
            done: bool = super().perform_job(*args, **kwargs)  # type: ignore[misc]
            return done


class AppWorker(_InAppContext, Worker):
    def main_work_horse(self, *args: Any, **kwargs: Any) -> None:
        # The child must not share the parent's pooled connections (SQLAlchemy's advice).
        self.app.extensions["database"].engine.dispose(close=False)
        super().main_work_horse(*args, **kwargs)


class SimpleAppWorker(_InAppContext, SimpleWorker):
    pass


def redis_jobs(app: Flask) -> RedisJobs:
    jobs = dispatcher(app)
    if not isinstance(jobs, RedisJobs):
        raise RuntimeError("REDIS_URL is not set: jobs run inline, with no queue or worker")
    return jobs


def make_worker(app: Flask, simple: bool = False) -> Worker | SimpleWorker:
    """A worker on the app's queues, messages first, then copies, then the nightly runs."""
    jobs = redis_jobs(app)
    # Its own connection, without the timeouts of enqueueing: it waits on the queues.
    connection = Redis.from_url(jobs.url)
    worker_class = SimpleAppWorker if simple else AppWorker
    worker = worker_class(
        [jobs.queue(name, connection) for name in QUEUES],
        connection=connection,
        serializer=JSONSerializer,
    )
    worker.app = app
    return worker


PERIODIC = {
    # Every few minutes: whatever is due but not done (a nudge lost, a job that failed).
    "sweep": ((Job.SEND_DUE_NOTIFICATIONS, Job.BUILD_DUE_COPIES), "%Y%m%d%H%M"),
    "retention": ((Job.RETENTION,), "%Y%m%d"),
    "age-review": ((Job.AGE_REVIEW,), "%Y%m%d"),
}


def enqueue_periodic(app: Flask, name: str, now: dt.datetime) -> list[str]:
    """Enqueues the named periodic work once per minute (sweep) or day (nightly), however
    many machines' timers ask: the job id names the slot. Returns what was enqueued."""
    jobs, (kinds, slot) = redis_jobs(app), PERIODIC[name]
    enqueued = []
    for job in kinds:
        job_id = f"{jobs.prefix}-{job.name.lower()}-{now.strftime(slot)}"
        try:
            jobs.enqueue(Submission(job, (), job_id), unique=True)
        except DuplicateJobError:
            continue
        enqueued.append(job_id)
    return enqueued


def failed_jobs(app: Flask) -> list[RQJob]:
    """Jobs that failed every retry, in every queue, for staff to look at and requeue."""
    jobs, failed = redis_jobs(app), list[RQJob]()
    for name in QUEUES:
        ids = FailedJobRegistry(queue=jobs.queue(name)).get_job_ids()
        fetched = RQJob.fetch_many(ids, connection=jobs.connection, serializer=JSONSerializer)
        failed.extend(job for job in fetched if job is not None)
    return failed


def requeue_failed(app: Flask) -> int:
    jobs, count = redis_jobs(app), 0
    for name in QUEUES:
        registry = FailedJobRegistry(queue=jobs.queue(name))
        for job_id in registry.get_job_ids():
            registry.requeue(job_id)
            count += 1
    return count
