"""Families asking for a correction and following their requests."""

from __future__ import annotations

import secrets
import uuid
from typing import Literal

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.corrections import CorrectionForm, StatementForm
from portal import db
from portal.models import DataItem, Person
from portal.services import corrections
from portal.services.sharing_record import partners_told
from portal.uploads import MAX_BYTES, CheckedFile, UploadRefused, check_upload
from portal.vocabulary import PersonField, Role
from portal.web.attachments import attachments_dir, send_attachment
from portal.web.current import account, now, role_required, session_ref, today, viewer

bp = Blueprint("corrections", __name__)


@bp.route("/your-data/items/<uuid:item_id>/correction", methods=["GET", "POST"])
@role_required(Role.FAMILY)
def ask(item_id: uuid.UUID) -> ResponseReturnValue:
    """A family member asks for an item they can see to be corrected; any other item is 404."""
    item = corrections.item_for_correction(db.session(), viewer(), item_id, today())
    if item is None:
        abort(404)
    subject = corrections.Subject(item.person_id, item_id=item.id)
    return _ask(subject, item.person, item=item)


@bp.route(
    "/your-data/<uuid:person_id>/<any(name, date_of_birth):field>/correction",
    methods=["GET", "POST"],
)
@role_required(Role.FAMILY)
def ask_about_person(person_id: uuid.UUID, field: str) -> ResponseReturnValue:
    """A family member asks for the name or date of birth on a record they can see to be
    corrected; a record they cannot see is 404."""
    person = corrections.person_for_correction(db.session(), viewer(), person_id, today())
    if person is None:
        abort(404)
    return _ask(corrections.Subject(person.id, field=PersonField(field)), person)


def _ask(
    subject: corrections.Subject, person: Person, item: DataItem | None = None
) -> ResponseReturnValue:
    """The form, and on a valid POST the request: its page, or 404 if the subject vanished."""
    form = CorrectionForm(data={"submission_key": secrets.token_urlsafe(24)})
    if form.validate_on_submit() and (evidence := _checked_evidence(form)) is not False:
        request = corrections.ask_for_correction(
            db.session(),
            account=account(),
            viewer=viewer(),
            subject=subject,
            asked=_asked(form, evidence),
            now=now(),
            session_ref=session_ref(),
            attachments_dir=attachments_dir(),
        )
        if request is None:
            abort(404)
        return redirect(url_for("corrections.request", reference=request.reference, sent=1))
    return render_template(
        "family/corrections/ask.html", person=person, item=item, field=subject.field, form=form
    )


def _asked(form: CorrectionForm, evidence: CheckedFile | None) -> corrections.Asked:
    return corrections.Asked(
        what_is_wrong=form.what_is_wrong.data,
        should_say=form.should_say.data,
        why=form.why.data,
        submission_key=form.submission_key.data,
        evidence=evidence,
    )


@bp.route("/your-requests")
@role_required(Role.FAMILY)
def requests() -> ResponseReturnValue:
    """A family member's correction requests, newest first."""
    found = corrections.requests_of(db.session(), viewer(), account(), today())
    return render_template("family/corrections/requests.html", requests=found)


@bp.route("/your-requests/<reference>", methods=["GET", "POST"])
@role_required(Role.FAMILY)
def request(reference: str) -> ResponseReturnValue:
    """One request: status, due date, decision and reasons, who was told; a statement after a
    refusal. Someone else's reference is 404."""
    found = corrections.request_of(db.session(), viewer(), account(), reference, today())
    if found is None:
        abort(404)
    form = StatementForm()
    if form.validate_on_submit():
        corrections.add_statement(
            db.session(),
            account=account(),
            request=found,
            text=form.text.data,
            now=now(),
            session_ref=session_ref(),
        )
        return redirect(url_for("corrections.request", reference=reference))
    return render_template(
        "family/corrections/request.html",
        item=found,
        form=form,
        notes=corrections.notes_beside(db.session(), found),
        told=partners_told(db.session(), viewer(), found, today()),
    )


@bp.route("/your-requests/<reference>/evidence")
@role_required(Role.FAMILY)
def evidence(reference: str) -> ResponseReturnValue:
    """The evidence the family member sent with their request, as a download; else 404."""
    found = corrections.request_of(db.session(), viewer(), account(), reference, today())
    if found is None or found.attachment is None:
        abort(404)
    return send_attachment(found.attachment)


def _checked_evidence(form: CorrectionForm) -> CheckedFile | None | Literal[False]:
    """The uploaded file, checked; None if there is none; False (with the error on the field)
    if it cannot be accepted, so nothing is saved and the other answers stay on the page."""
    upload = form.evidence.data
    if upload is None or not upload.filename:
        return None
    try:
        return check_upload(upload.read(MAX_BYTES + 1), upload.filename)
    except UploadRefused as refused:
        form.refuse(form.evidence, str(refused.message))
        return False
