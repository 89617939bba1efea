"""DPO officers working a copy request (UK GDPR Article 15): a question stops the clock; an
extension within the first month; leaving items out or redacting them, with reasons only staff
see; release by one officer, or by a second when anything is withheld; nothing released until
the build job has built the current copy; refusal; the staff download; a requester who may no
longer ask."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portal.ages import london_today
from portal.deadlines import statutory_due_date
from portal.demo.synthetic import demo_id
from portal.models import Account, AuditEvent, CopyRequest, DataItem, NotificationKind, Relationship
from portal.services import copy_requests
from portal.services.copy_assembly import Assembly, assemble, council_for
from portal.services.copy_builds import BuildReport, build_copies
from portal.vocabulary import (
    CopyDelivery,
    CopyReason,
    CopyRefusal,
    CopyStatus,
    CopyTreatment,
    ItemKind,
    Role,
    Source,
)
from tests.conftest import person_id, sign_in
from tests.factories import copy_request, make_person, outbox
from tests.pages import errors_of, text_of
from tests.web.test_copy_queue import (
    OFFICER,
    QUEUE,
    REVIEWER,
    SAM,
    account_of,
    act,
    outcome_of,
    person,
    soup_of,
    stored,
    the,
)

EXTENSION_REFUSED = (
    "You can only extend within the first month, to a longer extension, up to 2 months in all"
)
ELLIE_HEALTH = demo_id("item:ellie-health")
ELLIE_CARE = demo_id("item:ellie-care")


@pytest.fixture(autouse=True)
def copies_dir(app: Flask, tmp_path: Path) -> Path:
    """Each test's built copies in a folder of its own, removed with it."""
    folder = tmp_path / "copies"
    app.config["COPIES_DIR"] = str(folder)
    return folder


def build(app: Flask, db: Session) -> BuildReport:
    """The build job, as cron runs it: renders the PDF and writes each ZIP to COPIES_DIR."""
    with app.app_context():
        return build_copies(db, app.config, Path(app.config["COPIES_DIR"]), dt.datetime.now(dt.UTC))


def assembled(app: Flask, db: Session, reference: str) -> Assembly:
    """The copy as it would be released now, straight from the service."""
    found = stored(db, reference)
    with app.test_request_context():
        assembly = assemble(db, found, council_for(app.config, found.language), london_today())
    assert assembly is not None
    return assembly


def lone_adult(db: Session) -> Account:
    """An adult with an account, one item of data and no household: a copy of their data
    leaves nothing out."""
    adult = make_person(db, given_name="Robin", age_years=41)
    db.add(
        DataItem(
            person_id=adult.id,
            kind=ItemKind.PHONE,
            value="07700 900456",
            source=Source.FAMILY,
            obtained_on=london_today(),
        )
    )
    account = Account(
        email=f"{uuid.uuid4().hex[:8]}@example.com", role=Role.FAMILY, person_id=adult.id
    )
    db.add(account)
    db.commit()
    return account


def claimed(db: Session, client: FlaskClient, made: CopyRequest) -> str:
    """The demo officer signs in and claims the request; its reference."""
    sign_in(client, OFFICER)
    assert outcome_of(act(client, made.reference, "claim")) == "claimed"
    return made.reference


def treat(client: FlaskClient, reference: str, item_id: uuid.UUID, **answers: str) -> TestResponse:
    """Posts one item's form to leave it out or redact it, its fields under the item's prefix."""
    prefix = f"item-{item_id.hex}-"
    fields = {prefix + name: value for name, value in answers.items()}
    return act(client, reference, f"items/{item_id}/treat", **fields)


# Questions and extensions: the clock


