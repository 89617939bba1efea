"""Following a complaint: status and dates, the complaint as sent, messages both ways, the
history the complainant may see, the outcome letter and how to complain to the ICO; a reply or
more evidence until it is closed.

A signed-in family member follows theirs at /your-complaints. Someone without an account has
only the link we emailed them: it opens the complaint for this browser's session and redirects
to a page without the secret in its address, so the forms there post with an ordinary
Referer (Flask-WTF checks it over HTTPS) and the secret is never sent anywhere again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from forms.complaint_replies import AddEvidenceForm, ReplyForm
from portal import db
from portal.i18n import lazy_gettext as _l
from portal.models import Account, Complaint
from portal.services import complaint_replies, complaints, your_complaints
from portal.vocabulary import ComplaintStatus, Role
from portal.web.attachments import attachments_dir, send_attachment
from portal.web.current import account, now, public, role_required, session_ref, today, viewer
from portal.web.family.complaint_files import checked_uploads
from portal.web.family.complaint_journey import response_months
from portal.web.limits import PER_ADDRESS, limiter

bp = Blueprint("your_complaints", __name__)
FOLLOWED = "followed_complaints"
# Complaints one browser follows by link at once (the newest kept).
MAX_FOLLOWED = 5
MAX_FILES_AT_ONCE = 5
BY_LINK = frozenset(
    {"follow_link", "followed", "followed_reply", "followed_evidence", "followed_download"}
)


@dataclass(frozen=True)
class Following:
    """A complaint as its complainant follows it, and the views that serve them."""

    complaint: Complaint
    author: Account | None
    by_link: bool

    def url(self, page: str, **values: Any) -> str:
        endpoint = f"your_complaints.{'followed_' if self.by_link else ''}{page}"
        if page == "complaint" and self.by_link:
            endpoint = "your_complaints.followed"
        return url_for(endpoint, reference=self.complaint.reference, **values)


@bp.route("/your-complaints")
@role_required(Role.FAMILY)
def complaints_list() -> ResponseReturnValue:
    """A family member's complaints, newest first, with status and dates."""
    found = your_complaints.complaints_of(db.session(), viewer(), account(), today())
    return render_template("complaints/your-complaints.html", complaints=found)


@bp.route("/your-complaints/<reference>")
@role_required(Role.FAMILY)
def complaint(reference: str) -> ResponseReturnValue:
    return _page(_mine(reference))


@bp.route("/your-complaints/<reference>/reply", methods=["POST"])
@role_required(Role.FAMILY)
def reply(reference: str) -> ResponseReturnValue:
    return _reply(_mine(reference))


@bp.route("/your-complaints/<reference>/evidence", methods=["POST"])
@role_required(Role.FAMILY)
def evidence(reference: str) -> ResponseReturnValue:
    return _add_evidence(_mine(reference))


@bp.route("/your-complaints/<reference>/files/<uuid:attachment_id>")
@role_required(Role.FAMILY)
def download(reference: str, attachment_id: uuid.UUID) -> ResponseReturnValue:
    return _download(_mine(reference), attachment_id)


def _mine(reference: str) -> Following:
    """The signed-in family member's own complaint, while they may follow it; else 404."""
    found = your_complaints.complaint_of(db.session(), viewer(), account(), reference, today())
    if found is None:
        abort(404)
    return Following(found, account(), by_link=False)


@bp.route("/complaints/follow/<token>")
@public
@limiter.limit(PER_ADDRESS)
def follow_link(token: str) -> ResponseReturnValue:
    """The emailed link: opens the complaint for this browser; an unknown link is 404."""
    found = complaints.by_access_token(db.session(), token)
    if found is None or found.access_token_hash is None or found.anonymised_at is not None:
        abort(404)
    followed = dict(session.get(FOLLOWED) or {})
    followed.pop(found.reference, None)
    followed[found.reference] = found.access_token_hash
    session[FOLLOWED] = dict(list(followed.items())[-MAX_FOLLOWED:])
    return redirect(url_for("your_complaints.followed", reference=found.reference))


