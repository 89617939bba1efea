"""DPO staff working one copy request: each change is a POST that a service guards (who holds
it, what state it is in, whether the built copy is current) and audits, then a redirect back
to the request with what happened."""

from __future__ import annotations

import uuid

from flask import abort, redirect, url_for
from flask.typing import ResponseReturnValue

from forms.copy_handling import ExtendForm, QuestionForm, RefuseForm, TakeOverForm
from forms.guardian_approval import ConfirmForm
from portal import db
from portal.i18n import lazy_gettext as _l
from portal.models import CopyRequest
from portal.services import copy_handling, copy_redactions
from portal.services.copy_assembly import Assembly
from portal.services.copy_handling import Result
from portal.vocabulary import CopyDelivery, CopyReason, CopyRefusal, CopyStatus, CopyTreatment, Role
from portal.web.current import account, now, role_required, session_ref
from portal.web.staff import staff_blueprint
from portal.web.staff.copy_requests import (
    can_extend,
    found_request,
    render_request,
    review_of,
    treat_form,
)

bp = staff_blueprint("staff_copy_request_actions", "/staff/copy-requests")

EXTENSION_REFUSED = _l(
    "You can only extend within the first month, to a longer extension, up to 2 months in all"
)
# What went wrong, for the page's banner, whatever the action.
PROBLEMS = {
    Result.NOT_ALLOWED: "not-allowed",
    Result.NOT_BUILT: "not-built",
    Result.SAME_OFFICER: "same-officer",
}


@bp.route("/<reference>/claim", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def claim(reference: str) -> ResponseReturnValue:
    """DPO officers: take a request nobody holds; of two officers at once, one wins."""
    result = copy_handling.claim(db.session(), account(), _posted(reference), now(), session_ref())
    return _back(reference, "claimed" if result is Result.DONE else "claim-lost")


@bp.route("/<reference>/take-over", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def take_over(reference: str) -> ResponseReturnValue:
    """Any DPO officer takes over a request another officer holds, saying why."""
    form = TakeOverForm()
    if not form.validate_on_submit():
        return render_request(reference, take_over=form)
    result = copy_handling.take_over(
        db.session(),
        account(),
        found_request(reference),
        form.take_over_reason.data,
        now(),
        session_ref(),
    )
    return _back(reference, _outcome(result, "taken-over"))


@bp.route("/<reference>/question", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def question(reference: str) -> ResponseReturnValue:
    """The officer holding it asks the requester to clarify; the clock stops until they do."""
    form = QuestionForm()
    if not form.validate_on_submit():
        return render_request(reference, question=form)
    result = copy_handling.ask_question(
        db.session(),
        account(),
        found_request(reference),
        form.question_text.data,
        now(),
        session_ref(),
    )
    return _back(reference, _outcome(result, "asked"))


@bp.route("/<reference>/extend", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def extend(reference: str) -> ResponseReturnValue:
    """The officer holding it extends the due date of a complex request, saying why."""
    form = ExtendForm()
    found = found_request(reference)
    if not form.validate_on_submit():
        return render_request(reference, extend=form)
    if not copy_handling.held_by(found, account()):
        return _back(reference, "not-allowed")
    months = int(form.extend_months.data)
    if months <= found.extended_months or not can_extend(found):
        form.refuse(form.extend_months, EXTENSION_REFUSED)
        return render_request(reference, extend=form)
    result = copy_handling.extend(
        db.session(), account(), found, months, form.extension_reason.data, now(), session_ref()
    )
    return _back(reference, _outcome(result, "extended"))


@bp.route("/<reference>/items/<uuid:item_id>/treat", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def treat(reference: str, item_id: uuid.UUID) -> ResponseReturnValue:
    """The officer holding it leaves an item out of the copy, or redacts it, under an
    exemption, with a note for staff."""
    form = treat_form(item_id)
    review = _review(found := found_request(reference))
    if isinstance(review, str):
        return _back(reference, review)
    if not form.validate_on_submit():
        return render_request(reference, item_id=item_id, treat=form)
    result = copy_redactions.treat_item(
        db.session(),
        account(),
        found,
        review,
        item_id=item_id,
        treatment=CopyTreatment(form.treatment.data),
        reason=CopyReason(form.treat_reason.data),
        note=form.treat_note.data,
        now=now(),
        session_ref=session_ref(),
    )
    return _back(reference, _outcome(result, "treated"))


@bp.route("/<reference>/items/<uuid:item_id>/undo", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def undo(reference: str, item_id: uuid.UUID) -> ResponseReturnValue:
    """The officer holding it puts an item an officer left out or redacted back."""
    result = copy_redactions.undo_treatment(
        db.session(), account(), _posted(reference), item_id, now(), session_ref()
    )
    return _back(reference, _outcome(result, "undone"))


@bp.route("/<reference>/release", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def release(reference: str) -> ResponseReturnValue:
    """The officer holding it releases the built copy; or, if the copy leaves out or redacts
    anything, asks a second officer to approve it."""
    found = _posted(reference)
    review = _review(found)
    if isinstance(review, str):
        return _back(reference, review)
    result = copy_handling.release(db.session(), account(), found, review, now(), session_ref())
    if result is Result.DONE and found.status is CopyStatus.AWAITING_APPROVAL:
        return _back(reference, "release-asked")
    return _back(reference, _outcome(result, _released(found)))


@bp.route("/<reference>/approve", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def approve(reference: str) -> ResponseReturnValue:
    """A second officer, not the one who asked, approves a copy that leaves out or redacts
    something, and it is released."""
    found = _posted(reference)
    review = _review(found)
    if isinstance(review, str):
        return _back(reference, review)
    result = copy_handling.approve(db.session(), account(), found, review, now(), session_ref())
    return _back(reference, _outcome(result, _released(found)))


@bp.route("/<reference>/refuse", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def refuse(reference: str) -> ResponseReturnValue:
    """The officer holding it refuses the request on a statutory ground, telling the
    requester why; only "cannot act for them" if the requester may no longer ask."""
    form = RefuseForm()
    found = found_request(reference)
    if found.status in copy_handling.WORKABLE and review_of(found) is None:
        form.offer_only_no_authority()
    if not form.validate_on_submit():
        return render_request(reference, refuse=form)
    result = copy_handling.refuse(
        db.session(),
        account(),
        found,
        CopyRefusal(form.refusal_reason.data),
        form.refusal_note.data,
        now(),
        session_ref(),
    )
    return _back(reference, _outcome(result, "refused"))


def _review(found: CopyRequest) -> Assembly | str:
    """The copy to act on; or, if there is none, the banner that says why: the request is
    closed, or the requester may no longer ask for this person's data."""
    if found.status not in copy_handling.WORKABLE:
        return PROBLEMS[Result.NOT_ALLOWED]
    review = review_of(found)
    return "not-entitled" if review is None else review


def _released(found: CopyRequest) -> str:
    """A copy to download is emailed about; one by post the officer must print and send."""
    return "released" if found.delivery is CopyDelivery.DOWNLOAD else "released-post"


def _outcome(result: Result, done: str) -> str:
    return done if result is Result.DONE else PROBLEMS[result]


def _posted(reference: str) -> CopyRequest:
    """A request named by a button-only form, whose CSRF token is the point."""
    found = found_request(reference)
    if not ConfirmForm().validate_on_submit():
        abort(404)
    return found


def _back(reference: str, outcome: str) -> ResponseReturnValue:
    """Post/redirect/get: the request page, with what happened for its banner."""
    return redirect(url_for("staff_copy_requests.show", reference=reference, outcome=outcome))
