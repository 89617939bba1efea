"""Retention of complaints, correction and copy requests, copies and invitation codes: each
goes on the day its period ends (London dates), not the day before, once; a dry run lists
it and changes nothing; each disposal leaves a tombstone and an audit event that name no one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.ages import LONDON
from portal.cli import RETENTION_LABELS
from portal.db import Base
from portal.models import (
    Attachment,
    AuditEvent,
    Complaint,
    CopyRequest,
    CorrectionEvent,
    CorrectionRequest,
    InvitationCode,
    Tombstone,
)
from portal.models.columns import utc_now
from portal.services.complaints import Complainant, Raised, add_event, raise_complaint
from portal.services.retention import (
    DISPOSED,
    Schedule,
    anniversary,
    anonymise_complaints,
    expire_invitations,
)
from portal.services.retention_requests import dispose_copy_requests, dispose_correction_requests
from portal.uploads import check_upload
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus, CorrectionStatus
from tests.factories import (
    case_household,
    closed_copy_request,
    decided_correction,
    logged_complaint,
    unused_invitation,
)

LETTER = b"%PDF-1.4\n%%EOF\n"
CLOSED_ON = dt.date(2018, 5, 17)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)


def schedule(app: Flask) -> Schedule:
    return Schedule.from_config(app.config)


def closed_complaint(db: Session, folder: Path, key: str, closed_years_ago: float) -> Complaint:
    now = utc_now()
    received = raise_complaint(
        db,
        complainant=Complainant(name="Pat Example", email="pat.example@example.com"),
        raised=Raised(
            ComplaintCategory.SECURITY,
            "My letter went to the wrong address",
            "Tell me who saw it",
            submission_key=key * 20,
            evidence=[check_upload(LETTER, "letter.pdf")],
        ),
        channel=ComplaintChannel.PORTAL,
        now=now,
        public_url="http://127.0.0.1:5000",
        attachments_dir=folder,
    )
    complaint = received.complaint
    add_event(complaint, None, now, "note", note="Spoke to the post room about Pat")
    complaint.status = ComplaintStatus.CLOSED
    complaint.outcome_text = "Dear Pat Example, ..."
    complaint.closed_at = now - dt.timedelta(days=round(365.25 * closed_years_ago))
    db.commit()
    return complaint


def test_old_closed_complaints_are_anonymised_and_young_ones_kept(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    app.config["ATTACHMENTS_DIR"] = str(tmp_path)
    old = closed_complaint(db, tmp_path, "o", 6.2)
    young = closed_complaint(db, tmp_path, "y", 5.5)
    old_file = tmp_path / old.attachments[0].storage_key
    assert old_file.exists()

    result = app.test_cli_runner().invoke(args=["retention"])
    assert result.exit_code == 0, result.output
    assert "Complaints anonymised: 1." in result.output

    db.expire_all()
    old, young = db.get(Complaint, old.id), db.get(Complaint, young.id)
    assert old.anonymised_at is not None and old.reference.startswith("CMP-")
    assert (old.complainant_name, old.complainant_email, old.outcome_text) == (None, None, None)
    assert old.what_happened == "" and old.access_token_hash is None
    assert all(event.note is None for event in old.events)
    assert old.attachments == [] and not old_file.exists()
    assert old.category is ComplaintCategory.SECURITY and old.received_on  # still counted
    assert young.anonymised_at is None and young.complainant_name == "Pat Example"
    assert len(db.scalars(select(Attachment)).all()) == 1
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == DISPOSED))
    assert event is not None and old.closed_at is not None
    assert event.detail == {
        "kind": "complaint",
        "rule": "complaint_closed",
        "due_on": str(anniversary(old.closed_at.astimezone(LONDON).date(), 6)),
        "tombstone": old.reference,
    }

    again = app.test_cli_runner().invoke(args=["retention"])
    assert "Complaints anonymised: 0." in again.output


def test_a_complaint_is_anonymised_on_the_sixth_anniversary_of_its_closure_not_before(
    app: Flask, db: Session
) -> None:
    complaint = logged_complaint(db, received_on=CLOSED_ON, status=ComplaintStatus.CLOSED)
    # 23:30 in London on the day it closed is already the next day in UTC's eyes in summer.
    complaint.closed_at = dt.datetime.combine(CLOSED_ON, dt.time(23, 30), tzinfo=LONDON)
    db.commit()
    anniversary = dt.date(2024, 5, 17)

    assert anonymise_complaints(db, noon(anniversary - dt.timedelta(days=1)), schedule(app)) == []
    [done] = anonymise_complaints(db, noon(anniversary), schedule(app))
    assert (done.label, done.due_on) == (complaint.reference, anniversary)
    assert anonymise_complaints(db, noon(anniversary + dt.timedelta(days=1)), schedule(app)) == []
    db.refresh(complaint)
    assert complaint.anonymised_at is not None and complaint.complainant_name is None


def test_accepted_corrections_go_six_years_after_the_decision_leaving_a_tombstone(
    app: Flask, db: Session
) -> None:
    old = case_household(db, adult_born=dt.date(1990, 1, 1))
    accepted = decided_correction(
        db, person=old.adult, requester=old.account, decided_at=noon(CLOSED_ON)
    )
    disputed = decided_correction(
        db,
        person=old.adult,
        requester=old.account,
        decided_at=noon(CLOSED_ON),
        status=CorrectionStatus.REFUSED,
    )
    anniversary = dt.date(2024, 5, 17)

    day_before = noon(anniversary - dt.timedelta(days=1))
    assert dispose_correction_requests(db, day_before, schedule(app)) == []
    [done] = dispose_correction_requests(db, noon(anniversary), schedule(app))
    assert dispose_correction_requests(db, noon(anniversary), schedule(app)) == []

    db.expire_all()
    assert done.label == accepted.reference and db.get(CorrectionRequest, accepted.id) is None
    assert (
        db.scalars(select(CorrectionEvent).where(CorrectionEvent.request_id == accepted.id)).all()
        == []
    )
    # A refused correction is the "disputed" note beside the record: it stays with it.
    assert db.get(CorrectionRequest, disputed.id) is not None
    tombstone = db.scalar(select(Tombstone).where(Tombstone.reference == accepted.reference))
    assert tombstone is not None
    assert (tombstone.kind, tombstone.rule, tombstone.status) == (
        "correction_request",
        "request_closed",
        "accepted",
    )
    assert (tombstone.closed_on, tombstone.due_on) == (CLOSED_ON, anniversary)
    assert_names_no_one(db, tombstone, "Oldcase", old.account.email)


def test_released_copy_requests_go_six_years_after_release(app: Flask, db: Session) -> None:
    old = case_household(db, adult_born=dt.date(1990, 1, 1))
    request = closed_copy_request(db, requester=old.account, closed_at=noon(CLOSED_ON))
    anniversary = dt.date(2024, 5, 17)

    assert dispose_copy_requests(db, noon(dt.date(2024, 5, 16)), schedule(app)) == []
    [done] = dispose_copy_requests(db, noon(anniversary), schedule(app))
    assert dispose_copy_requests(db, noon(dt.date(2024, 5, 18)), schedule(app)) == []

    db.expire_all()
    assert db.get(CopyRequest, request.id) is None
    tombstone = db.scalar(select(Tombstone).where(Tombstone.reference == done.label))
    assert tombstone is not None and tombstone.kind == "copy_request"
    assert (tombstone.status, tombstone.opened_on) == ("released", request.received_on)
    assert_names_no_one(db, tombstone, "Oldcase", old.account.email)


def test_unused_invitation_codes_go_thirty_days_after_issue(app: Flask, db: Session) -> None:
    old = case_household(db, adult_born=dt.date(1990, 1, 1))
    code = unused_invitation(db, person=old.adult, issued_at=noon(CLOSED_ON))
    spent = unused_invitation(db, person=old.adult, issued_at=noon(CLOSED_ON))
    spent.spent_at = noon(CLOSED_ON)
    db.commit()
    due = CLOSED_ON + dt.timedelta(days=30)

    assert expire_invitations(db, noon(due - dt.timedelta(days=1)), schedule(app)) == []
    [done] = expire_invitations(db, noon(due), schedule(app))
    assert expire_invitations(db, noon(due + dt.timedelta(days=1)), schedule(app)) == []

    db.expire_all()
    assert done.label == str(code.id) and db.get(InvitationCode, code.id) is None
    assert db.get(InvitationCode, spent.id) is not None
    tombstone = db.scalar(select(Tombstone).where(Tombstone.kind == "invitation_code"))
    assert tombstone is not None and (tombstone.status, tombstone.due_on) == ("expired", due)
    assert_names_no_one(db, tombstone, "Oldcase", old.account.email)


def test_a_dry_run_lists_every_kind_by_reference_and_changes_nothing(
    app: Flask, db: Session
) -> None:
    old = case_household(db, adult_born=dt.date(1960, 1, 1), child_born=dt.date(1990, 1, 1))
    complaint = logged_complaint(db, received_on=CLOSED_ON, status=ComplaintStatus.CLOSED)
    complaint.closed_at = noon(CLOSED_ON)
    other = case_household(db, adult_born=dt.date(1980, 1, 1), child_born=dt.date(2020, 1, 1))
    correction = decided_correction(
        db, person=other.adult, requester=other.account, decided_at=noon(CLOSED_ON)
    )
    copy = closed_copy_request(db, requester=other.account, closed_at=noon(CLOSED_ON))
    unused_invitation(db, person=other.adult, issued_at=noon(CLOSED_ON))
    before = snapshot(db)

    result = app.test_cli_runner().invoke(args=["retention", "--dry-run"])

    assert result.exit_code == 0, result.output
    for reference in (complaint.reference, correction.reference, copy.reference):
        assert reference in result.output
    assert (
        f"household {old.household.reference}: youngest_child_age, due 2015-01-01" in result.output
    )
    assert "Households' case data disposed of (dry run): 1." in result.output
    for personal in ("Oldcase", "Robin", "Oldcase Row", "SY99", old.account.email):
        assert personal not in result.output
    db.expire_all()
    assert snapshot(db) == before

    result = app.test_cli_runner().invoke(args=["retention"])
    assert "Households' case data disposed of: 1." in result.output
    assert "Correction requests disposed of: 1." in result.output
    assert "Copy requests disposed of: 1." in result.output
    assert "Unused invitation codes deleted: 1." in result.output
    db.expire_all()
    after = snapshot(db)
    assert after != before

    again = app.test_cli_runner().invoke(args=["retention"])
    assert again.output.count(": 0.") == len(RETENTION_LABELS)
    db.expire_all()
    assert snapshot(db) == after


def snapshot(db: Session) -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    return {
        table.name: sorted(repr(tuple(row)) for row in db.execute(select(table)))
        for table in Base.metadata.sorted_tables
    }


def assert_names_no_one(db: Session, tombstone: Tombstone, *personal: str) -> None:
    """Neither the tombstone nor the audit event that names it holds personal data."""
    event = db.scalar(
        select(AuditEvent).where(
            AuditEvent.action == DISPOSED,
            AuditEvent.detail["tombstone"].as_string() == str(tombstone.id),
        )
    )
    assert event is not None and event.subject_person_id is None
    assert event.detail["rule"] == tombstone.rule.value
    text = repr(snapshot_row(tombstone)) + repr(event.detail)
    for value in personal:
        assert value not in text


def snapshot_row(tombstone: Tombstone) -> tuple[object, ...]:
    return tuple(getattr(tombstone, column.key) for column in Tombstone.__table__.columns)
