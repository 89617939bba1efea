"""DPO staff: recording by hand that a person's data was shared with a partner. The service
judges every answer (as it judges an imported row); nothing is saved unless all are right."""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.sharing_events import RecordSharingForm
from portal import db
from portal.i18n import chosen_language
from portal.models import DataItem, Partner, Person
from portal.services import sharing_events
from portal.services.audit import record_view
from portal.services.sharing_events import CheckedSharing, Problem, ProposedSharing
from portal.templating import shown_value
from portal.vocabulary import Role, label
from portal.web.current import account, role_required, session_ref, today
from portal.web.staff import staff_blueprint

bp = staff_blueprint("staff_sharing_events", "/staff/people/<uuid:person_id>/sharing-events")


@bp.route("/new", methods=["GET"])
@role_required(Role.DPO_OFFICER)
def new(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: the form, listing the person's current items (an audited view)."""
    return _page(_person(person_id), RecordSharingForm())


@bp.route("/new", methods=["POST"])
@role_required(Role.DPO_OFFICER)
def record(person_id: uuid.UUID) -> ResponseReturnValue:
    """DPO officers: records the event with its audit event, or shows every problem."""
    person = _person(person_id)
    form = RecordSharingForm()
    form.validate()
    verdict = sharing_events.validate(db.session(), _proposal(person, form), today())
    if isinstance(verdict, CheckedSharing) and not form.errors:
        sharing_events.record_by_hand(
            db.session(), verdict, staff=account(), session_ref=session_ref()
        )
        return redirect(url_for("staff.person", person_id=person.id, outcome="sharing-recorded"))
    if not isinstance(verdict, CheckedSharing):
        _show(verdict, form)
    return _page(person, form)


def _proposal(person: Person, form: RecordSharingForm) -> ProposedSharing:
    return ProposedSharing(
        person_id=str(person.id),
        partner_code=form.partner_code.data or "",
        shared_on=form.shared_on.data.isoformat() if form.shared_on.data else "",
        purpose=form.purpose.data or "",
        lawful_basis=form.lawful_basis.data or "",
        item_ids=tuple(form.item_ids.data or ()),
    )


def _show(problems: list[Problem], form: RecordSharingForm) -> None:
    """The service's problems beside their fields, except where the form found one already
    (a date it could not read is not also "missing")."""
    for problem in problems:
        field = form._fields.get(problem.field)
        if field is None:  # not the form's to answer (the person is the page's own)
            form.form_errors.append(problem.message)
            form.mark_refused()
        elif not field.errors:
            form.refuse(field, problem.message)


def _page(person: Person, form: RecordSharingForm) -> str:
    items = sharing_events.current_items(db.session(), person.id)
    form.offer(
        sorted(
            ((p.code, _name(p)) for p in sharing_events.current_partners(db.session())),
            key=lambda partner: partner[1],
        ),
        [(str(item.id), _words(item)) for item in items],
    )
    record_view(
        db.session(), actor=account(), subject_person_id=person.id, session_ref=session_ref()
    )
    return render_template(
        "staff/sharing-events/record.html", person=person, form=form, items=items
    )


def _person(person_id: uuid.UUID) -> Person:
    person = db.session().get(Person, person_id)
    if person is None:
        abort(404)
    return person


def _name(partner: Partner) -> str:
    return partner.name_cy if chosen_language() == "cy" else partner.name_en


def _words(item: DataItem) -> str:
    return f"{label(item.kind)}: {shown_value(item)}"
