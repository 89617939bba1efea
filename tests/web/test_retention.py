"""Retention: six years after closure a complaint is anonymised, never deleted; its
attachments' files go; what is left still counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import Attachment, AuditEvent, Complaint
from portal.models.columns import utc_now
from portal.services.complaints import Complainant, Raised, add_event, raise_complaint
from portal.uploads import check_upload
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus

LETTER = b"%PDF-1.4\n%%EOF\n"


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
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "retention.complaints"))

    again = app.test_cli_runner().invoke(args=["retention"])
    assert "Complaints anonymised: 0." in again.output
