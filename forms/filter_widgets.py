"""GOV.UK select, date input and checkbox for the filter forms on pages read all day (the
staff queues, who we shared with): without an error, the component's markup is written out
by a plain template of ours, which costs a fraction of the govuk-frontend-jinja macro. With
an error shown, or any parameter the plain template does not know, the macro itself writes
the field, so those states stay exactly GOV.UK's. The parameters are the library's own
either way."""

from __future__ import annotations

from typing import Any

from flask import get_template_attribute
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from markupsafe import Markup

from forms.fields import TranslatedDateInput

SELECT_PARAMETERS = frozenset({"id", "name", "label", "attributes", "hint", "items", "classes"})
DATE_PARAMETERS = frozenset(
    {"id", "name", "label", "attributes", "hint", "value", "fieldset", "items"}
)
DATE_ITEM_PARAMETERS = frozenset({"label", "id", "name", "classes", "value"})
CHECKBOX_PARAMETERS = frozenset({"name", "items", "hint", "classes"})
CHECKBOX_ITEM_PARAMETERS = frozenset({"text", "value", "checked"})


class PlainSelect(GovSelect):
    """A GOV.UK select with a label, no hint and no extra attributes."""

    def render(self, params: dict[str, Any]) -> Markup:
        plain = (
            params.keys() <= SELECT_PARAMETERS
            and params["label"].keys() == {"text"}
            and params["label"]["text"]
            and not params["hint"]
            and not params["attributes"]
        )
        if not plain:
            return super().render(params)  # type: ignore[no-any-return]
        return _written_out("select", params)


class PlainDateInput(TranslatedDateInput):
    """A GOV.UK date input in a fieldset with a legend and a hint, and no extra attributes."""

    def render(self, params: dict[str, Any]) -> Markup:
        fieldset = params.get("fieldset") or {}
        legend = fieldset.get("legend") or {}
        plain = (
            params.keys() <= DATE_PARAMETERS
            and fieldset.keys() == {"legend"}
            and legend.keys() <= {"text", "classes"}
            and legend.get("text")
            and (params.get("hint") or {}).keys() == {"text"}
            and not params["attributes"]
            and all(_plain_date_item(item) for item in params["items"])
        )
        if not plain:
            return super().render(params)  # type: ignore[no-any-return]
        return _written_out("date_input", params)


class PlainCheckbox(GovCheckboxInput):
    """A single GOV.UK checkbox (a BooleanField) with a text label, outside a fieldset."""

    def render(self, params: dict[str, Any]) -> Markup:
        items = params.get("items") or []
        plain = (
            params.keys() <= CHECKBOX_PARAMETERS
            and len(items) == 1
            and items[0].keys() <= CHECKBOX_ITEM_PARAMETERS
            and items[0].get("text")
            and isinstance(params.get("hint"), dict)
            and params["hint"].keys() == {"text"}
        )
        if not plain:
            return super().render(params)  # type: ignore[no-any-return]
        return _written_out("checkbox", params)


def _plain_date_item(item: dict[str, Any]) -> bool:
    return item.keys() <= DATE_ITEM_PARAMETERS and bool(item.get("label")) and bool(item["classes"])


def _written_out(component: str, params: dict[str, Any]) -> Markup:
    """The macro in templates/macros/plain-fields.html: its output is escaped markup."""
    macro = get_template_attribute("macros/plain-fields.html", component)
    return macro(params)  # type: ignore[no-any-return]
