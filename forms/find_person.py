"""Staff searching for a person's record."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import SearchField, SubmitField
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l


class FindPersonForm(BaseForm):
    q = SearchField(
        _l("Name or household reference"),
        description=_l("For example, Rivers or EH-000001, or an NHS or NI number"),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a name or household reference")),
            Length(min=2, max=100, message=_l("Enter between 2 and 100 characters")),
        ],
    )
    submit = SubmitField(_l("Search"), widget=SubmitButton())
