"""What every staff queue's filter shares: status, officer (nobody, me, or a named officer) and
overdue only. A GET form: the view passes request.args, turns CSRF off and adds the officers."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from flask_babel import LazyString
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from forms.base import BaseForm
from forms.fields import SubmitButton
from forms.filter_widgets import PlainCheckbox, PlainSelect
from portal.i18n import lazy_gettext as _l

UNASSIGNED, MINE = "unassigned", "mine"


def status_field(words: Iterable[tuple[StrEnum, LazyString]]) -> SelectField:
    """Open (the default), each status in staff's words, or any."""
    return SelectField(
        _l("Status"),
        choices=[
            SelectChoice("open", _l("Open")),
            *(SelectChoice(status.value, said) for status, said in words),
            SelectChoice("all", _l("Any status")),
        ],
        default="open",
        widget=PlainSelect(),
        invalid_choice_message=_l("Select a status from the list"),
    )


class QueueFilterBase(BaseForm):
    officer = SelectField(
        _l("Officer"),
        choices=[
            SelectChoice("", _l("Anyone or nobody")),
            SelectChoice(UNASSIGNED, _l("Nobody (unassigned)")),
            SelectChoice(MINE, _l("Me")),
        ],
        default="",
        widget=PlainSelect(),
        invalid_choice_message=_l("Select an officer from the list"),
    )
    overdue = BooleanField(_l("Overdue only"), widget=PlainCheckbox())
    submit = SubmitField(_l("Apply filters"), widget=SubmitButton())

    def offer_officers(self, officers: list[tuple[str, str]]) -> None:
        """The DPO officers, as (account id, name): the view reads them, the form only lists."""
        self.officer.choices = [
            *self.officer.choices,  # type: ignore[misc]
            *(SelectChoice(value, name) for value, name in officers),
        ]
