"""The filter forms' plainly written selects, date inputs and checkboxes are GOV.UK's: the
same HTML as the govuk-frontend-jinja macros write from the same field, whitespace aside,
with or without an answer, and with an error (where the macro writes it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from werkzeug.datastructures import MultiDict

from forms.complaint_queue import QueueFilterForm as ComplaintFilterForm
from forms.copy_handling import QueueFilterForm as CopyFilterForm
from forms.fields import TranslatedDateInput
from forms.filter_widgets import PlainCheckbox, PlainDateInput, PlainSelect
from forms.sharing import SharingFilterForm
from portal import create_app
from portal.config import for_tests

PEOPLE = [("1", "Sam Rivers"), ("2", "Siân O'Brien & <Co>")]
QUERIES = [
    {},
    {"person": "2", "partner_kind": "health"},
    {"shared_from": ["1", "4", "2025"], "shared_to": ["31", "3", "2026"]},
    {"shared_from": ["31", "2", "2026"], "partner_kind": "banks", "person": "9"},
    {"shared_to": ["", "", ""]},
    {"status": "closed", "officer": "mine", "category": "other", "channel": "post"},
    {"status": "bogus", "officer": "<b>", "overdue": "y"},
    {"overdue": "yes", "status": "all"},
]
ORIGINAL = {
    PlainSelect: GovSelect,
    PlainDateInput: TranslatedDateInput,
    PlainCheckbox: GovCheckboxInput,
}


@pytest.fixture(scope="module")
def widgets_app(database_url: str) -> Iterator[Flask]:
    app = create_app(for_tests(database_url))
    yield app
    app.extensions["database"].engine.dispose()


def squeezed(html: Any) -> str:
    return re.sub(r"\s*(<|>)\s*", r"\1", re.sub(r"\s+", " ", str(html))).strip()


def filled(form_class: Any, query: dict[str, Any]) -> Any:
    form = form_class(MultiDict(_pairs(query)), meta={"csrf": False})
    if isinstance(form, SharingFilterForm):
        form.offer_people(PEOPLE)
    else:
        form.offer_officers(PEOPLE)
    form.validate()
    return form


def _pairs(query: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (key, value)
        for key, values in query.items()
        for value in (values if isinstance(values, list) else [values])
    ]


@pytest.mark.parametrize("form_class", [SharingFilterForm, ComplaintFilterForm, CopyFilterForm])
@pytest.mark.parametrize("query", QUERIES)
def test_plain_fields_write_what_the_govuk_macros_write(
    widgets_app: Flask, form_class: Any, query: dict[str, Any]
) -> None:
    with widgets_app.test_request_context("/"):
        form = filled(form_class, query)
        plain = [field for field in form if type(field.widget) in ORIGINAL]
        assert plain
        for field in plain:
            params: dict[str, Any] = {"classes": "govuk-!-width-full"}
            if isinstance(field.widget, PlainCheckbox):
                params = {"classes": "govuk-checkboxes--small"}
            if isinstance(field.widget, PlainDateInput):
                legend = {"text": field.label.text, "classes": "govuk-fieldset__legend--s"}
                params = {"fieldset": {"legend": legend}, "hint": {"text": field.description}}
            original = ORIGINAL[type(field.widget)]()
            assert squeezed(field(params=params)) == squeezed(original(field, params=params))
