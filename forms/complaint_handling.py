"""DPO officers working one complaint. Field names differ between the forms: they share one
page, and ids are names."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import HiddenField, RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from forms.base import BaseForm
from forms.fields import SubmitButton, long_text_field
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import ComplaintOutcome, label


class ReassignForm(BaseForm):
    """Any DPO officer may reassign; `holder` is who held it when the page was shown."""

    holder = HiddenField(validators=[Length(max=36)])
    reassign_to = SelectField(
        _l("Reassign to"),
        choices=[SelectChoice("", _l("Choose an officer"))],
        widget=GovSelect(),
        invalid_choice_message=_l("Select an officer from the list"),
    )
    reassign_reason = long_text_field(
        _l("Why are you reassigning it?"),
        _l("Kept in the history, for staff only"),
        _l("Enter why you are reassigning it"),
        _l("The reason must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Reassign"), widget=SubmitButton())

    def offer_officers(self, officers: list[tuple[str, str]]) -> None:
        """The DPO officers, as (account id, name): the view reads them, the form only lists."""
        self.reassign_to.choices = [
            SelectChoice("", _l("Choose an officer")),
            *(SelectChoice(value, name) for value, name in officers),
        ]

    def validate_reassign_to(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError(_l("Select an officer from the list"))
        if field.data == self.holder.data:
            raise ValidationError(_l("Select an officer other than the one who holds it"))


class NoteForm(BaseForm):
    note_text = long_text_field(
        _l("Internal note"),
        _l("For staff only: never shown or sent to the complainant"),
        _l("Enter the note"),
        _l("The note must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Add internal note"), widget=SubmitButton())


class MessageForm(BaseForm):
    message_text = long_text_field(
        _l("Message to the complainant"),
        _l("They read it with their complaint; we email them that it is there"),
        _l("Enter the message"),
        _l("The message must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Send message"), widget=SubmitButton())


class WaitForm(BaseForm):
    question_text = long_text_field(
        _l("What do you need from the complainant?"),
        _l("Sent to them as a message. The target date stops until you start the clock again"),
        _l("Enter what you need from the complainant"),
        _l("The question must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Ask and stop the clock"), widget=SubmitButton())


class ResolveForm(BaseForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=[SelectChoice(outcome.value, label(outcome)) for outcome in ComplaintOutcome],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select the outcome"),
    )
    explanation = long_text_field(
        _l("Explain the outcome to the complainant"),
        _l(
            "What you found and what the council will do. The letter adds the opening for the "
            "outcome and ends with how to complain to the Information Commissioner's Office"
        ),
        _l("Enter the explanation for the complainant"),
        _l("The explanation must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Send the outcome"), widget=SubmitButton())


class ReopenForm(BaseForm):
    reopen_reason = long_text_field(
        _l("Why are you reopening it?"),
        _l("The complainant will see this"),
        _l("Enter why you are reopening it"),
        _l("The reason must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Reopen"), widget=SubmitButton())
