"""flask commands for the job queue (production, with REDIS_URL): worker, enqueue,
failed-jobs. Without Redis the old commands (send-notifications, build-copies, retention,
age-review) do the same work in the foreground."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from rq.job import Job as RQJob

from portal.jobs.worker import (
    PERIODIC,
    enqueue_periodic,
    failed_jobs,
    make_worker,
    redis_jobs,
    requeue_failed,
)
from portal.models.columns import utc_now


@click.command("worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Stop once the queues are empty.")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a child each.")
def worker_command(burst: bool, simple: bool) -> None:
    """Run jobs from the queues (messages, copies, nightly), each in its own app context and
    session, retrying failures with backoff. Also moves retries back to the queue when due."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    make_worker(app, simple=simple).work(burst=burst, with_scheduler=True)


@click.command("enqueue")
@with_appcontext
@click.argument("work", type=click.Choice(sorted(PERIODIC)))
def enqueue_command(work: str) -> None:
    """For cron or a systemd timer: `sweep` every few minutes (messages and copies due but
    not done), `retention` and `age-review` nightly. Once per minute or day however many
    machines ask."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    enqueued = enqueue_periodic(app, work, utc_now())
    click.echo(f"Enqueued: {', '.join(enqueued)}." if enqueued else "Already enqueued.")


@click.command("failed-jobs")
@with_appcontext
@click.option("--requeue", is_flag=True, help="Put every failed job back on its queue.")
def failed_jobs_command(requeue: bool) -> None:
    """List the jobs that failed every retry (their work is still due in the database and
    the sweep retries it anyway), or requeue them all."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    redis_jobs(app)
    if requeue:
        click.echo(f"Requeued {requeue_failed(app)} failed jobs.")
        return
    for job in failed_jobs(app):
        click.echo(f"{job.id} {job.func_name}{tuple(job.args)} {job.ended_at}: {_error(job)}")


def _error(job: RQJob) -> str:
    """The exception's last line: its class and message (the traceback is in the logs)."""
    result = job.latest_result()
    lines = (result.exc_string or "").strip().splitlines() if result else []
    return lines[-1] if lines else ""


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(enqueue_command)
    app.cli.add_command(failed_jobs_command)
