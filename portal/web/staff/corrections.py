"""DPO staff: the corrections queue, and claiming and deciding one request (Articles 16, 18
and 19). Every change is a POST that a service audits, then a redirect back to the request."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from forms.correction_decisions import (
    AcceptDateOfBirthForm,
    AcceptForm,
    AcceptNameForm,
    ExtendForm,
    QueueFilterForm,
    RefuseForm,
)
from forms.guardian_approval import ConfirmForm
from portal import db
from portal.i18n import lazy_gettext as _l
from portal.models import CorrectionRequest
from portal.services import correction_decisions, correction_queue
from portal.services.audit import record_view
from portal.services.person_fields import Corrected, CorrectedName
from portal.vocabulary import (
    CorrectionTaskKind,
    PersonField,
    RefusalReason,
    Role,
    Source,
    ViewReason,
    label,
)
from portal.web.attachments import send_attachment
from portal.web.current import account, now, public_url, role_required, session_ref, today
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_corrections", "/staff/corrections")

ACCEPT_FORMS: dict[PersonField | None, type[AcceptForm]] = {
    None: AcceptForm,
    PersonField.NAME: AcceptNameForm,
    PersonField.DATE_OF_BIRTH: AcceptDateOfBirthForm,
}
EXTENSION_REFUSED = _l(
    "You can only extend within the first month, to a longer extension, up to 2 months in all"
)


@bp.route("")
@role_required(Role.DPO_OFFICER)
def queue() -> ResponseReturnValue:
    """DPO officers: open requests by due date, overdue first; filtered by a GET form."""
    form = QueueFilterForm(request.args, meta={"csrf": False})
    found = (
        correction_queue.queue(db.session(), _wanted(form), today()) if form.validate() else None
    )
    urgency = {item.id: correction_queue.urgency(item, today()) for item in found or []}
    return render_template(
        "staff/corrections/queue.html",
        form=form,
        requests=found,
        urgency=urgency,
        page_size=correction_queue.PAGE_SIZE,
    )


@bp.route("/<reference>")
@role_required(Role.DPO_OFFICER)
def show(reference: str) -> ResponseReturnValue:
    """DPO officers: the item, what the family said, history, recipients, tasks, actions."""
    return _page(reference)


@bp.route("/<reference>/claim", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def claim(reference: str) -> ResponseReturnValue:
    """DPO officers: take an unclaimed request; of two officers at once, one wins."""
    found = _posted(reference)
    won = correction_decisions.claim(db.session(), account(), found, now(), session_ref())
    return _back(reference, "claimed" if won else "claim-lost")


@bp.route("/<reference>/release", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def release(reference: str) -> ResponseReturnValue:
    """The officer holding a request puts it back in the queue."""
    found = _posted(reference)
    released = correction_decisions.release(db.session(), account(), found, now(), session_ref())
    return _back(reference, "released" if released else "not-held")


@bp.route("/<reference>/accept", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def accept(reference: str) -> ResponseReturnValue:
    """The officer holding a request accepts it, with words the family sees (and, for a name
    or date of birth, the value they checked)."""
    found = _found(reference)
    form = _accept_form(found)()
    if not form.validate_on_submit():
        return _page(reference, accept=form)
    done = correction_decisions.accept(
        db.session(),
        account(),
        found,
        form.accept_text.data,
        now(),
        session_ref(),
        corrected=_corrected(form),
        public_url=public_url(),
    )
    return _back(reference, "accepted" if done else "not-held")


@bp.route("/<reference>/refuse", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def refuse(reference: str) -> ResponseReturnValue:
    """The officer holding a request refuses it: a reason from the list and their words."""
    form = RefuseForm()
    if not form.validate_on_submit():
        return _page(reference, refuse=form)
    done = correction_decisions.refuse(
        db.session(),
        account(),
        _found(reference),
        RefusalReason(form.refusal_reason.data),
        form.refusal_text.data,
        now(),
        session_ref(),
    )
    return _back(reference, "refused" if done else "not-held")


@bp.route("/<reference>/extend", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def extend(reference: str) -> ResponseReturnValue:
    """The officer holding a request extends its deadline, telling the family why."""
    form = ExtendForm()
    found = _found(reference)
    if not form.validate_on_submit():
        return _page(reference, extend=form)
    if not correction_decisions.held_by(found, account()):
        return _back(reference, "not-held")
    months = int(form.months.data)
    if not correction_decisions.extension_allowed(found, months, today()):
        form.refuse(form.months, EXTENSION_REFUSED)
        return _page(reference, extend=form)
    done = correction_decisions.extend(
        db.session(), account(), found, months, form.extension_reason.data, now(), session_ref()
    )
    return _back(reference, "extended" if done else "not-held")


@bp.route("/<reference>/tasks/<uuid:task_id>/done", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def finish_task(reference: str, task_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: a partner was asked or told; the task is done."""
    found = _posted(reference)
    done = correction_decisions.finish_task(
        db.session(), account(), found, task_id, now(), session_ref()
    )
    # A second click finds it done already: the page shows that, with no message.
    return _back(reference, "task-done" if done else None)


