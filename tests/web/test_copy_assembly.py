"""The copy itself: assembled from the record as the requester may see it, built by the job
into a ZIP of an accessible PDF and schema-valid JSON, rebuilt when the record changes before
release, and deleted 30 days after release."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from flask import Flask
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.demo.synthetic import demo_id
from portal.jobs import tasks
from portal.models import Account, CopyRequest, DataItem, SharingEvent
from portal.models.columns import utc_now
from portal.policy import can_view_item
from portal.services import copy_handling, copy_redactions, copy_requests
from portal.services.copy_assembly import assemble, council_for
from portal.services.copy_builds import build_copies
from portal.services.copy_exclusions import SHARING_EVENT
from portal.services.copy_requests import Asked, copy_file
from portal.services.retention import Schedule, delete_expired_copies
from portal.services.viewers import viewer_for
from portal.templating import shown_value
from portal.vocabulary import Category, CopyDelivery, CopyReason, CopyStatus, CopyTreatment
from tests.conftest import person_id

SAM = "sam.rivers@example.com"
# Demo facts: the withheld item; what reveals the family's new address (restricted from Lee);
# and what Sam may not see (Jamie's record, which Jamie has not shared, and Alex's).
WITHHELD = ["MARAC"]
NEW_ADDRESS = [
    "14 Alder Close",
    "SY99 1AA",
    "Alder Vale",
    "Riverside Medical Practice",
    "To keep a child safe",
]
NOT_SAMS = [*WITHHELD, "Youth caution", "Referred to BeeU", "No bank account", "Physiotherapy"]
LEE = "lee.rivers@example.com"
OFFICER = "dpo.officer@example.com"
REVIEWER = "dpo.reviewer@example.com"


@pytest.fixture
def context(app: Flask) -> Iterator[Flask]:
    """Assembly speaks the request's language and the build renders templates: both need an
    app context, as the build command has."""
    with app.app_context():
        yield app


def account(db: Session, email: str) -> Account:
    found = db.scalar(select(Account).where(Account.email == email))
    assert found is not None
    return found


def ask(
    db: Session, email: str, subject: str, key: str, language: str = "en", **scope: object
) -> CopyRequest:
    requester = account(db, email)
    asked = Asked(
        subject_id=person_id(subject),
        categories=scope.get("categories", ()),  # type: ignore[arg-type]
        date_from=scope.get("date_from"),  # type: ignore[arg-type]
        date_to=scope.get("date_to"),  # type: ignore[arg-type]
        delivery=CopyDelivery.DOWNLOAD,
        submission_key=key * 16,
        language=language,
    )
    now = utc_now()
    made = copy_requests.ask_for_copy(
        db, account=requester, viewer=viewer_for(db, requester, now.date()), asked=asked, now=now
    )
    assert isinstance(made, CopyRequest)
    return made


def build(app: Flask, db: Session, now: dt.datetime | None = None) -> None:
    build_copies(db, app.config, copies_dir(app), now or utc_now())


def copies_dir(app: Flask) -> Path:
    return Path(app.config["COPIES_DIR"])


def opened(app: Flask, request: CopyRequest) -> tuple[str, dict, list[str]]:
    """The built ZIP's PDF text, its JSON, and the names of its files."""
    path = copy_file(request, copies_dir(app))
    assert path is not None
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        pdf = next(name for name in names if name.endswith(".pdf"))
        document = next(n for n in names if n.endswith(".json") and "schema" not in n)
        reader = PdfReader(io.BytesIO(archive.read(pdf)))
        text = " ".join(page.extract_text() for page in reader.pages)
        return " ".join(text.split()), json.loads(archive.read(document)), names


def visible_values(db: Session, email: str, subject: str) -> list[str]:
    requester = account(db, email)
    today = utc_now().date()
    viewer = viewer_for(db, requester, today)
    items = db.scalars(
        select(DataItem).where(
            DataItem.person_id == person_id(subject), DataItem.replaced_at.is_(None)
        )
    )
    return [shown_value(item) for item in items if can_view_item(viewer, item, today)]


def test_parents_copy_of_the_nine_year_old_holds_all_they_may_see_and_nothing_else(
    context: Flask, db: Session
) -> None:
    request = ask(db, SAM, "ellie", "a")
    build(context, db)
    db.refresh(request)
    text, document, names = opened(context, request)
    assert names == sorted(
        [
            f"copy-of-your-data-{request.reference}.json",
            f"copy-of-your-data-{request.reference}.pdf",
            "copy-of-your-data-schema.json",
        ]
    )
    values = visible_values(db, SAM, "ellie")
    assert values
    for value in values:
        assert " ".join(value.split()) in text
    for forbidden in NOT_SAMS:
        assert forbidden not in text
        assert forbidden not in json.dumps(document)
    # Other household members Sam may not see are redacted, not named.
    assert "Jamie" not in text and "Alex Morgan" not in text and "Lee Rivers" not in text
    assert "Dear Sam Rivers" in text and "ico.org.uk" in text


