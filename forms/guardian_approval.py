"""A guardian's answer to a child's request, and staff approving on a guardian's behalf."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
)
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l


class GuardianDecisionForm(BaseForm):
    token = HiddenField(validators=[DataRequired(), Length(max=100)])
    decision = RadioField(
        _l("Do you agree that this child can use the Family Data Portal?"),
        choices=[
            SelectChoice("approve", _l("Yes, I agree")),
            SelectChoice("decline", _l("No")),
        ],
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select yes if you agree"))],
    )
    submit = SubmitField(_l("Send answer"), widget=SubmitButton())


class StaffApprovalForm(BaseForm):
    grounds = RadioField(
        _l("Why are you approving this account?"),
        choices=[
            SelectChoice(
                "competent_child", _l("The child is competent to use the portal themselves")
            ),
            SelectChoice(
                "no_guardian", _l("No guardian with parental responsibility can be reached safely")
            ),
        ],
        widget=GovRadioInput(),
        validators=[DataRequired(message=_l("Select why you are approving this account"))],
    )
    details = TextAreaField(
        _l("Give details"),
        widget=GovCharacterCount(),
        validators=[
            DataRequired(message=_l("Give details of your decision")),
            Length(max=1000, message=_l("Details must be 1,000 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Approve account"), widget=SubmitButton())


class ConfirmForm(BaseForm):
    """A form that is only a button: the CSRF token is the point."""

    submit = SubmitField(_l("Continue"), widget=SubmitButton())
