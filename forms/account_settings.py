"""A family member's own account settings."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l


class SharingWithParentsForm(BaseForm):
    share = RadioField(
        _l("Can your parents or carers see your record in this service?"),
        description=_l(
            "Only adults with parental responsibility for you could see it. You can change "
            "your mind at any time."
        ),
        choices=[
            SelectChoice("yes", _l("Yes, they can see it")),
            SelectChoice("no", _l("No, keep it private")),
        ],
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select whether your parents or carers can see it"))],
    )
    submit = SubmitField(_l("Save"), widget=SubmitButton())
