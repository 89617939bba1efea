"""DPO staff: the complaints queue, logging a complaint that came by post, email or phone, and
one complaint whole. Working a complaint (each change a POST) is in complaint_actions.py."""

from __future__ import annotations

import secrets
import uuid
from typing import Any, Literal

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from forms.complaint_handling import (
    MessageForm,
    NoteForm,
    ReassignForm,
    ReopenForm,
    ResolveForm,
    WaitForm,
)
from forms.complaint_logging import LogComplaintForm
from forms.complaint_queue import STAFF_STATUS_WORDS, QueueFilterForm
from forms.find_person import FindPersonForm
from forms.guardian_approval import ConfirmForm
from forms.queue_filters import MINE, UNASSIGNED
from portal import db
from portal.contact_formats import normalise_phone
from portal.i18n import lazy_gettext as _l
from portal.models import Person
from portal.services import complaint_handling, complaint_queue
from portal.services.complaints import Complainant, Raised
from portal.services.keyset import Cursor
from portal.services.people_search import find_people
from portal.uploads import MAX_BYTES, CheckedFile, UploadRefused, check_upload
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus, Role
from portal.web.attachments import attachments_dir, send_attachment
from portal.web.current import (
    account,
    now,
    public_url,
    role_required,
    session_ref,
    today,
    viewer,
)
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_complaints", "/staff/complaints")

TOO_LARGE_TOGETHER = _l("The selected files must be smaller than 10MB together")
ACTION_FORMS = {
    "reassign": ReassignForm,
    "note": NoteForm,
    "message": MessageForm,
    "wait": WaitForm,
    "resolve": ResolveForm,
    "reopen": ReopenForm,
}


@bp.route("")
@role_required(Role.DPO_OFFICER)
def queue() -> ResponseReturnValue:
    """DPO officers: complaints by next due date, a keyset page at a time; filtered by GET."""
    form = QueueFilterForm(request.args, meta={"csrf": False})
    form.offer_officers(officer_choices())
    found = None
    if form.validate():
        found = complaint_queue.page(
            db.session(),
            _wanted(form),
            today(),
            after=Cursor.parse(request.args.get("after")),
            before=Cursor.parse(request.args.get("before")),
        )
    filters = {key: value for key, value in request.args.items() if key not in {"after", "before"}}
    return render_template(
        "staff/complaints/queue.html",
        form=form,
        page=found,
        filters=filters,
        urgency={c.id: complaint_queue.urgency(c, today()) for c in found.complaints}
        if found
        else {},
        status_words=STAFF_STATUS_WORDS,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.DPO_OFFICER)
def log() -> ResponseReturnValue:
    """DPO officers: log a complaint that came by post, email or phone, with its scans; it
    joins the queue, new, its dates counted from the day it arrived."""
    form = LogComplaintForm(
        data={
            "submission_key": secrets.token_urlsafe(24),
            "about": request.args.get("about", ""),
            "received_on": today(),
        }
    )
    about = _about(form.about.data)
    if form.validate_on_submit() and (scans := _checked_scans(form)) is not False:
        complaint = complaint_handling.log_complaint(
            db.session(),
            account(),
            channel=ComplaintChannel(form.channel.data),
            received_on=form.received_on.data or today(),
            complainant=_complainant(form),
            raised=_raised(form, about, scans),
            now=now(),
            public_url=public_url(),
            response_months=current_app.config["COMPLAINT_RESPONSE_MONTHS"],
            attachments_dir=attachments_dir(),
            session_ref=session_ref(),
        )
        return redirect(
            url_for("staff_complaints.show", reference=complaint.reference, outcome="logged")
        )
    return render_template("staff/complaints/log.html", form=form, about=about)


@bp.route("/new/person")
@role_required(Role.DPO_OFFICER)
def choose_person() -> ResponseReturnValue:
    """DPO officers: find the person a complaint concerns, before logging it."""
    search = FindPersonForm(request.args, meta={"csrf": False})
    matches = None
    if request.args and search.validate():
        matches = find_people(db.session(), viewer(), search.q.data)
    return render_template(
        "staff/complaints/choose-person.html", search=search, form=search, matches=matches
    )


@bp.route("/<reference>")
@role_required(Role.DPO_OFFICER)
def show(reference: str) -> ResponseReturnValue:
    """DPO officers: the complaint, its scans, history and messages, and what they may do."""
    return render_complaint(reference)


