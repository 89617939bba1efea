"""Families ask for a copy of their data (UK GDPR Article 15), follow the request, answer our
question about it and download the copy once released.

Asking is one page of questions, then "check your answers", then send. The answers wait in the
cookie session until sent, so nothing is saved half-way; the draft's one-time submission key
makes a second click or a resent form give back the request the first one made. A request is
seen only by the account that made it: anyone else's reference is 404, as is an unknown one.
Downloading needs a recent password (DESIGN.md: step-up before downloading a copy).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from forms.copy_requests import EVERYTHING, PARTICULAR, AnswerForm, CopyRequestForm, SendForm
from portal import db
from portal.i18n import chosen_language
from portal.i18n import gettext as _
from portal.models import CopyRequest, Person
from portal.services import copy_requests
from portal.vocabulary import Category, CopyDelivery, Role
from portal.web.auth.signing_in import authenticated_within
from portal.web.current import account, now, role_required, session_ref, today, viewer

bp = Blueprint("copy_requests", __name__, url_prefix="/copy-of-your-data")
DRAFT = "copy_request_draft"
# How recently the password must have been typed to download a copy.
DOWNLOAD_STEP_UP = dt.timedelta(minutes=15)


@bp.route("")
@role_required(Role.FAMILY)
def start() -> ResponseReturnValue:
    """What a family member can ask for and how long it takes, and their requests so far."""
    if viewer().awaiting_guardian:
        return redirect(url_for("family.your_data"))
    found = copy_requests.requests_of(db.session(), account())
    return render_template("family/copy-requests/start.html", requests=found)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.FAMILY)
def new() -> ResponseReturnValue:
    """Whose data, what, which dates and how to receive it; kept as a draft once it passes."""
    people = copy_requests.people_to_choose(db.session(), viewer(), today())
    if not people:
        return redirect(url_for("family.your_data"))
    draft = Draft.here()
    answers = draft.form_data() if draft and not draft.sent and request.method == "GET" else None
    form = _offered(CopyRequestForm(data=answers), people)
    if _passes(form, people):
        key = draft.key if draft and not draft.sent else secrets.token_urlsafe(24)
        Draft.from_form(form, key).keep()
        return redirect(url_for("copy_requests.check"))
    return render_template("family/copy-requests/new.html", form=form)


@bp.route("/new/check", methods=["GET", "POST"])
@role_required(Role.FAMILY)
def check() -> ResponseReturnValue:
    """Every answer with a link to change it; sending makes the request."""
    draft = Draft.here()
    form = SendForm(data={"submission_key": draft.key if draft else ""})
    if form.is_submitted():
        if not form.validate():  # no key, or a key that is not ours: show the page again
            return redirect(url_for("copy_requests.check"))
        return _send(draft, form.submission_key.data)
    if draft is None or draft.sent:
        return redirect(url_for("copy_requests.new"))
    subject = _subject_of(draft)
    if subject is None:
        return redirect(url_for("copy_requests.new"))
    return render_template(
        "family/copy-requests/check.html", draft=draft, subject=subject, form=form
    )


def _send(draft: Draft | None, posted_key: str) -> ResponseReturnValue:
    """Makes the request, or gives back the one this draft already made (a second click)."""
    if draft is None or posted_key != draft.key:
        return redirect(url_for("copy_requests.check"))
    if draft.sent:
        return redirect(url_for("copy_requests.follow", reference=draft.sent, sent=1))
    made = copy_requests.ask_for_copy(
        db.session(),
        account=account(),
        viewer=viewer(),
        asked=draft.asked(),
        now=now(),
        session_ref=session_ref(),
    )
    if isinstance(made, copy_requests.Refused):
        people = copy_requests.people_to_choose(db.session(), viewer(), today())
        form = _offered(CopyRequestForm(formdata=None, data=draft.form_data()), people)
        form.refuse(form.person, _refusal(made, draft.subject_id, people))
        return render_template("family/copy-requests/new.html", form=form)
    draft.sent = made.reference
    draft.keep()
    return redirect(url_for("copy_requests.follow", reference=made.reference, sent=1))


@bp.route("/<reference>")
@role_required(Role.FAMILY)
def follow(reference: str) -> ResponseReturnValue:
    """One of the family member's own requests: its status, dates, scope and history, our
    question, the copy or the refusal and how to complain."""
    return _page(_mine(reference))


@bp.route("/<reference>/answer", methods=["POST"])
@role_required(Role.FAMILY)
def answer(reference: str) -> ResponseReturnValue:
    """The requester answers our question (post/redirect/get); the clock starts again."""
    found = _mine(reference)
    form = AnswerForm()
    if copy_requests.open_question(found) is None:
        return redirect(url_for("copy_requests.follow", reference=reference))
    if not form.validate_on_submit():
        return _page(found, form)
    copy_requests.answer_question(
        db.session(), account(), found, form.answer.data, now(), session_ref()
    )
    return redirect(url_for("copy_requests.follow", reference=reference, answered=1))


@bp.route("/<reference>/download")
@role_required(Role.FAMILY)
def download(reference: str) -> ResponseReturnValue:
    """The released copy, after a recent password; an expired, missing or anyone else's copy
    is 404, exactly like an unknown reference. Every download is recorded."""
    found = _mine(reference)
    path = _downloadable(found)
    if path is None:
        abort(404)
    if not authenticated_within(DOWNLOAD_STEP_UP):
        # Back to the request's page, not to the file: a download leaves the browser where it
        # was, and the confirm-password page would stay on screen.
        after = url_for("copy_requests.follow", reference=reference)
        return redirect(url_for("contact_details.confirm_password", next=after))
    if request.method == "GET":  # a HEAD request fetches no copy
        copy_requests.record_download(db.session(), account(), found, now(), session_ref())
    response = send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=copy_requests.download_name(found),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _mine(reference: str) -> CopyRequest:
    found = copy_requests.request_of(db.session(), account(), reference)
    if found is None:
        abort(404)
    return found


def _downloadable(found: CopyRequest) -> Path | None:
    if not copy_requests.may_download(found, account(), now()):
        return None
    return copy_requests.copy_file(found, Path(current_app.config["COPIES_DIR"]))


def _page(found: CopyRequest, form: AnswerForm | None = None) -> ResponseReturnValue:
    """The request's page; after a refused answer, with its problems (`form` drives the
    page's title and error summary)."""
    posted = {"form": form} if form is not None else {}
    return render_template(
        "family/copy-requests/request.html",
        item=found,
        about_self=found.subject_person_id == account().person_id,
        categories=[category for category in Category if category.value in found.categories],
        history=copy_requests.visible_history(found),
        question=copy_requests.open_question(found),
        download_ready=_downloadable(found) is not None,
        answer_form=form or AnswerForm(formdata=None),
        **posted,
    )


