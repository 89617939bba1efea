"""Administrators adding and changing partners in the register, in English and Welsh."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l
from portal.identifiers import is_partner_code
from portal.vocabulary import PartnerKind, label

MAX_NAME = 200
MAX_DESCRIPTION = 1000
MAX_CODE = 60


def _partner_code(form: Any, field: Any) -> None:
    if len(field.data or "") > MAX_CODE:
        raise StopValidation(_l("Code must be 60 characters or fewer"))
    if not is_partner_code(field.data or ""):
        raise StopValidation(
            _l("Code must be 3 to 60 characters: lowercase letters, digits and hyphens only")
        )


def _name(label_text: Any, required: Any, too_long: Any) -> Any:
    return StringField(
        label_text,
        widget=GovTextInput(),
        validators=[DataRequired(message=required), Length(max=MAX_NAME, message=too_long)],
    )


def _description(label_text: Any, hint: Any, required: Any, too_long: Any) -> Any:
    return TextAreaField(
        label_text,
        description=hint,
        widget=GovCharacterCount(),
        validators=[DataRequired(message=required), Length(max=MAX_DESCRIPTION, message=too_long)],
    )


class PartnerDetailsForm(BaseForm):
    """Changing a partner: everything families read about it. Its code never changes."""

    name_en = _name(
        _l("Name in English"),
        _l("Enter the partner's name in English"),
        _l("The name in English must be 200 characters or fewer"),
    )
    name_cy = _name(
        _l("Name in Welsh"),
        _l("Enter the partner's name in Welsh"),
        _l("The name in Welsh must be 200 characters or fewer"),
    )
    kind = RadioField(
        _l("What kind of organisation is it?"),
        choices=[SelectChoice(kind.value, label(kind)) for kind in PartnerKind],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select what kind of organisation it is"),
    )
    description_en = _description(
        _l("Description in English"),
        _l("What families read on the partner's page: who they are and why we share with them"),
        _l("Enter the description in English"),
        _l("The description in English must be 1,000 characters or fewer"),
    )
    description_cy = _description(
        _l("Description in Welsh"),
        _l("The same description, in Welsh"),
        _l("Enter the description in Welsh"),
        _l("The description in Welsh must be 1,000 characters or fewer"),
    )
    submit = SubmitField(_l("Save changes"), widget=SubmitButton())


class NewPartnerForm(PartnerDetailsForm):
    """Adding a partner: its code as well, fixed from then on."""

    code = StringField(
        _l("Code"),
        description=_l(
            "Used in web addresses and sharing imports, for example youth-justice-service. "
            "It cannot be changed later."
        ),
        widget=GovTextInput(),
        validators=[
            DataRequired(message=_l("Enter a code for the partner")),
            _partner_code,
        ],
    )
    submit = SubmitField(_l("Add partner"), widget=SubmitButton())