def test_asking_a_question_stops_the_clock_and_the_answer_moves_the_due_date_on(
    client: FlaskClient, db: Session
) -> None:
    sam = account_of(db, SAM)
    received = london_today() - dt.timedelta(days=5)
    reference = claimed(db, client, copy_request(db, requester=sam, received_on=received))
    first_due = stored(db, reference).due_on

    assert errors_of(act(client, reference, "question", question_text="  ")) == [
        "Enter your question for the requester"
    ]
    too_long = act(client, reference, "question", question_text="x" * 2001)
    assert errors_of(too_long) == ["The question must be 2,000 characters or fewer"]
    asked = act(client, reference, "question", question_text="Which school year do you mean?")
    assert outcome_of(asked) == "asked"
    found = stored(db, reference)
    assert found.status is CopyStatus.WAITING and found.paused_on == london_today()
    question = found.events[-1]
    assert (question.action, question.note, question.visible_to_requester) == (
        "question",
        "Which school year do you mean?",
        True,
    )
    assert outbox(db, SAM)[-1].kind is NotificationKind.COPY_QUESTION
    page = text_of(client.get(asked.headers["Location"]))
    assert "The clock has been stopped since" in page and "Waiting for the requester" in page
    assert outcome_of(act(client, reference, "question", question_text="Again?")) == "not-allowed"

    # The family answers nine days later: the due date moves on by those nine days.
    nine_days_on = dt.datetime.now(dt.UTC) + dt.timedelta(days=9)
    assert copy_requests.answer_question(db, sam, stored(db, reference), "Year 5", nine_days_on)
    found = stored(db, reference)
    assert found.status is CopyStatus.RECEIVED and found.paused_on is None
    assert found.paused_days == 9
    assert found.due_on == statutory_due_date(received, paused_days=9) > first_due
    page = text_of(client.get(f"{QUEUE}/{reference}"))
    assert "Moved on by 9 days spent waiting for the requester." in page
    assert "Question answered: clock started again" in page and "Sam Rivers (family)" in page


def test_an_extension_within_the_first_month_moves_the_due_date_and_tells_the_requester(
    client: FlaskClient, db: Session
) -> None:
    received = london_today() - dt.timedelta(days=5)
    made = copy_request(db, requester=account_of(db, SAM), received_on=received)
    reference = claimed(db, client, made)
    extended = act(
        client, reference, "extend", extend_months="2", extension_reason="Records from 4 partners"
    )
    assert outcome_of(extended) == "extended"
    found = stored(db, reference)
    assert found.extended_months == 2
    assert found.due_on == statutory_due_date(received, extension_months=2)
    event = found.events[-1]
    assert (event.action, event.note, event.visible_to_requester) == (
        "extended",
        "Records from 4 partners",
        True,
    )
    email = outbox(db, SAM)[-1]
    assert email.kind is NotificationKind.COPY_EXTENDED
    assert email.personalisation["due"] == found.due_on.isoformat()

    shorter = act(client, reference, "extend", extend_months="1", extension_reason="Less")
    assert errors_of(shorter) == [EXTENSION_REFUSED]
    assert stored(db, reference).due_on == found.due_on


def test_an_extension_after_the_first_month_is_refused_and_no_longer_offered(
    client: FlaskClient, db: Session
) -> None:
    received = london_today() - dt.timedelta(days=45)
    made = copy_request(db, requester=account_of(db, SAM), received_on=received)
    reference = claimed(db, client, made)
    page = soup_of(client.get(f"{QUEUE}/{reference}"))
    assert page.find("form", action=f"{QUEUE}/{reference}/extend") is None
    assert page.find("form", action=f"{QUEUE}/{reference}/question") is not None

    late = act(client, reference, "extend", extend_months="1", extension_reason="Too late")
    assert errors_of(late) == [EXTENSION_REFUSED]
    assert stored(db, reference).extended_months == 0


def test_mistakes_are_shown_in_an_error_summary_keeping_the_other_answers(
    client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM), subject=person(db, "ellie"))
    reference = claimed(db, client, made)

    unreasoned = act(client, reference, "refuse", refusal_note="You asked every week")
    page = soup_of(unreasoned)
    assert the(page.title).get_text().startswith("Error:")
    assert errors_of(unreasoned) == ["Select why you are refusing"]
    assert the(the(page.find(class_="govuk-error-summary")).find("a"))["href"] == "#refusal_reason"
    assert page.find(id="refusal_reason-error") is not None
    assert the(page.find("textarea", attrs={"name": "refusal_note"})).get_text().strip() == (
        "You asked every week"
    )

    no_months = act(client, reference, "extend", extension_reason="Many partners")
    assert errors_of(no_months) == ["Select how long an extension you need"]
    page = soup_of(no_months)
    assert the(page.find("textarea", attrs={"name": "extension_reason"})).get_text().strip() == (
        "Many partners"
    )

    prefix = f"item-{ELLIE_HEALTH.hex}-"
    no_reason = treat(client, reference, ELLIE_HEALTH, treatment="leave_out", treat_note="GP")
    assert errors_of(no_reason) == ["Select the exemption from the list"]
    page = soup_of(no_reason)
    assert (
        the(the(page.find(class_="govuk-error-summary")).find("a"))["href"]
        == f"#{prefix}treat_reason"
    )
    field = page.find(id=f"{prefix}treat_reason")
    assert the(the(field).find_parent("details")).has_attr("open")
    note = the(page.find("textarea", attrs={"name": f"{prefix}treat_note"}))
    assert note.get_text().strip() == "GP"
    checked = page.find("input", attrs={"name": f"{prefix}treatment", "checked": True})
    assert the(checked)["value"] == "leave_out"
    no_note = treat(client, reference, ELLIE_HEALTH, treatment="redact", treat_reason="health")
    assert errors_of(no_note) == ["Enter why the exemption applies"]
    portal_reason = treat(
        client, reference, ELLIE_HEALTH, treatment="redact", treat_reason="withheld", treat_note="x"
    )
    assert errors_of(portal_reason) == ["Select the exemption from the list"]

    found = stored(db, reference)
    assert found.status is CopyStatus.RECEIVED and found.treatments == []
    assert [event.action for event in found.events] == ["claimed"]