def _offered(form: CopyRequestForm, people: list[Person]) -> CopyRequestForm:
    mine = viewer().person_id
    form.offer([(str(p.id), _("Yourself") if p.id == mine else p.full_name) for p in people])
    return form


def _passes(form: CopyRequestForm, people: list[Person]) -> bool:
    """Every answer's shape, and whom this family member may ask for, judged together so
    that all the problems show at once."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    return _may_ask_for(form, people) and valid


def _may_ask_for(form: CopyRequestForm, people: list[Person]) -> bool:
    """The service's rule on whom this family member may ask for; a refusal is an error on
    the person question, so every other answer stays on the page and nothing is kept."""
    if form.person.errors or not form.person.data:
        return False
    subject_id = uuid.UUID(form.person.data)
    checked = copy_requests.check_subject(db.session(), viewer(), subject_id, today())
    if isinstance(checked, copy_requests.Refused):
        form.refuse(form.person, _refusal(checked, subject_id, people))
        return False
    return True


def _refusal(refused: copy_requests.Refused, subject_id: uuid.UUID, people: list[Person]) -> str:
    named = next((p for p in people if p.id == subject_id), None)
    if refused is copy_requests.Refused.OLD_ENOUGH_TO_ASK and named is not None:
        return _(
            "%(name)s is 13 or over, so they must ask for a copy of their own data. If you "
            "need to ask for them, email the Data Protection Officer's team at %(email)s",
            name=named.full_name,
            email=current_app.config["DPO_EMAIL"],
        )
    return _("Select whose data you want a copy of")


def _subject_of(draft: Draft) -> Person | None:
    people = copy_requests.people_to_choose(db.session(), viewer(), today())
    return next((p for p in people if p.id == draft.subject_id), None)


@dataclass
class Draft:
    """The answers so far, in this browser's session, for this account only."""

    account_id: str
    key: str
    person: str
    categories: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    delivery: str = CopyDelivery.DOWNLOAD.value
    # The reference of the request this draft made, once sent.
    sent: str | None = None

    @classmethod
    def here(cls) -> Draft | None:
        stored = session.get(DRAFT)
        if not isinstance(stored, dict) or stored.get("account_id") != str(account().id):
            return None
        try:
            return cls(**stored)
        except TypeError:
            return None

    @classmethod
    def from_form(cls, form: CopyRequestForm, key: str) -> Draft:
        return cls(
            account_id=str(account().id),
            key=key,
            person=form.person.data,
            categories=[category.value for category in form.chosen_categories()],
            date_from=_iso(form.date_from.data),
            date_to=_iso(form.date_to.data),
            delivery=form.delivery.data,
        )

    def keep(self) -> None:
        session[DRAFT] = asdict(self)

    @property
    def subject_id(self) -> uuid.UUID:
        return uuid.UUID(self.person)

    @property
    def chosen(self) -> list[Category]:
        return [category for category in Category if category.value in self.categories]

    @property
    def starts(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date_from) if self.date_from else None

    @property
    def ends(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date_to) if self.date_to else None

    @property
    def way(self) -> CopyDelivery:
        return CopyDelivery(self.delivery)

    def form_data(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "scope": PARTICULAR if self.categories else EVERYTHING,
            "categories": self.categories,
            "date_from": self.starts,
            "date_to": self.ends,
            "delivery": self.delivery,
        }

    def asked(self) -> copy_requests.Asked:
        return copy_requests.Asked(
            subject_id=self.subject_id,
            categories=tuple(self.chosen),
            date_from=self.starts,
            date_to=self.ends,
            delivery=self.way,
            submission_key=self.key,
            language=chosen_language(),
        )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
