"""Fields and widgets that GOV.UK patterns need and WTForms lacks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovDateInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, Field, PasswordField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from forms.base import REPEATED
from portal.i18n import gettext
from portal.i18n import lazy_gettext as _l


def translate_error_prefix() -> None:
    """Every GOV.UK field widget shows its error after a hidden "Error:", which
    govuk-frontend-wtf leaves in English (it sets the message, not the prefix). Its widgets
    all render through `GovFormBase.render`, so this wraps that one method, once per
    process, to give the prefix in the page's language."""
    render = GovFormBase.render
    if getattr(render, "translates_error_prefix", False):
        return

    def render_with_prefix(self: GovFormBase, params: dict[str, Any]) -> Any:
        message = params.get("errorMessage")
        if message:
            params = {**params, "errorMessage": {**message, "visuallyHiddenText": gettext("Error")}}
        return render(self, params)

    render_with_prefix.translates_error_prefix = True  # type: ignore[attr-defined]
    GovFormBase.render = render_with_prefix  # type: ignore[method-assign]


class TranslatedDateInput(GovDateInput):
    """GOV.UK date input with translated Day, Month and Year labels."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        for item, words in zip(params["items"], (_l("Day"), _l("Month"), _l("Year")), strict=True):
            item["label"] = words
        return params


class GovDateField(Field):
    """A date typed as day, month and year boxes. ASCII digits only: other scripts' digits
    are refused, never converted. A missing or impossible date gets a message to act on;
    an optional one (a filter) may be left empty."""

    widget = TranslatedDateInput()

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        messages: dict[str, Any],
        optional: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.messages = messages
        self.optional = optional
        self.data: dt.date | None = None

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [str(value).strip() for value in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if len(valuelist) > 3:
            raise ValueError(REPEATED)
        if not any(parts):
            if self.optional:
                return
            raise ValueError(self.messages["required"])
        if not all(part.isascii() and part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValueError(self.messages["invalid"])
        try:
            self.data = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValueError(self.messages["invalid"]) from None

    def pre_validate(self, form: Any) -> None:
        if self.data is None and not self.process_errors and not self.optional:
            raise ValueError(self.messages["required"])


def email_field(description: Any = None, check_format: bool = False) -> Any:
    """An email address: required, at most 320 characters, its format checked where we will
    write to it (not at sign-in, where any answer is just "wrong")."""
    validators: list[Any] = [
        DataRequired(message=_l("Enter your email address")),
        Length(max=320, message=_l("Email address must be 320 characters or fewer")),
    ]
    if check_format:
        validators.append(
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            )
        )
    return EmailField(
        _l("Email address"), description=description, widget=GovTextInput(), validators=validators
    )


MAX_TEXT = 2000


def long_text_field(label: Any, description: Any, required: Any, too_long: Any) -> Any:
    """A required answer in the family's or officer's own words, up to 2,000 characters, with
    GOV.UK's character count."""
    return TextAreaField(
        label,
        description=description,
        widget=GovCharacterCount(),
        validators=[DataRequired(message=required), Length(max=MAX_TEXT, message=too_long)],
    )


def current_password_field() -> Any:
    """The password someone already has: required, not judged against the password rules."""
    return PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(message=_l("Enter your password")),
            Length(max=1000, message=_l("Password must be 1,000 characters or fewer")),
        ],
    )


class SubmitButton(GovSubmitInput):
    """A GOV.UK button without an id, so a page may hold several forms."""

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)