@bp.route("/<reference>/attachments/<uuid:attachment_id>")
@role_required(Role.DPO_OFFICER)
def attachment(reference: str, attachment_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: a scan or piece of evidence, as a download; every opening is audited."""
    complaint = complaint_queue.by_reference(db.session(), reference)
    if complaint is None:
        abort(404)
    found = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if found is None:
        abort(404)
    complaint_queue.record_opened(db.session(), account(), complaint, session_ref())
    return send_attachment(found)


def render_complaint(reference: str, **invalid: Any) -> ResponseReturnValue:
    """The complaint page, with fresh forms except the one whose errors it shows again.
    Opening it is audited, as every staff view of personal data is."""
    details = complaint_queue.details(db.session(), reference)
    if details is None:
        abort(404)
    complaint = details.complaint
    complaint_queue.record_opened(db.session(), account(), complaint, session_ref())
    forms = {name: invalid.get(name) or form(formdata=None) for name, form in ACTION_FORMS.items()}
    holder = str(complaint.assigned_account_id or "")
    forms["reassign"].holder.data = holder
    forms["reassign"].offer_officers([c for c in officer_choices() if c[0] != holder])
    held = complaint_handling.held_by(complaint, account())
    shown = {"form": next(iter(invalid.values()))} if invalid else {}
    return render_template(
        "staff/complaints/complaint.html",
        details=details,
        complaint=complaint,
        forms=forms,
        confirm=ConfirmForm(formdata=None),
        urgency=complaint_queue.urgency(complaint, today()),
        next_due_on=complaint_queue.next_due_on(complaint),
        held=held,
        actions=complaint_handling.ACTIONS[complaint.status] if held else frozenset(),
        status_words=STAFF_STATUS_WORDS,
        **shown,
    )


def officer_choices() -> list[tuple[str, str]]:
    """Every DPO officer as (account id, name), for the filter and reassignment."""
    return [
        (str(officer.id), complaint_handling.officer_name(officer))
        for officer in complaint_queue.officers(db.session())
    ]


def _wanted(form: QueueFilterForm) -> complaint_queue.QueueFilter:
    status = form.status.data
    statuses = {
        "open": complaint_queue.OPEN,
        "all": tuple(ComplaintStatus),
    }.get(status) or (ComplaintStatus(status),)
    officer = form.officer.data
    return complaint_queue.QueueFilter(
        statuses=statuses,
        category=ComplaintCategory(form.category.data) if form.category.data else None,
        channel=ComplaintChannel(form.channel.data) if form.channel.data else None,
        officer_id=account().id if officer == MINE else as_uuid(officer),
        unassigned=officer == UNASSIGNED,
        overdue_only=bool(form.overdue.data),
    )


def as_uuid(value: str | None) -> uuid.UUID | None:
    """An id from a form or link; None for anything else."""
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _about(value: str | None) -> Person | None:
    """The person chosen on the page before; a link naming nobody is 404."""
    person_id = as_uuid(value)
    if not value:
        return None
    person = db.session().get(Person, person_id) if person_id else None
    if person is None:
        abort(404)
    return person


def _complainant(form: LogComplaintForm) -> Complainant:
    return Complainant(
        name=form.complainant_name.data,
        email=form.complainant_email.data or None,
        phone=normalise_phone(form.complainant_phone.data or "") or None,
        address=form.complainant_address.data or None,
        language=form.language.data,
    )


def _raised(form: LogComplaintForm, about: Person | None, scans: list[CheckedFile]) -> Raised:
    return Raised(
        category=ComplaintCategory(form.category.data),
        what_happened=form.what_happened.data,
        desired_outcome=form.desired_outcome.data,
        submission_key=form.submission_key.data,
        about=about,
        evidence=scans,
    )


def _checked_scans(form: LogComplaintForm) -> list[CheckedFile] | Literal[False]:
    """The uploaded files, checked; False (with the error on the field) if any cannot be
    accepted, so nothing is saved and the other answers stay on the page."""
    uploads = [upload for upload in form.scans.data or [] if upload.filename]
    try:
        checked = [check_upload(u.read(MAX_BYTES + 1), u.filename or "") for u in uploads]
    except UploadRefused as refused:
        form.refuse(form.scans, str(refused.message))
        return False
    if sum(len(file.content) for file in checked) > MAX_BYTES:
        form.refuse(form.scans, str(TOO_LARGE_TOGETHER))
        return False
    return checked
