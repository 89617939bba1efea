"""RQ on the real Redis for tests: queues of their own per test, a worker in burst mode, and
clean-up that removes only those queues' keys (other processes and people share Redis)."""

from __future__ import annotations

import signal
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from redis import Redis
from rq import Queue

from portal.jobs.queue import QUEUES
from portal.jobs.worker import make_worker, redis_jobs
from tests.databases import rolled_back_app

# Shared with the rate limit tests; every key a test writes carries the test's own prefix.
REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_is_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def queued_app(database_url: str, **settings: Any) -> Iterator[Flask]:
    """A rolled-back app whose jobs go to RQ, on queues named for this test alone."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    config = {"JOBS_REDIS_URL": REDIS_URL, "JOB_QUEUE_PREFIX": prefix, **settings}
    with rolled_back_app(database_url, config) as app:
        try:
            yield app
        finally:
            forget_queues(redis_jobs(app).connection, prefix)


def jobs_in(app: Flask, queue: str) -> list[tuple[str, tuple[Any, ...]]]:
    """What waits on one of the app's queues: each job's function and arguments."""
    waiting = redis_jobs(app).queue(queue).get_jobs()
    return [(job.func_name, tuple(job.args)) for job in waiting]


def work(app: Flask, scheduler: bool = False) -> None:
    """Runs every waiting job in this process, as `flask --app portal worker --burst
    --simple` would; the worker's signal handlers are put back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    worker = make_worker(app, simple=True)
    try:
        worker.work(burst=True, with_scheduler=scheduler)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        worker.connection.delete(worker.key)


def forget_queues(connection: Redis, prefix: str) -> None:
    """Deletes the queues, their registries, their jobs and their results."""
    names = [f"{prefix}-{name}" for name in QUEUES]
    job_ids: set[str] = set()
    for name in names:
        queue = Queue(name, connection=connection)
        job_ids.update(queue.get_job_ids())
        for registry in _registries(queue):
            job_ids.update(registry.get_job_ids(cleanup=False))
    keys = {key for job_id in job_ids for key in connection.scan_iter(f"rq:*{job_id}*")}
    keys.update(connection.scan_iter(f"*{prefix}*"))
    if keys:
        connection.delete(*keys)
    connection.srem("rq:queues", *(f"rq:queue:{name}" for name in names))


def _registries(queue: Queue) -> list[Any]:
    return [
        queue.started_job_registry,
        queue.finished_job_registry,
        queue.failed_job_registry,
        queue.deferred_job_registry,
        queue.scheduled_job_registry,
        queue.canceled_job_registry,
    ]
