"""DPO officers filtering the complaints queue, and the words staff use for its states."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from forms.base import BaseForm
from forms.fields import SubmitButton
from portal.vocabulary import ComplaintCategory, ComplaintChannel, ComplaintStatus, label

# The family reads "Waiting for your reply"; staff read what the state means to them.
STAFF_STATUS_WORDS: dict[ComplaintStatus, LazyString] = {
    ComplaintStatus.NEW: _l("New"),
    ComplaintStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ComplaintStatus.INVESTIGATING: _l("Investigating"),
    ComplaintStatus.WAITING: _l("Waiting for the complainant"),
    ComplaintStatus.RESOLVED: _l("Resolved"),
    ComplaintStatus.CLOSED: _l("Closed"),
}
UNASSIGNED, MINE = "unassigned", "mine"


class QueueFilterForm(BaseForm):
    """A GET form: the view passes request.args, turns CSRF off and adds the officers."""

    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("open", _l("Open")),
            *(SelectChoice(status.value, words) for status, words in STAFF_STATUS_WORDS.items()),
            SelectChoice("all", _l("Any status")),
        ],
        default="open",
        widget=GovSelect(),
        invalid_choice_message=_l("Select a status from the list"),
    )
    category = SelectField(
        _l("About"),
        choices=[
            SelectChoice("", _l("Anything")),
            *(SelectChoice(category.value, label(category)) for category in ComplaintCategory),
        ],
        default="",
        widget=GovSelect(),
        invalid_choice_message=_l("Select what it is about from the list"),
    )
    officer = SelectField(
        _l("Officer"),
        choices=[
            SelectChoice("", _l("Anyone or nobody")),
            SelectChoice(UNASSIGNED, _l("Nobody (unassigned)")),
            SelectChoice(MINE, _l("Me")),
        ],
        default="",
        widget=GovSelect(),
        invalid_choice_message=_l("Select an officer from the list"),
    )
    channel = SelectField(
        _l("How it arrived"),
        choices=[
            SelectChoice("", _l("Any way")),
            *(SelectChoice(channel.value, label(channel)) for channel in ComplaintChannel),
        ],
        default="",
        widget=GovSelect(),
        invalid_choice_message=_l("Select how it arrived from the list"),
    )
    overdue = BooleanField(_l("Overdue only"), widget=GovCheckboxInput())
    submit = SubmitField(_l("Apply filters"), widget=SubmitButton())

    def offer_officers(self, officers: list[tuple[str, str]]) -> None:
        """The DPO officers, as (account id, name): the view reads them, the form only lists."""
        self.officer.choices = [
            *self.officer.choices,  # type: ignore[misc]
            *(SelectChoice(value, name) for value, name in officers),
        ]