# What the copy shows


def test_leaving_out_and_redacting_items_changes_the_copy_and_lists_them_with_their_reason(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM), subject=person(db, "ellie"))
    reference = claimed(db, client, made)
    before = assembled(app, db, reference)
    assert {ELLIE_HEALTH, ELLIE_CARE} <= {item.id for item in before.included}

    left_out = treat(
        client,
        reference,
        ELLIE_HEALTH,
        treatment="leave_out",
        treat_reason="health",
        treat_note="The GP says it would cause serious harm",
    )
    assert outcome_of(left_out) == "treated"
    redacted = treat(
        client,
        reference,
        ELLIE_CARE,
        treatment="redact",
        treat_reason="social_work",
        treat_note="Names the social worker",
    )
    assert outcome_of(redacted) == "treated"

    after = assembled(app, db, reference)
    assert {ELLIE_HEALTH, ELLIE_CARE}.isdisjoint(item.id for item in after.included)
    by_item = {e.item_id: e for e in after.exclusions if e.decided_by_officer}
    assert (by_item[ELLIE_HEALTH].reason, by_item[ELLIE_HEALTH].treatment) == (
        CopyReason.HEALTH,
        CopyTreatment.LEAVE_OUT,
    )
    assert (by_item[ELLIE_CARE].reason, by_item[ELLIE_CARE].treatment) == (
        CopyReason.SOCIAL_WORK,
        CopyTreatment.REDACT,
    )
    entries = [entry for s in after.document["sections"] for entry in s["items"]]
    assert "Asthma; inhaler kept at school" not in str(after.document)
    assert "Child in need plan, now closed" not in str(after.document)
    care = next(entry for entry in entries if entry["kind"] == "social_care_involvement")
    assert care["redacted"] is True and care["value"] is None
    assert after.fingerprint != before.fingerprint

    page = soup_of(client.get(f"{QUEUE}/{reference}"))
    rows = {
        the(row.find("td")).get_text(" ", strip=True): row.get_text(" ", strip=True)
        for row in the(
            the(page.find("h3", string="Left out or redacted")).find_next("table")
        ).select("tbody tr")
    }
    health = rows["Health and wellbeing Asthma; inhaler kept at school"]
    assert "Health data (DPA 2018 schedule 3, part 2)" in health and "Leave it out" in health
    assert "Priya Shah" in health and "The GP says it would cause serious harm" in health
    assert "Undo" in health
    care_row = rows["Social care involvement Child in need plan, now closed"]
    assert "Social work data" in care_row and "Show it with the value redacted" in care_row
    assert "The portal, by the rules of who may see what" in rows["Household member Jamie Rivers"]

    assert outcome_of(act(client, reference, f"items/{ELLIE_HEALTH}/undo")) == "undone"
    assert ELLIE_HEALTH in {item.id for item in assembled(app, db, reference).included}
    assert outcome_of(act(client, reference, f"items/{ELLIE_HEALTH}/undo")) == "not-allowed"
    stranger = uuid.uuid4()
    assert (
        outcome_of(
            treat(
                client,
                reference,
                stranger,
                treatment="leave_out",
                treat_reason="crime",
                treat_note="x",
            )
        )
        == "not-allowed"
    )
    actions = [event.action for event in stored(db, reference).events]
    # Each change to what the copy shows submits its rebuild (inline here: no Redis).
    builds = {"built", "rebuilt"}
    assert [action for action in actions if action not in builds] == [
        "claimed",
        "item_treated",
        "item_treated",
        "treatment_undone",
    ]
    assert builds & set(actions)
    audited = db.scalars(select(AuditEvent.action).where(AuditEvent.action.like("copy.%"))).all()
    assert audited.count("copy.item_treated") == 2 and "copy.treatment_undone" in audited


