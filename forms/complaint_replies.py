"""A complainant's reply to the Data Protection Officer's team, and more evidence."""

from __future__ import annotations

from wtforms import SubmitField

from forms.base import BaseForm
from forms.complaints import evidence_field
from forms.fields import SubmitButton, long_text_field
from portal.i18n import lazy_gettext as _l


class ReplyForm(BaseForm):
    text = long_text_field(
        _l("Your message"),
        _l("For example, an answer to our question, or something you want to add"),
        _l("Enter your message"),
        _l("Your message must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Send message"), widget=SubmitButton())


class AddEvidenceForm(BaseForm):
    evidence = evidence_field(_l("Upload evidence"))
    submit = SubmitField(_l("Add evidence"), widget=SubmitButton())
