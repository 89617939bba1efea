"""DPO officers filtering the complaints queue, and the words staff use for its states."""

from __future__ import annotations

from flask_babel import LazyString
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from forms.filter_widgets import PlainSelect
from forms.queue_filters import QueueFilterBase, status_field
from portal.i18n import lazy_gettext as _l
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


class QueueFilterForm(QueueFilterBase):
    """A GET form: the view passes request.args, turns CSRF off and adds the officers."""

    status = status_field(STAFF_STATUS_WORDS.items())

    category = SelectField(
        _l("About"),
        choices=[
            SelectChoice("", _l("Anything")),
            *(SelectChoice(category.value, label(category)) for category in ComplaintCategory),
        ],
        default="",
        widget=PlainSelect(),
        invalid_choice_message=_l("Select what it is about from the list"),
    )
    channel = SelectField(
        _l("How it arrived"),
        choices=[
            SelectChoice("", _l("Any way")),
            *(SelectChoice(channel.value, label(channel)) for channel in ComplaintChannel),
        ],
        default="",
        widget=PlainSelect(),
        invalid_choice_message=_l("Select how it arrived from the list"),
    )
