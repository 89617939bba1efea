"""Choosing the period the complaints dashboard counts."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.i18n import lazy_gettext as _l

LAST_TWELVE_MONTHS = "last-12-months"
FINANCIAL_YEAR = "financial-year"


class PeriodForm(BaseForm):
    """A GET form: the view passes request.args, turns CSRF off and offers the calendar
    years it keeps figures for."""

    period = SelectField(
        _l("Period"),
        choices=[
            SelectChoice(LAST_TWELVE_MONTHS, _l("Last 12 months")),
            SelectChoice(FINANCIAL_YEAR, _l("This financial year")),
        ],
        default=LAST_TWELVE_MONTHS,
        widget=GovSelect(),
        invalid_choice_message=_l("Select a period from the list"),
    )
    submit = SubmitField(_l("Show figures"), widget=SubmitButton())

    def offer_years(self, years: list[int]) -> None:
        self.period.choices = [
            SelectChoice(LAST_TWELVE_MONTHS, _l("Last 12 months")),
            SelectChoice(FINANCIAL_YEAR, _l("This financial year")),
            *(SelectChoice(str(year), str(year)) for year in years),
        ]
