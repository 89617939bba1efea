"""Every form in forms/, fed anything at all in every field (NUL, lone surrogates,
bidirectional overrides, other scripts' digits, repeated fields): validation answers yes or
no, and never raises. A new form is covered without anyone adding it here."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

import forms
from forms.base import BaseForm
from forms.fields import GovDateField
from portal import create_app
from portal.config import for_tests

HOSTILE = st.text(
    st.one_of(st.characters(codec=None), st.sampled_from("\x00\ud800\u202e\u2066\ufffd٣３=")),
    max_size=30,
)


def all_forms() -> list[type[BaseForm]]:
    for module in pkgutil.iter_modules(forms.__path__):
        importlib.import_module(f"forms.{module.name}")
    found, waiting = [], list(BaseForm.__subclasses__())
    while waiting:
        form = waiting.pop()
        found.append(form)
        waiting += form.__subclasses__()
    return sorted(set(found), key=lambda form: form.__qualname__)


@pytest.fixture(scope="module")
def forms_app(database_url: str) -> Iterator[Flask]:
    app = create_app(for_tests(database_url))
    yield app
    app.extensions["database"].engine.dispose()


def answers(form: BaseForm, values: list[str], repeat: bool) -> MultiDict[str, str]:
    """One value per field (three for a date), each field twice if `repeat`."""
    data: MultiDict[str, str] = MultiDict()
    for n, field in enumerate(form):
        times = 3 if isinstance(field, GovDateField) else 1 + repeat
        for _ in range(times):
            data.add(field.name, values[n % len(values)])
    return data


@pytest.mark.parametrize("form_class", all_forms(), ids=lambda form: form.__qualname__)
@settings(max_examples=10)
@given(values=st.lists(HOSTILE, min_size=1, max_size=4), repeat=st.booleans())
def test_no_answer_makes_a_form_raise(
    forms_app: Flask, form_class: type[BaseForm], values: list[str], repeat: bool
) -> None:
    with forms_app.test_request_context(method="POST"):
        empty = form_class(formdata=None, meta={"csrf": False})
        sent = answers(empty, values, repeat)
        form = form_class(formdata=sent, meta={"csrf": False})
        for field in form:
            if getattr(field, "choices", ()) is None:
                field.choices = []
        assert form.validate() in {True, False}
        hostile = any(ch in "".join(sent.values()) for ch in "\x00\ud800\u202e\u2066\ufffd")
        repeated = repeat and any(not isinstance(field, GovDateField) for field in form)
        if hostile or repeated:
            assert form.errors
