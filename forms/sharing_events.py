"""DPO officers recording by hand that a person's data was shared with a partner.

The form checks shape only (a date typed as a real date). Which partners and items exist,
belong together and may be used is the sharing-events service's rule, so the view sets the
choices and the service judges the answers, as it judges an import's rows.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice

from forms.base import BaseForm
from forms.fields import GovDateField, SubmitButton
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import LawfulBasis, SharingPurpose, label


class RecordSharingForm(BaseForm):
    partner_code = SelectField(
        _l("Which organisation was it shared with?"),
        widget=GovSelect(),
        validate_choice=False,
    )
    shared_on = GovDateField(
        _l("When was it shared?"),
        description=_l("For example, 27 3 2026"),
        messages={
            "required": _l("Enter the date it was shared"),
            "invalid": _l("The date it was shared must be a real date, like 27 3 2026"),
        },
    )
    purpose = RadioField(
        _l("Why was it shared?"),
        choices=[SelectChoice(purpose.value, label(purpose)) for purpose in SharingPurpose],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    lawful_basis = RadioField(
        _l("What was the lawful basis?"),
        choices=[SelectChoice(basis.value, label(basis)) for basis in LawfulBasis],
        widget=GovRadioInput(),
        validate_choice=False,
    )
    item_ids = SelectMultipleField(
        _l("What information was shared?"),
        description=_l("Select all that went. Only the information held now is listed."),
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    submit = SubmitField(_l("Record the sharing"), widget=SubmitButton())

    def offer(self, partners: list[tuple[str, str]], items: list[tuple[str, str]]) -> None:
        """The current partners (code, name) and the person's current items (id, words)."""
        self.partner_code.choices = [
            SelectChoice("", _l("Choose an organisation")),
            *(SelectChoice(code, name) for code, name in partners),
        ]
        self.item_ids.choices = [SelectChoice(item_id, words) for item_id, words in items]