@bp.route("/complaints/yours/<reference>")
@public
def followed(reference: str) -> ResponseReturnValue:
    return _page(_by_link(reference))


@bp.route("/complaints/yours/<reference>/reply", methods=["POST"])
@public
@limiter.limit(PER_ADDRESS)
def followed_reply(reference: str) -> ResponseReturnValue:
    return _reply(_by_link(reference))


@bp.route("/complaints/yours/<reference>/evidence", methods=["POST"])
@public
@limiter.limit(PER_ADDRESS)
def followed_evidence(reference: str) -> ResponseReturnValue:
    return _add_evidence(_by_link(reference))


@bp.route("/complaints/yours/<reference>/files/<uuid:attachment_id>")
@public
def followed_download(reference: str, attachment_id: uuid.UUID) -> ResponseReturnValue:
    return _download(_by_link(reference), attachment_id)


def _by_link(reference: str) -> Following:
    """A complaint this browser opened with its emailed link (still that complaint's link);
    anything else is 404."""
    token_hash = (session.get(FOLLOWED) or {}).get(reference)
    found = your_complaints.by_link(db.session(), str(token_hash or ""), reference)
    if found is None:
        abort(404)
    return Following(found, None, by_link=True)


@bp.after_request
def _private_link(response: Response) -> Response:
    """Pages opened by a secret link are never indexed; the link's own response sends no
    Referer onwards (portal/web/security.py leaves a policy set here alone)."""
    endpoint = (request.endpoint or "").removeprefix("your_complaints.")
    if endpoint in BY_LINK:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if endpoint == "follow_link":
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _page(
    following: Following,
    reply_form: ReplyForm | None = None,
    evidence_form: AddEvidenceForm | None = None,
) -> ResponseReturnValue:
    """The complaint's page; after a refused POST, with that form's problems (the page's
    title and error summary read `form`)."""
    complaint = following.complaint
    posted = {"form": reply_form or evidence_form} if reply_form or evidence_form else {}
    return render_template(
        "complaints/complaint.html",
        following=following,
        complaint=complaint,
        events=your_complaints.shown_events(complaint),
        closed=complaint.status is ComplaintStatus.CLOSED,
        reply_form=reply_form or ReplyForm(formdata=None),
        evidence_form=evidence_form or AddEvidenceForm(formdata=None),
        **posted,
    )


def _reply(following: Following) -> ResponseReturnValue:
    """A message to the DPO's team (post/redirect/get); an empty one is asked for again."""
    form = ReplyForm()
    if not form.validate_on_submit():
        return _page(following, reply_form=form)
    try:
        complaint_replies.reply(
            db.session(),
            following.complaint,
            author=following.author,
            text=form.text.data,
            now=now(),
            response_months=response_months(),
            session_ref=session_ref(),
        )
    except complaint_replies.ComplaintClosed:
        return redirect(following.url("complaint"))
    return redirect(following.url("complaint", sent="reply"))


def _add_evidence(following: Following) -> ResponseReturnValue:
    """More files, all checked before any is kept (post/redirect/get)."""
    form = AddEvidenceForm()
    if not form.validate_on_submit():
        return _page(following, evidence_form=form)
    files = checked_uploads(
        form.evidence, MAX_FILES_AT_ONCE, _l("You can add up to 5 files at a time")
    )
    if files is False:
        return _page(following, evidence_form=form)
    if not files:
        form.refuse(form.evidence, str(_l("Select a file to add")))
        return _page(following, evidence_form=form)
    try:
        complaint_replies.add_evidence(
            db.session(),
            following.complaint,
            uploader=following.author,
            files=files,
            now=now(),
            attachments_dir=attachments_dir(),
            session_ref=session_ref(),
        )
    except complaint_replies.ComplaintClosed:
        return redirect(following.url("complaint"))
    return redirect(following.url("complaint", sent="evidence"))


def _download(following: Following, attachment_id: uuid.UUID) -> ResponseReturnValue:
    found = your_complaints.attachment_of(following.complaint, attachment_id)
    if found is None:
        abort(404)
    return send_attachment(found)
