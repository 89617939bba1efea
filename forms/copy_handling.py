"""DPO officers working copy requests (UK GDPR Article 15): filtering the queue, and the forms
of one request's page. Field names differ between the forms: they share one page, and ids are
names; the form to leave out or redact an item is shown once per item, under a prefix."""

from __future__ import annotations

from flask_babel import LazyString
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from forms.base import BaseForm
from forms.fields import SubmitButton, long_text_field
from forms.queue_filters import QueueFilterBase, status_field
from portal.i18n import lazy_gettext as _l
from portal.vocabulary import (
    OFFICER_REASONS,
    CopyRefusal,
    CopyStatus,
    CopyTreatment,
    label,
)

# The family reads "Waiting for your answer"; staff read what the state means to them.
STAFF_STATUS_WORDS: dict[CopyStatus, LazyString] = {
    CopyStatus.RECEIVED: _l("Received"),
    CopyStatus.WAITING: _l("Waiting for the requester"),
    CopyStatus.AWAITING_APPROVAL: _l("Waiting for a second officer"),
    CopyStatus.RELEASED: _l("Released"),
    CopyStatus.REFUSED: _l("Refused"),
}


class QueueFilterForm(QueueFilterBase):
    """A GET form: the view passes request.args, turns CSRF off and adds the officers."""

    status = status_field(STAFF_STATUS_WORDS.items())


class QuestionForm(BaseForm):
    question_text = long_text_field(
        _l("What do you need the requester to tell you?"),
        _l(
            "For example, which dates or which information they mean. They read it with their "
            "request; we email them that there is a question. The clock stops until they answer"
        ),
        _l("Enter your question for the requester"),
        _l("The question must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Ask and stop the clock"), widget=SubmitButton())


class TakeOverForm(BaseForm):
    take_over_reason = long_text_field(
        _l("Why are you taking it over?"),
        _l("For example, the officer who holds it is away. Only staff see this"),
        _l("Enter why you are taking it over"),
        _l("The reason must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Take over this request"), widget=SubmitButton())


class ExtendForm(BaseForm):
    extend_months = RadioField(
        _l("How long an extension do you need in all?"),
        description=_l(
            "Added to the one month the law allows. You can only extend within the first month, "
            "and by 2 months at most"
        ),
        choices=[
            SelectChoice("1", _l("1 month")),
            SelectChoice("2", _l("2 months")),
        ],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select how long an extension you need"),
    )
    extension_reason = long_text_field(
        _l("Why is the request complex?"),
        _l("The requester will see this, with the new due date"),
        _l("Enter why you need more time"),
        _l("The reason must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Extend the due date"), widget=SubmitButton())


class TreatItemForm(BaseForm):
    """Leave one item out of the copy, or redact its value, under an exemption. The view gives
    each item's form its own prefix, so that a page of items has no two fields alike."""

    treatment = RadioField(
        _l("What should the copy do with it?"),
        choices=[SelectChoice(treatment.value, label(treatment)) for treatment in CopyTreatment],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select whether to leave it out or redact it"),
    )
    treat_reason = SelectField(
        _l("Exemption"),
        choices=[
            SelectChoice("", _l("Choose an exemption")),
            *(SelectChoice(reason.value, label(reason)) for reason in OFFICER_REASONS),
        ],
        default="",
        widget=GovSelect(),
        invalid_choice_message=_l("Select the exemption from the list"),
    )
    treat_note = long_text_field(
        _l("Why does the exemption apply?"),
        _l("For staff only: never shown or sent to the requester"),
        _l("Enter why the exemption applies"),
        _l("The note must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Leave out or redact"), widget=SubmitButton())

    def validate_treat_reason(self, field: SelectField) -> None:
        if not field.data:
            raise ValidationError(_l("Select the exemption from the list"))


class RefuseForm(BaseForm):
    refusal_reason = RadioField(
        _l("Why are you refusing?"),
        choices=[SelectChoice(reason.value, label(reason)) for reason in CopyRefusal],
        widget=GovRadioInput(),
        invalid_choice_message=_l("Select why you are refusing"),
    )
    refusal_note = long_text_field(
        _l("Explain the decision to the requester"),
        _l("The requester will see this, with how to complain to the ICO or apply to a court"),
        _l("Enter the reasons to tell the requester"),
        _l("The reasons must be 2,000 characters or fewer"),
    )
    submit = SubmitField(_l("Refuse the request"), widget=SubmitButton())

    def offer_only_no_authority(self) -> None:
        """The requester may no longer ask for this person's data: that is the only ground."""
        reason = CopyRefusal.NO_AUTHORITY
        self.refusal_reason.choices = [SelectChoice(reason.value, label(reason))]