def test_the_json_validates_against_its_published_schema(context: Flask, db: Session) -> None:
    request = ask(db, SAM, "ellie", "b")
    build(context, db)
    db.refresh(request)
    path = copy_file(request, copies_dir(context))
    assert path is not None
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("copy-of-your-data-schema.json"))
        document = json.loads(archive.read(f"copy-of-your-data-{request.reference}.json"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    validator.validate(document)
    assert document["subject"]["name"] == "Ellie Rivers"
    assert document["subject"]["is_requester"] is False


def test_a_withheld_item_and_the_sharing_that_carried_it_leave_no_trace_but_staff_see_why(
    context: Flask, db: Session
) -> None:
    request = ask(db, SAM, "sam", "c")
    assembly = assemble(db, request, council_for(context.config, "en"), utc_now().date())
    assert assembly is not None
    assert WITHHELD[0] not in json.dumps(assembly.document)
    reasons = {(exclusion.reason, exclusion.treatment) for exclusion in assembly.exclusions}
    assert (CopyReason.WITHHELD, CopyTreatment.LEAVE_OUT) in reasons
    assert any(WITHHELD[0] in exclusion.detail for exclusion in assembly.exclusions)
    assert assembly.needs_second_officer


def test_the_former_member_restricted_from_the_new_address_gets_nothing_that_reveals_it(
    context: Flask, db: Session
) -> None:
    request = ask(db, LEE, "lee", "d")
    build(context, db)
    db.refresh(request)
    text, document, _ = opened(context, request)
    for forbidden in NEW_ADDRESS + WITHHELD:
        assert forbidden not in text
        assert forbidden not in json.dumps(document)


def test_categories_and_dates_narrow_the_copy(context: Flask, db: Session) -> None:
    today = utc_now().date()
    request = ask(
        db, SAM, "ellie", "e", categories=(Category.HEALTH,), date_from=today.replace(year=2000)
    )
    assembly = assemble(db, request, council_for(context.config, "en"), today)
    assert assembly is not None
    assert [section["category"] for section in assembly.document["sections"]] == ["health"]
    assert "14 Alder Close" not in json.dumps(assembly.document)


def test_a_copy_in_welsh_is_written_in_welsh(context: Flask, db: Session) -> None:
    request = ask(db, SAM, "ellie", "f", language="cy")
    build(context, db)
    db.refresh(request)
    text, document, _ = opened(context, request)
    assert document["language"] == "cy"
    assert "Annwyl Sam Rivers" in text


def test_a_record_changed_before_release_is_rebuilt_and_the_approval_asked_again(
    context: Flask, db: Session
) -> None:
    request = ask(db, SAM, "ellie", "g")
    build(context, db)
    officer, reviewer = account(db, OFFICER), account(db, REVIEWER)
    now = utc_now()
    council = council_for(context.config, "en")
    assert copy_handling.claim(db, officer, request, now, None) is copy_handling.Result.DONE
    assembly = assemble(db, request, council, now.date())
    assert assembly is not None and assembly.needs_second_officer
    assert copy_handling.release(db, officer, request, assembly, now, None).name == "DONE"
    assert request.status is CopyStatus.AWAITING_APPROVAL
    first_key = request.copy_storage_key

    item = db.get(DataItem, demo_id("item:ellie-health"))
    assert "inhaler" in item.value
    item.value = "Asthma; inhaler kept at school and at home"
    db.commit()
    build(context, db)
    db.refresh(request)
    assert request.status is CopyStatus.RECEIVED
    assert request.release_requested_by_id is None
    assert request.copy_storage_key != first_key
    assert not (copies_dir(context) / str(first_key)).exists()
    # The reviewer cannot approve what was asked for before the change.
    stale = copy_handling.approve(db, reviewer, request, assembly, now, None)
    assert stale is copy_handling.Result.NOT_ALLOWED
    text, _, _ = opened(context, request)
    assert "kept at school and at home" in text


def test_a_released_copy_is_deleted_30_days_later(context: Flask, db: Session) -> None:
    request = ask(db, SAM, "ellie", "h")
    build(context, db)
    db.refresh(request)
    path = copy_file(request, copies_dir(context))
    assert path is not None
    request.status = CopyStatus.RELEASED
    request.released_at = utc_now() - dt.timedelta(days=31)
    request.download_until = utc_now() - dt.timedelta(days=1)
    db.commit()
    schedule = Schedule.from_config(context.config)
    [deleted] = delete_expired_copies(db, utc_now(), schedule)
    assert deleted.label == request.reference and not path.exists()
    db.refresh(request)
    assert request.copy_storage_key is None
    assert delete_expired_copies(db, utc_now(), schedule) == []


def test_a_requester_who_lost_parental_responsibility_gets_no_copy(
    context: Flask, db: Session
) -> None:
    from portal.models import Relationship

    request = ask(db, SAM, "ellie", "i")
    link = db.scalar(
        select(Relationship).where(
            Relationship.person_id == person_id("sam"),
            Relationship.related_person_id == person_id("ellie"),
        )
    )
    assert link is not None
    link.ended_on = utc_now().date() - dt.timedelta(days=1)
    link.started_on = min(link.started_on, link.ended_on)
    db.commit()
    assert assemble(db, request, council_for(context.config, "en"), utc_now().date()) is None
    report = build_copies(db, context.config, copies_dir(context), utc_now())
    assert report.not_entitled >= 1
    db.refresh(request)
    assert request.copy_storage_key is None


def test_a_sharing_that_carried_an_item_an_officer_left_out_goes_for_the_same_exemption(
    context: Flask, db: Session
) -> None:
    request = ask(db, SAM, "ellie", "j")
    officer, now = account(db, OFFICER), utc_now()
    council = council_for(context.config, "en")
    before = assemble(db, request, council, now.date())
    assert before is not None and before.document["sharing"]
    shared = {item.id for item in before.included}
    carried = db.scalars(
        select(SharingEvent).where(SharingEvent.person_id == person_id("ellie"))
    ).unique()
    item_id = next(i.id for event in carried for i in event.items if i.id in shared)
    assert copy_handling.claim(db, officer, request, now, None) is copy_handling.Result.DONE
    result = copy_redactions.treat_item(
        db,
        officer,
        request,
        before,
        item_id=item_id,
        treatment=CopyTreatment.LEAVE_OUT,
        reason=CopyReason.CRIME,
        note="Part of an open police inquiry",
        now=now,
        session_ref=None,
    )
    assert result is copy_handling.Result.DONE
    after = assemble(db, request, council, now.date())
    assert after is not None
    assert len(after.document["sharing"]) < len(before.document["sharing"])
    events_left_out = [e for e in after.exclusions if e.what is SHARING_EVENT]
    assert events_left_out and {e.reason for e in events_left_out} == {CopyReason.CRIME}


@pytest.fixture
def not_a_folder(tmp_path: Path) -> Path:
    """A file where the copies folder should be: every copy written there fails."""
    path = tmp_path / "copies"
    path.write_text("")
    return path


def test_a_copy_that_cannot_be_built_holds_up_no_other_and_stays_due(
    context: Flask, db: Session, not_a_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mine, ellies = ask(db, SAM, "sam", "s"), ask(db, SAM, "ellie", "t")
    report = build_copies(db, context.config, not_a_folder, utc_now())
    assert report.failed >= 2 and report.built == 0  # went on after the first failure
    for request in (mine, ellies):
        db.refresh(request)
        assert request.copy_storage_key is None and request.build_leased_until is None
        assert f"copy {request.reference} not built: FileExistsError" in caplog.text
    assert "Sam Rivers" not in caplog.text
    build(context, db)
    for request in (mine, ellies):
        db.refresh(request)
        assert copy_file(request, copies_dir(context)) is not None


def test_the_build_command_counts_failed_copies_and_exits_non_zero(
    context: Flask, db: Session, not_a_folder: Path
) -> None:
    ask(db, SAM, "sam", "u")
    context.config["COPIES_DIR"] = str(not_a_folder)
    result = context.test_cli_runner().invoke(args=["build-copies"])
    assert result.exit_code == 1
    assert "Failed: 0." not in result.output and "Failed: " in result.output


def test_the_sweep_job_fails_after_trying_every_copy_so_the_queue_keeps_it(
    context: Flask, db: Session, not_a_folder: Path
) -> None:
    ask(db, SAM, "sam", "v")
    context.config["COPIES_DIR"] = str(not_a_folder)
    with pytest.raises(tasks.CopiesNotBuilt, match="copies not built"):
        tasks.build_due_copies()
