"""flask commands: migrate, demo-data, send-notifications, age-review, import-sharing,
retention, build-copies, verify-audit, backup, restore, rotate-keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from portal import db
from portal.ages import london_today
from portal.demo.generated import LOAD_PASSWORD, add_generated_households
from portal.demo.household import DEMO_ACCOUNTS, DEMO_REFERENCE, build_demo_household
from portal.migrate import upgrade
from portal.models import Household
from portal.models.columns import utc_now
from portal.passwords import hash_password
from portal.services.audit_verify import verify_chain
from portal.services.backup import BackupError, restore_backup, write_backup
from portal.services.delivery import DeliveryNotConfigured, send_due, senders_from_config
from portal.services.guardian_approval import review_ages
from portal.services.key_rotation import rotate_keys
from portal.services.partner_register import ensure_partner_register
from portal.services.retention import Schedule
from portal.services.retention_run import apply_retention
from portal.services.sharing_import import ImportFileError, import_sharing, read_export


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring the database schema up to date (Alembic upgrade to head)."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("Database is up to date.")


@click.command("demo-data")
@with_appcontext
@click.option(
    "--households", default=0, show_default=True, help="Generated households for load work."
)
def demo_data_command(households: int) -> None:
    """Load the synthetic demo household (once) and generated households; list the accounts."""
    session = db.session()
    partners = ensure_partner_register(session)
    demo = select(Household.id).where(Household.reference == DEMO_REFERENCE)
    if session.scalar(demo) is None:
        build_demo_household(
            session, dt.datetime.now(dt.UTC), partners, current_app.config["PUBLIC_URL"].rstrip("/")
        )
    session.commit()
    added = add_generated_households(
        session, households, london_today(), hash_password(LOAD_PASSWORD)
    )
    click.echo(f"Demo household {DEMO_REFERENCE} is loaded. Demo accounts (email / password):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.email:<28} {account.password:<26} {account.who}")
        if account.totp_secret:
            click.echo(
                f"  {'':<28} two-step key (add to an authenticator app): {account.totp_secret}"
            )
    if households:
        click.echo(
            f"Generated households: {households} ({added} added now); "
            f"accounts parent0@example.com ... parent{households - 1}@example.com, "
            f"password {LOAD_PASSWORD}"
        )


@click.command("send-notifications")
@with_appcontext
@click.option(
    "--limit", default=100, show_default=True, type=click.IntRange(min=1), help="Most to send."
)
def send_notifications_command(limit: int) -> None:
    """Send the emails and text messages that are due. Failed ones stay in the outbox and are
    retried later, so only a missing email sender (or a half-configured one) makes this exit
    non-zero; texts without a text message sender wait for one."""
    try:
        senders = senders_from_config(current_app.config)
    except DeliveryNotConfigured as error:
        raise click.ClickException(str(error)) from error
    report = send_due(db.session(), senders, utc_now(), limit=limit)
    click.echo(f"Sent {report.sent}. Failed {report.failed} (will be retried).")


@click.command("age-review")
@with_appcontext
def age_review_command() -> None:
    """Nightly: close guardian requests for children who have turned 13, expire old ones."""
    counts = review_ages(db.session(), utc_now())
    click.echo(
        f"No longer needed (turned 13): {counts['not_needed']}. Expired: {counts['expired']}."
    )


@click.command("import-sharing")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_sharing_command(file: Path) -> None:
    """Import sharing events from the case management system's export (CSV or JSON lines).
    Every row is checked first: if any is wrong, each is reported by its line and nothing is
    imported. Rows already imported (by external reference) are skipped."""
    with force_locale("en_GB"):
        try:
            report = import_sharing(db.session(), read_export(file), file.name, london_today())
        except ImportFileError as error:
            raise click.ClickException(f"{error} Nothing was imported.") from error
        for problem in report.problems:
            where = f"Line {problem.line}" + (f", {problem.column}" if problem.column else "")
            click.echo(f"{where}: {problem.message}", err=True)
    if report.problems:
        lines = len({problem.line for problem in report.problems})
        raise click.ClickException(
            f"Nothing was imported: {lines} {'row has' if lines == 1 else 'rows have'} problems."
        )
    click.echo(f"Imported {_events(report.imported)}.")
    if report.already_imported:
        click.echo(f"Skipped {_events(report.already_imported)} already imported.")


@click.command("retention")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would go; change nothing.")
def retention_command(dry_run: bool) -> None:
    """Nightly: apply the retention schedule (DESIGN.md; settings in README.md). Each step
    disposes of one kind of record, leaving a tombstone and an audit event; with --dry-run
    each lists what it would dispose of (references and ids only) and nothing changes."""
    session = db.session()
    run = apply_retention(
        session, utc_now(), Schedule.from_config(current_app.config), dry_run=dry_run
    )
    if dry_run:
        session.rollback()
        for item in run.disposals:
            click.echo(f"Would dispose of {item.kind} {item.label}: {item.rule}, due {item.due_on}")
    counts = run.counts()
    for kind, label in RETENTION_LABELS.items():
        click.echo(f"{label}{' (dry run)' if dry_run else ''}: {counts[kind]}.")


RETENTION_LABELS = {
    "complaint": "Complaints anonymised",
    "correction_request": "Correction requests disposed of",
    "copy_request": "Copy requests disposed of",
    "copy_zip": "Copies of data deleted",
    "invitation_code": "Unused invitation codes deleted",
    "household": "Households' case data disposed of",
    "audit_events": "Audit events removed (older than 7 years)",
}


@click.command("build-copies")
@with_appcontext
def build_copies_command() -> None:
    """Every few minutes: build (or rebuild, if the record changed) the copy of each open
    request for a copy of someone's data, ready for an officer to review and release."""
    # Imported here: only the processes that build copies need to load Typst.
    from portal.services.copy_builds import build_copies

    report = build_copies(
        db.session(), current_app.config, Path(current_app.config["COPIES_DIR"]), utc_now()
    )
    click.echo(
        f"Copies built: {report.built}. Unchanged: {report.unchanged}. "
        f"Requester no longer entitled: {report.not_entitled}. Failed: {report.failed}."
    )
    if report.failed:
        raise SystemExit(1)