# Release


@pytest.mark.parametrize(
    ("delivery", "outcome", "event"),
    [
        (CopyDelivery.DOWNLOAD, "released", "released"),
        (CopyDelivery.POST, "released-post", "posted"),
    ],
)
def test_a_copy_with_nothing_left_out_is_released_by_one_officer(
    app: Flask,
    client: FlaskClient,
    db: Session,
    delivery: CopyDelivery,
    outcome: str,
    event: str,
) -> None:
    requester = lone_adult(db)
    reference = claimed(db, client, copy_request(db, requester=requester, delivery=delivery))
    assert build(app, db).built >= 1  # the demo requests are built on the first run too
    page = text_of(client.get(f"{QUEUE}/{reference}"))
    assert "Nothing is left out or redacted. One officer can release this copy." in page
    assert "The built copy is up to date with the record" in page
    assert "Release the copy" in page and "Ask a second officer" not in page

    released = act(client, reference, "release")
    assert outcome_of(released) == outcome
    found = stored(db, reference)
    assert found.status is CopyStatus.RELEASED and found.approved_by_id is None
    assert found.release_requested_by_id is None and found.released_at is not None
    if delivery is CopyDelivery.DOWNLOAD:
        assert found.download_until == found.released_at + dt.timedelta(days=30)
    else:
        assert found.download_until is None
    assert found.events[-1].action == event
    assert outbox(db, requester.email)[-1].kind is NotificationKind.COPY_READY
    page = text_of(client.get(released.headers["Location"]))
    assert "This request is closed." in page and "Download the copy (ZIP)" in page
    assert outcome_of(act(client, reference, "release")) == "not-allowed"


def test_a_copy_that_leaves_something_out_needs_a_second_officer(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM), subject=person(db, "ellie"))
    reference = claimed(db, client, made)
    build(app, db)
    assert "Ask a second officer to approve" in text_of(client.get(f"{QUEUE}/{reference}"))
    assert outcome_of(act(client, reference, "release")) == "release-asked"
    officer, reviewer = account_of(db, OFFICER), account_of(db, REVIEWER)
    found = stored(db, reference)
    assert found.status is CopyStatus.AWAITING_APPROVAL
    assert found.release_requested_by_id == officer.id and found.released_at is None

    same = act(client, reference, "approve")
    assert outcome_of(same) == "same-officer"
    page = text_of(client.get(same.headers["Location"]))
    assert "You asked to release this copy, so another DPO officer must approve it." in page
    assert "Approve and release the copy" not in page
    assert stored(db, reference).status is CopyStatus.AWAITING_APPROVAL

    second = client.application.test_client()
    sign_in(second, REVIEWER)
    page = text_of(second.get(f"{QUEUE}/{reference}"))
    assert "Priya Shah, Information Governance asked to release this copy" in page
    approved = act(second, reference, "approve")
    assert outcome_of(approved) == "released"
    found = stored(db, reference)
    assert found.status is CopyStatus.RELEASED
    assert (found.release_requested_by_id, found.approved_by_id) == (officer.id, reviewer.id)
    assert "Release approved by Rhys Evans" in text_of(second.get(f"{QUEUE}/{reference}"))
    assert outcome_of(act(second, reference, "approve")) == "not-allowed"


