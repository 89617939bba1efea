"""Making a complaint to the Data Protection Officer (DPA 2018 s164A), signed in or not: a
question a page, "check your answers", then send. Anyone may open these pages; a signed-in
family member says whom it is about (only people they may see), anyone else gives their name
and how to reply. Nothing becomes a complaint until it is sent, and a second click or a resent
form sends nothing twice (the draft's one-time submission key). Works without JavaScript."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from forms.complaints import (
    CategoryForm,
    DesiredOutcomeForm,
    DetailsForm,
    EvidenceForm,
    PersonForm,
    RemoveFileForm,
    SendForm,
    WhatHappenedForm,
)
from portal import db
from portal.contact_formats import normalise_phone
from portal.i18n import lazy_gettext as _l
from portal.models import Complaint
from portal.services import complaints
from portal.services.complaint_drafts import MAX_FILES
from portal.services.your_complaints import sent_with_key
from portal.vocabulary import ComplaintCategory, ComplaintChannel
from portal.web.attachments import attachments_dir
from portal.web.current import now, public, public_url, session_ref
from portal.web.family.complaint_files import checked_uploads
from portal.web.family.complaint_journey import (
    CATEGORY,
    DESIRED_OUTCOME,
    DETAILS,
    DRAFT,
    EVIDENCE,
    PERSON,
    WHAT_HAPPENED,
    Journey,
    Step,
    drafts,
    family_account,
    response_months,
)
from portal.web.limits import PER_ADDRESS, limiter

bp = Blueprint("complaints", __name__, url_prefix="/complaints")
SENT = "complaint_sent"
POST_LIMIT = limiter.limit(PER_ADDRESS, methods=["POST"])


@bp.route("")
@public
def start() -> ResponseReturnValue:
    """What the Data Protection Officer does, what happens when, and the ICO."""
    return render_template("complaints/start.html", family=family_account() is not None)


@bp.route("/new", methods=["GET", "POST"])
@public
@POST_LIMIT
def category() -> ResponseReturnValue:
    return _question(CATEGORY, CategoryForm, "complaints/category.html")


@bp.route("/new/person", methods=["GET", "POST"])
@public
@POST_LIMIT
def person() -> ResponseReturnValue:
    return _question(PERSON, PersonForm, "complaints/person.html")


@bp.route("/new/what-happened", methods=["GET", "POST"])
@public
@POST_LIMIT
def what_happened() -> ResponseReturnValue:
    return _question(WHAT_HAPPENED, WhatHappenedForm, "complaints/what-happened.html")


@bp.route("/new/what-you-want", methods=["GET", "POST"])
@public
@POST_LIMIT
def desired_outcome() -> ResponseReturnValue:
    return _question(DESIRED_OUTCOME, DesiredOutcomeForm, "complaints/desired-outcome.html")


@bp.route("/new/your-details", methods=["GET", "POST"])
@public
@POST_LIMIT
def details() -> ResponseReturnValue:
    return _question(DETAILS, DetailsForm, "complaints/your-details.html")


def _question(step: Step, form_class: Any, template: str) -> ResponseReturnValue:
    """Ask one page of questions; keep the answers once they pass, then go on (to the check
    page once everything is answered). Pages must be answered in order."""
    journey = Journey.here()
    if step not in journey.steps:
        abort(404)
    if (earlier := _earlier(journey, step)) is not None:
        return earlier
    # The answers so far fill the page; a POST is judged on what it sends alone.
    form = form_class(data=journey.answers if request.method == "GET" else None)
    if step is PERSON:
        form.offer(journey.person_choices())
    if form.validate_on_submit():
        journey.answer(_answers(form))
        return redirect(journey.next_url())
    return render_template(template, form=form, back=journey.back_url(step))


def _earlier(journey: Journey, step: Step) -> ResponseReturnValue | None:
    """Where to go instead when an earlier page is unanswered (or the answers have gone)."""
    if journey.draft is None and step is not CATEGORY:
        return _start_again()
    if (earlier := journey.unanswered(before=step)) is not None:
        return redirect(url_for(earlier.endpoint))
    return None


def _answers(form: Any) -> dict[str, str]:
    answers = {
        name: field.data or ""
        for name, field in form._fields.items()
        if name not in {"csrf_token", "submit"}
    }
    if "phone" in answers:
        answers["phone"] = normalise_phone(answers["phone"]) or ""
    return answers


@bp.route("/new/evidence", methods=["GET", "POST"])
@public
@POST_LIMIT
def evidence() -> ResponseReturnValue:
    """Optional files, checked as they arrive: a refused file keeps none of those chosen."""
    journey = Journey.here()
    if (earlier := _earlier(journey, EVIDENCE)) is not None:
        return earlier
    form = EvidenceForm()
    if form.validate_on_submit():
        room = MAX_FILES - len(journey.files)
        files = checked_uploads(form.evidence, room, _l("You can send up to 5 files"))
        if files is not False:
            journey.add_files(files)
            journey.answer({EVIDENCE.answer: "done"})
            return redirect(journey.next_url())
    return render_template(
        "complaints/evidence.html",
        form=form,
        files=journey.files,
        remove=RemoveFileForm(),
        back=journey.back_url(EVIDENCE),
    )


@bp.route("/new/evidence/remove", methods=["POST"])
@public
@POST_LIMIT
def remove_file() -> ResponseReturnValue:
    form = RemoveFileForm()
    if form.validate_on_submit():
        Journey.here().remove_file(form.file.data)
    return redirect(url_for("complaints.evidence"))


@bp.route("/new/check", methods=["GET", "POST"])
@public
@POST_LIMIT
def check() -> ResponseReturnValue:
    """Every answer with a link to change it; sending makes the complaint."""
    journey = Journey.here()
    form = SendForm(data={"submission_key": journey.submission_key})
    if form.validate_on_submit():
        return _send(journey, form.submission_key.data)
    if journey.draft is None:
        return _start_again()
    if (missing := journey.unanswered()) is not None:
        return redirect(url_for(missing.endpoint))
    return render_template(
        "complaints/check-answers.html",
        journey=journey,
        form=form,
        category=ComplaintCategory(journey.answers["category"]),
    )


def _send(journey: Journey, posted_key: str) -> ResponseReturnValue:
    """Raises the complaint, or finds the one this key already raised (a second click)."""
    key = journey.submission_key or posted_key
    if (done := sent_with_key(db.session(), key, journey.complainant)) is not None:
        journey.finish()
        return _confirmed(done)
    if journey.draft is None:
        return _start_again()
    if journey.names_someone_hidden():
        journey.answer({PERSON.answer: ""})
    if (missing := journey.unanswered()) is not None:
        return redirect(url_for(missing.endpoint))
    evidence = drafts().evidence(journey.draft)
    if evidence is None:
        return _start_again()
    received = complaints.raise_complaint(
        db.session(),
        complainant=journey.who(),
        raised=complaints.Raised(
            category=ComplaintCategory(journey.answers["category"]),
            what_happened=journey.answers["what_happened"],
            desired_outcome=journey.answers["desired_outcome"],
            submission_key=key,
            about=journey.about(),
            evidence=evidence,
        ),
        channel=ComplaintChannel.PORTAL,
        now=now(),
        public_url=public_url(),
        response_months=response_months(),
        attachments_dir=attachments_dir(),
        session_ref=session_ref(),
    )
    journey.finish()
    return _confirmed(received.complaint)


def _start_again() -> ResponseReturnValue:
    """Back to the first question; saying why if this browser had answers we no longer hold."""
    return redirect(url_for("complaints.category", expired=1 if session.get(DRAFT) else None))


def _confirmed(complaint: Complaint) -> ResponseReturnValue:
    session[SENT] = complaint.reference
    return redirect(url_for("complaints.sent"))


@bp.route("/sent")
@public
def sent() -> ResponseReturnValue:
    """The reference and dates of the complaint this browser has just sent."""
    found = complaints.by_reference(db.session(), session.get(SENT) or "")
    complainant = family_account()
    owner = complainant.id if complainant else None
    if found is None or found.complainant_account_id != owner:
        return redirect(url_for("complaints.start"))
    return render_template("complaints/sent.html", complaint=found, family=owner is not None)
