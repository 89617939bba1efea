"""A guardian answering a child's request to use the portal (the age check)."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from forms.guardian_approval import GuardianDecisionForm
from portal import db
from portal.services import guardian_approval
from portal.vocabulary import Role
from portal.web.current import account, now, public_url, role_required, session_ref

bp = Blueprint("guardian", __name__, url_prefix="/guardian-requests")


@bp.route("/<token>")
@role_required(Role.FAMILY)
def from_link(token: str) -> ResponseReturnValue:
    """The guardian the email went to, signed in; anyone else gets 404."""
    review = guardian_approval.review_from_link(db.session(), account(), token, now())
    if review is None:
        abort(404)
    return _render(review)


@bp.route("/review/<uuid:request_id>")
@role_required(Role.FAMILY)
def from_task(request_id: uuid.UUID) -> ResponseReturnValue:
    """A guardian opening the task on their home page."""
    review = guardian_approval.review_from_task(db.session(), account(), request_id, now())
    if review is None:
        abort(404)
    return _render(review)


@bp.route("/answer", methods=["POST"])
@role_required(Role.FAMILY)
def answer() -> ResponseReturnValue:
    """The guardian approves or declines; the token works once, for them and this child only."""
    form = GuardianDecisionForm()
    if not form.validate_on_submit():
        review = guardian_approval.review_from_link(
            db.session(), account(), form.token.data or "", now()
        )
        if review is None:
            abort(404)
        return _render(review, form)
    decided = guardian_approval.decide(
        db.session(),
        account(),
        form.token.data,
        form.decision.data == "approve",
        now(),
        public_url(),
        session_ref(),
    )
    if decided is None:
        abort(404)
    return redirect(url_for("family.your_data", answered=form.decision.data))


def _render(review: guardian_approval.Review, form: GuardianDecisionForm | None = None) -> str:
    form = form or GuardianDecisionForm(data={"token": review.token})
    return render_template("guardian/review.html", review=review, form=form)
