"""DPO staff working one complaint: each change is a POST that a service guards (who holds it,
what state it is in) and audits, then a redirect back to the complaint with what happened."""

from __future__ import annotations

from flask import abort, current_app, redirect, url_for
from flask.typing import ResponseReturnValue

from forms.complaint_handling import (
    MessageForm,
    NoteForm,
    ReassignForm,
    ReopenForm,
    ResolveForm,
    WaitForm,
)
from forms.guardian_approval import ConfirmForm
from portal import db
from portal.models import Account, Complaint
from portal.services import complaint_handling, complaint_queue
from portal.services.complaint_handling import Told
from portal.vocabulary import ComplaintOutcome, Role
from portal.web.current import account, now, public_url, role_required, session_ref
from portal.web.staff import staff_blueprint
from portal.web.staff.complaints import as_uuid, officer_choices, render_complaint

bp = staff_blueprint("staff_complaint_actions", "/staff/complaints")


@bp.route("/<reference>/claim", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def claim(reference: str) -> ResponseReturnValue:
    """DPO officers: take a complaint nobody holds; of two officers at once, one wins."""
    won = complaint_handling.claim(
        db.session(), account(), _posted(reference), now(), session_ref()
    )
    return _back(reference, "claimed" if won else "claim-lost")


@bp.route("/<reference>/release", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def release(reference: str) -> ResponseReturnValue:
    """The officer holding a complaint puts it back for anyone to claim."""
    released = complaint_handling.release(
        db.session(), account(), _posted(reference), now(), session_ref()
    )
    return _back(reference, "released" if released else "not-allowed")


@bp.route("/<reference>/reassign", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def reassign(reference: str) -> ResponseReturnValue:
    """Any DPO officer gives a complaint to another officer, saying why; if someone else
    changed who holds it meanwhile, nothing happens and they are told."""
    found = _found(reference)
    form = ReassignForm()
    form.offer_officers(officer_choices())
    if not form.validate_on_submit():
        return render_complaint(reference, reassign=form)
    to_id = as_uuid(form.reassign_to.data)
    to = db.session().get(Account, to_id) if to_id else None
    if to is None:
        abort(404)
    moved = complaint_handling.reassign(
        db.session(),
        account(),
        found,
        expected=as_uuid(form.holder.data),
        to=to,
        reason=form.reassign_reason.data,
        now=now(),
        session_ref=session_ref(),
    )
    return _back(reference, "reassigned" if moved else "reassign-lost")


@bp.route("/<reference>/acknowledge", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def acknowledge(reference: str) -> ResponseReturnValue:
    """The officer holding a new complaint acknowledges it (by email, or they post it)."""
    told = complaint_handling.acknowledge(
        db.session(), account(), _posted(reference), now(), public_url(), session_ref()
    )
    return _back(reference, _told("acknowledged", told))


@bp.route("/<reference>/investigate", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def investigate(reference: str) -> ResponseReturnValue:
    started = complaint_handling.start_investigating(
        db.session(), account(), _posted(reference), now(), session_ref()
    )
    return _back(reference, "investigating" if started else "not-allowed")


@bp.route("/<reference>/wait", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def wait(reference: str) -> ResponseReturnValue:
    """The officer asks the complainant something; the clock stops until they resume it."""
    form = WaitForm()
    if not form.validate_on_submit():
        return render_complaint(reference, wait=form)
    told = complaint_handling.wait_for_complainant(
        db.session(),
        account(),
        _found(reference),
        form.question_text.data,
        now(),
        public_url(),
        session_ref(),
    )
    return _back(reference, _told("waiting", told))


@bp.route("/<reference>/resume", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def resume(reference: str) -> ResponseReturnValue:
    resumed = complaint_handling.resume(
        db.session(),
        account(),
        _posted(reference),
        now(),
        current_app.config["COMPLAINT_RESPONSE_MONTHS"],
        session_ref(),
    )
    return _back(reference, "resumed" if resumed else "not-allowed")


@bp.route("/<reference>/note", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def note(reference: str) -> ResponseReturnValue:
    """An internal note, for staff only."""
    form = NoteForm()
    if not form.validate_on_submit():
        return render_complaint(reference, note=form)
    added = complaint_handling.add_note(
        db.session(), account(), _found(reference), form.note_text.data, now(), session_ref()
    )
    return _back(reference, "noted" if added else "not-allowed")


@bp.route("/<reference>/message", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def message(reference: str) -> ResponseReturnValue:
    """A message to the complainant, who is emailed that it is there (or sent it by post)."""
    form = MessageForm()
    if not form.validate_on_submit():
        return render_complaint(reference, message=form)
    told = complaint_handling.send_message(
        db.session(),
        account(),
        _found(reference),
        form.message_text.data,
        now(),
        public_url(),
        session_ref(),
    )
    return _back(reference, _told("messaged", told))


@bp.route("/<reference>/resolve", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def resolve(reference: str) -> ResponseReturnValue:
    """The outcome letter, from the outcome's template and the officer's explanation."""
    form = ResolveForm()
    if not form.validate_on_submit():
        return render_complaint(reference, resolve=form)
    told = complaint_handling.resolve(
        db.session(),
        account(),
        _found(reference),
        ComplaintOutcome(form.outcome.data),
        form.explanation.data,
        now(),
        public_url(),
        session_ref(),
    )
    return _back(reference, _told("resolved", told))


@bp.route("/<reference>/close", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def close(reference: str) -> ResponseReturnValue:
    closed = complaint_handling.close(
        db.session(), account(), _posted(reference), now(), session_ref()
    )
    return _back(reference, "closed" if closed else "not-allowed")


@bp.route("/<reference>/reopen", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def reopen(reference: str) -> ResponseReturnValue:
    """Back to investigating, with a reason the complainant sees."""
    form = ReopenForm()
    if not form.validate_on_submit():
        return render_complaint(reference, reopen=form)
    reopened = complaint_handling.reopen(
        db.session(), account(), _found(reference), form.reopen_reason.data, now(), session_ref()
    )
    return _back(reference, "reopened" if reopened else "not-allowed")


def _told(done: str, told: Told | None) -> str:
    """The banner: done (emailed), done but the officer must post it, or nothing changed."""
    if told is None:
        return "not-allowed"
    return f"{done}-post" if told is Told.POST else done


def _found(reference: str) -> Complaint:
    found = complaint_queue.by_reference(db.session(), reference)
    if found is None:
        abort(404)
    return found


def _posted(reference: str) -> Complaint:
    """A complaint named by a button-only form, whose CSRF token is the point."""
    found = _found(reference)
    if not ConfirmForm().validate_on_submit():
        abort(404)
    return found


def _back(reference: str, outcome: str) -> ResponseReturnValue:
    """Post/redirect/get: the complaint page, with what happened for its banner."""
    return redirect(url_for("staff_complaints.show", reference=reference, outcome=outcome))
