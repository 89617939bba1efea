"""DPO staff: the copy-requests queue (UK GDPR Article 15), one request whole with the review
of its copy, and the built copy as a download. Working a request (each change a POST) is in
copy_request_actions.py."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from flask import abort, current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue

from forms.copy_handling import (
    STAFF_STATUS_WORDS,
    ExtendForm,
    QuestionForm,
    QueueFilterForm,
    RefuseForm,
    TakeOverForm,
    TreatItemForm,
)
from forms.guardian_approval import ConfirmForm
from forms.queue_filters import MINE, UNASSIGNED
from portal import db, deadlines
from portal.models import CopyRequest
from portal.services import copy_handling, copy_queue, copy_redactions, copy_requests
from portal.services.audit import record_event
from portal.services.copy_assembly import Assembly, assemble, council_for
from portal.services.keyset import Cursor
from portal.vocabulary import Category, CopyStatus, Role
from portal.web.current import account, role_required, session_ref, today
from portal.web.staff import staff_blueprint
from portal.web.staff.complaints import as_uuid, officer_choices

bp = staff_blueprint("staff_copy_requests", "/staff/copy-requests")

ACTION_FORMS = {
    "take_over": TakeOverForm,
    "question": QuestionForm,
    "extend": ExtendForm,
    "refuse": RefuseForm,
}


@bp.route("")
@role_required(Role.DPO_OFFICER)
def queue() -> ResponseReturnValue:
    """DPO officers: copy requests by due date, overdue first, a keyset page at a time;
    filtered by a GET form."""
    form = QueueFilterForm(request.args, meta={"csrf": False})
    form.offer_officers(officer_choices())
    found = None
    if form.validate():
        found = copy_queue.page(
            db.session(),
            _wanted(form),
            today(),
            after=Cursor.parse(request.args.get("after")),
            before=Cursor.parse(request.args.get("before")),
        )
    filters = {key: value for key, value in request.args.items() if key not in {"after", "before"}}
    return render_template(
        "staff/copy-requests/queue.html",
        form=form,
        page=found,
        filters=filters,
        urgency={r.id: copy_queue.urgency(r, today()) for r in found.requests} if found else {},
        status_words=STAFF_STATUS_WORDS,
    )


@bp.route("/<reference>")
@role_required(Role.DPO_OFFICER)
def show(reference: str) -> ResponseReturnValue:
    """DPO officers: the request, its history, the review of its copy, and what they may do."""
    return render_request(reference)


@bp.route("/<reference>/copy.zip")
@role_required(Role.DPO_OFFICER)
def download(reference: str) -> ResponseReturnValue:
    """DPO officers: the built copy, to check it or print it for the post; audited."""
    found = found_request(reference)
    path = copy_requests.copy_file(found, copies_dir())
    if path is None:
        abort(404)
    record_event(
        db.session(),
        actor=account(),
        action="copy.staff_download",
        subject_person_id=found.subject_person_id,
        session_ref=session_ref(),
        detail={"reference": found.reference},
    )
    db.session().commit()
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=copy_requests.download_name(found),
    )


def render_request(
    reference: str, item_id: uuid.UUID | None = None, **invalid: Any
) -> ResponseReturnValue:
    """The request page, with fresh forms except the one whose errors it shows again (for an
    item's form, `item_id` says which). Opening it is audited, as every staff view of a
    person's data is."""
    found = found_request(reference)
    copy_queue.record_opened(db.session(), account(), found, session_ref())
    review = review_of(found)
    forms = {name: invalid.get(name) or form(formdata=None) for name, form in ACTION_FORMS.items()}
    if found.status in copy_handling.WORKABLE and review is None:
        forms["refuse"].offer_only_no_authority()
    treat_forms = _treat_forms(review, item_id, invalid.get("treat"))
    shown = {"form": next(iter(invalid.values()))} if invalid else {}
    return render_template(
        "staff/copy-requests/request.html",
        copy_request=found,
        review=review,
        categories=[c for c in Category if c.value in found.categories],
        actors=copy_queue.actors_of(db.session(), found),
        treatments=copy_redactions.treatments_by_item(found),
        forms=forms,
        treat_forms=treat_forms,
        confirm=ConfirmForm(formdata=None),
        urgency=copy_queue.urgency(found, today()),
        held=copy_handling.held_by(found, account()),
        may_approve=found.status is CopyStatus.AWAITING_APPROVAL
        and found.release_requested_by_id != account().id,
        workable=found.status in copy_handling.WORKABLE,
        can_extend=can_extend(found),
        has_copy=copy_requests.copy_file(found, copies_dir()) is not None,
        status_words=STAFF_STATUS_WORDS,
        **shown,
    )


def found_request(reference: str) -> CopyRequest:
    found = copy_queue.by_reference(db.session(), reference)
    if found is None:
        abort(404)
    return found


def review_of(found: CopyRequest) -> Assembly | None:
    """The copy as it would be released today, while the request is open; None once it is
    closed, or if the requester may no longer ask for this person's data."""
    if found.status not in copy_handling.WORKABLE:
        return None
    council = council_for(current_app.config, found.language)
    return assemble(db.session(), found, council, today())


def can_extend(found: CopyRequest) -> bool:
    """Whether a longer extension may still be given today (one month more at least)."""
    return found.status in copy_handling.WORKABLE and deadlines.extension_allowed(
        found.received_on,
        found.paused_days,
        found.extended_months,
        found.extended_months + 1,
        today(),
    )


def treat_form(item_id: uuid.UUID, **options: Any) -> TreatItemForm:
    """Each item's form has its own field names and ids, since many share one page. Its
    token is the page's plain `csrf_token`, which CSRFProtect checks before any POST view;
    the form's own check would look for a prefixed name."""
    return TreatItemForm(prefix=f"item-{item_id.hex}", meta={"csrf": False}, **options)


def copies_dir() -> Path:
    return Path(current_app.config["COPIES_DIR"])


def _treat_forms(
    review: Assembly | None, item_id: uuid.UUID | None, posted: TreatItemForm | None
) -> dict[uuid.UUID, TreatItemForm]:
    if review is None:
        return {}
    forms = {item.id: treat_form(item.id, formdata=None) for item in review.included}
    if item_id is not None and posted is not None:
        forms[item_id] = posted
    return forms


def _wanted(form: QueueFilterForm) -> copy_queue.QueueFilter:
    status = form.status.data
    statuses = {"open": copy_queue.OPEN, "all": tuple(CopyStatus)}.get(status) or (
        CopyStatus(status),
    )
    officer = form.officer.data
    return copy_queue.QueueFilter(
        statuses=statuses,
        officer_id=account().id if officer == MINE else as_uuid(officer),
        unassigned=officer == UNASSIGNED,
        overdue_only=bool(form.overdue.data),
    )
