"""Filtering the family's sharing record: by person, kind of partner and date."""

from __future__ import annotations

from wtforms import SelectField, SubmitField, ValidationError
from wtforms.fields.choices import SelectChoice

from forms.base import BaseForm
from forms.fields import GovDateField, SubmitButton
from forms.filter_widgets import PlainDateInput, PlainSelect
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import PartnerKind, label


class SharingFilterForm(BaseForm):
    """A GET form: the view passes request.args, turns CSRF off and sets the people it may
    offer (only those whose records the viewer may see)."""

    person = SelectField(
        _l("About"),
        choices=[SelectChoice("", _l("Everyone"))],
        default="",
        widget=PlainSelect(),
        invalid_choice_message=_l("Select a person from the list"),
    )
    partner_kind = SelectField(
        _l("Kind of organisation"),
        choices=[
            SelectChoice("", _l("Any kind")),
            *(SelectChoice(kind.value, label(kind)) for kind in PartnerKind),
        ],
        default="",
        widget=PlainSelect(),
        invalid_choice_message=_l("Select a kind of organisation from the list"),
    )
    shared_from = GovDateField(
        _l("Shared on or after"),
        description=_l("For example, 1 4 2025"),
        optional=True,
        messages={"invalid": _l("The start date must be a real date, like 1 4 2025")},
        widget=PlainDateInput(),
    )
    shared_to = GovDateField(
        _l("Shared on or before"),
        description=_l("For example, 31 3 2026"),
        optional=True,
        messages={"invalid": _l("The end date must be a real date, like 31 3 2026")},
        widget=PlainDateInput(),
    )
    submit = SubmitField(_l("Apply filters"), widget=SubmitButton())

    def offer_people(self, people: list[tuple[str, str]]) -> None:
        self.person.choices = [
            SelectChoice("", _l("Everyone")),
            *(SelectChoice(*p) for p in people),
        ]

    def validate_shared_to(self, field: GovDateField) -> None:
        start = self.shared_from.data
        if start is not None and field.data is not None and field.data < start:
            raise ValidationError(_l("The end date must be the same as or after the start date"))