@click.command("verify-audit")
@with_appcontext
def verify_audit_command() -> None:
    """Walk the audit chain in order; name the first broken link (an event edited, deleted
    or moved) and exit non-zero, or say how many events are intact."""
    verdict = verify_chain(db.session())
    if verdict.broken:
        raise click.ClickException(
            f"Audit chain broken after {verdict.checked} intact events: {verdict.broken}."
        )
    events = "event" if verdict.checked == 1 else "events"
    click.echo(f"Audit chain OK: {verdict.checked} {events} verified.")


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write every table, as stored (encrypted values stay encrypted), to a new FILE that only
    its owner can read."""
    try:
        counts = write_backup(db.database().engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {file}.")


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load a backup into this database, which must be empty and migrated to the backup's
    revision. Run verify-audit afterwards."""
    try:
        counts = restore_backup(db.database().engine, file)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables from {file}.")


@click.command("rotate-keys")
@with_appcontext
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(min=1))
def rotate_keys_command(batch_size: int) -> None:
    """After adding a new key to DATA_KEYS and making it DATA_KEY_ID: re-encrypt every value
    under an older key (and any plaintext from before encryption) under it, in batches of
    --batch-size, one commit each. Stopped half-way, run it again to finish. The blind index
    key (BLIND_INDEX_KEY) is not changed."""
    key_id = db.database().keyring.current_key_id

    def progress(table: str, rows: int) -> None:
        click.echo(f"{table}: {rows} rows re-encrypted under {key_id}")

    total = rotate_keys(db.session(), batch_size, progress)
    click.echo(f"Done: {total} rows re-encrypted; every value is under key {key_id}.")


def _events(count: int) -> str:
    return f"{count} sharing event" + ("" if count == 1 else "s")


def init_app(app: Flask) -> None:
    app.cli.add_command(migrate_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(send_notifications_command)
    app.cli.add_command(age_review_command)
    app.cli.add_command(import_sharing_command)
    app.cli.add_command(retention_command)
    app.cli.add_command(build_copies_command)
    app.cli.add_command(verify_audit_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(rotate_keys_command)