def test_the_database_forbids_one_officer_both_asking_for_and_approving_a_release(
    db: Session,
) -> None:
    officer = account_of(db, OFFICER)
    made = copy_request(
        db, requester=account_of(db, SAM), status=CopyStatus.AWAITING_APPROVAL, assigned_to=officer
    )
    made.release_requested_by_id = officer.id
    db.commit()
    made.approved_by_id = officer.id
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_release_waits_until_the_build_job_has_built_the_current_copy(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    requester = lone_adult(db)
    reference = claimed(db, client, copy_request(db, requester=requester))
    assert "The copy is being built." in text_of(client.get(f"{QUEUE}/{reference}"))
    not_built = act(client, reference, "release")
    assert outcome_of(not_built) == "not-built"
    assert "The copy was not released" in text_of(client.get(not_built.headers["Location"]))
    assert stored(db, reference).status is CopyStatus.RECEIVED

    assert build(app, db).built >= 1  # the demo requests are built on the first run too
    # The record changes after the build: the copy must be built again before release.
    db.add(
        DataItem(
            person_id=requester.person_id,
            kind=ItemKind.EMAIL,
            value=requester.email,
            source=Source.FAMILY,
            obtained_on=london_today(),
        )
    )
    db.commit()
    assert "The copy is being rebuilt" in text_of(client.get(f"{QUEUE}/{reference}"))
    assert outcome_of(act(client, reference, "release")) == "not-built"
    assert build(app, db).built == 1
    assert outcome_of(act(client, reference, "release")) == "released"
    assert [e.action for e in stored(db, reference).events] == [
        "claimed",
        "built",
        "rebuilt",
        "released",
    ]


# Refusal, download, and a requester who may no longer ask


def test_a_refusal_records_the_reason_and_tells_the_requester(
    client: FlaskClient, db: Session
) -> None:
    reference = claimed(db, client, copy_request(db, requester=account_of(db, SAM)))
    refused = act(
        client,
        reference,
        "refuse",
        refusal_reason="manifestly_excessive",
        refusal_note="This is the fifth request this month for the same data.",
    )
    assert outcome_of(refused) == "refused"
    found = stored(db, reference)
    assert found.status is CopyStatus.REFUSED and found.closed_at is not None
    assert found.refusal_reason is CopyRefusal.MANIFESTLY_EXCESSIVE
    assert found.events[-1].visible_to_requester
    assert outbox(db, SAM)[-1].kind is NotificationKind.COPY_REFUSED
    page = text_of(client.get(refused.headers["Location"]))
    assert "The request is manifestly excessive" in page and "This request is closed." in page
    assert outcome_of(act(client, reference, "question", question_text="?")) == "not-allowed"


def test_the_staff_download_is_audited_and_404_without_a_built_copy(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    reference = claimed(db, client, copy_request(db, requester=lone_adult(db)))
    path = f"{QUEUE}/{reference}/copy.zip"
    assert client.get(path).status_code == 404
    assert "Download the copy (ZIP)" not in text_of(client.get(f"{QUEUE}/{reference}"))
    build(app, db)

    download = client.get(path)
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=copy-of-your-data-{reference}.zip"
    )
    with zipfile.ZipFile(io.BytesIO(download.get_data())) as archive:
        names = archive.namelist()
    download.close()
    assert f"copy-of-your-data-{reference}.pdf" in names
    assert f"copy-of-your-data-{reference}.json" in names
    audited = db.scalars(select(AuditEvent).where(AuditEvent.action == "copy.staff_download")).all()
    assert [(a.actor_account_id, a.detail) for a in audited] == [
        (account_of(db, OFFICER).id, {"reference": reference})
    ]

    found = stored(db, reference)
    assert found.copy_storage_key is not None
    (Path(app.config["COPIES_DIR"]) / found.copy_storage_key).unlink()
    assert client.get(path).status_code == 404


def test_the_review_screen_of_a_requester_who_lost_parental_responsibility_offers_only_refusal(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    made = copy_request(db, requester=account_of(db, SAM), subject=person(db, "ellie"))
    reference = claimed(db, client, made)
    link = db.scalar(
        select(Relationship).where(
            Relationship.person_id == person_id("sam"),
            Relationship.related_person_id == person_id("ellie"),
        )
    )
    assert link is not None
    link.ended_on = london_today()  # a court order ended it today
    db.commit()

    response = client.get(f"{QUEUE}/{reference}")
    assert response.status_code == 200
    page = soup_of(response)
    assert "can no longer ask for this person's data" in text_of(response)
    reasons = [radio["value"] for radio in page.find_all("input", attrs={"name": "refusal_reason"})]
    assert reasons == ["no_authority"]
    for action in ("release", "question", "extend", f"items/{ELLIE_HEALTH}/treat"):
        assert page.find("form", action=f"{QUEUE}/{reference}/{action}") is None, action
    assert "Asthma" not in text_of(response)
    assert build(app, db).not_entitled == 1

    assert outcome_of(act(client, reference, "release")) == "not-entitled"
    assert "You can only refuse the request." in text_of(
        client.get(f"{QUEUE}/{reference}?outcome=not-entitled")
    )
    wrong = act(
        client, reference, "refuse", refusal_reason="manifestly_excessive", refusal_note="x"
    )
    assert errors_of(wrong) == ["Select why you are refusing"]
    refused = act(
        client,
        reference,
        "refuse",
        refusal_reason="no_authority",
        refusal_note="No longer a parent",
    )
    assert outcome_of(refused) == "refused"
    assert stored(db, reference).refusal_reason is CopyRefusal.NO_AUTHORITY
    assert client.get(f"{QUEUE}/{reference}").status_code == 200
