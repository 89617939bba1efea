"""DPO staff ending a parental-responsibility link."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l


class EndRelationshipForm(BaseForm):
    reason = TextAreaField(
        _l("Why is this link ending?"),
        description=_l("For example, a court order or a change recorded by the social worker"),
        widget=GovTextArea(),
        validators=[
            DataRequired(message=_l("Enter why this link is ending")),
            Length(max=500, message=_l("Reason must be 500 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("End this link"), widget=SubmitButton())