@bp.route("/<reference>/evidence")
@role_required(Role.DPO_OFFICER)
def evidence(reference: str) -> ResponseReturnValue:
    """DPO officers: the family's evidence, as a download; every opening is audited."""
    found = _found(reference)
    if found.attachment is None:
        abort(404)
    record_view(
        db.session(),
        actor=account(),
        subject_person_id=found.person_id,
        session_ref=session_ref(),
        reason=ViewReason.CORRECTION,
    )
    return send_attachment(found.attachment)


def _accept_form(found: CorrectionRequest) -> type[AcceptForm]:
    return ACCEPT_FORMS[found.person_field]


def _corrected(form: AcceptForm) -> Corrected | None:
    if isinstance(form, AcceptNameForm):
        return CorrectedName(form.given_name.data, form.family_name.data)
    if isinstance(form, AcceptDateOfBirthForm):
        return form.date_of_birth.data
    return None


def _wanted(form: QueueFilterForm) -> correction_queue.QueueFilter:
    return correction_queue.QueueFilter(
        status=form.status.data,
        source=Source(form.source.data) if form.source.data else None,
        overdue_only=bool(form.overdue.data),
        person=form.person.data or "",
    )


def _found(reference: str) -> CorrectionRequest:
    found = correction_queue.by_reference(db.session(), reference)
    if found is None:
        abort(404)
    return found


def _posted(reference: str) -> CorrectionRequest:
    """A request named by a button-only form, whose CSRF token is the point."""
    found = _found(reference)
    if not ConfirmForm().validate_on_submit():
        abort(404)
    return found


def _back(reference: str, outcome: str | None) -> ResponseReturnValue:
    """Post/redirect/get: the request page, with what happened for its banner."""
    if outcome is None:
        return redirect(url_for("staff_corrections.show", reference=reference))
    return redirect(url_for("staff_corrections.show", reference=reference, outcome=outcome))


def _page(reference: str, **invalid: Any) -> ResponseReturnValue:
    """The request page, with fresh forms except the one whose errors it shows again. Opening
    it is audited, as is every staff view of a person's data."""
    details = correction_queue.details(db.session(), reference)
    if details is None:
        abort(404)
    record_view(
        db.session(),
        actor=account(),
        subject_person_id=details.request.person_id,
        session_ref=session_ref(),
        reason=ViewReason.CORRECTION,
    )
    forms = {
        "accept": invalid.get("accept") or _accept_form(details.request)(formdata=None),
        "refuse": invalid.get("refuse") or RefuseForm(formdata=None),
        "extend": invalid.get("extend") or ExtendForm(formdata=None),
    }
    shown = {"form": next(iter(invalid.values()))} if invalid else {}
    return render_template(
        "staff/corrections/request.html",
        details=details,
        correction=details.request,
        forms=forms,
        confirm=ConfirmForm(formdata=None),
        urgency=correction_queue.urgency(details.request, today()),
        can_extend=correction_decisions.extension_allowed(
            details.request, details.request.extended_months + 1, today()
        ),
        held=correction_decisions.held_by(details.request, account()),
        task_words={kind.value: label(kind) for kind in CorrectionTaskKind},
        **shown,
    )
