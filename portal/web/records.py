"""Opening one person's record: shared by the family and staff views."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, render_template
from flask.typing import ResponseReturnValue

from portal import db
from portal.services.audit import record_view
from portal.services.your_data import person_record
from portal.web.current import account, session_ref, today, viewer


def show_record(person_id: uuid.UUID, template: str, **context: Any) -> ResponseReturnValue:
    """Load → authorise (404 when the policy says no) → audit the opening → render, with any
    `context` the page adds."""
    record = person_record(db.session(), viewer(), person_id, today())
    if record is None:
        abort(404)
    record_view(
        db.session(), actor=account(), subject_person_id=person_id, session_ref=session_ref()
    )
    return render_template(template, record=record, **context)
