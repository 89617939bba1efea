"""Jinja: our templates first, then the GOV.UK Frontend macros and WTForms widgets."""

from __future__ import annotations

from flask import Flask, current_app
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from forms.fields import translate_error_prefix
from portal.config import TEMPLATES
from portal.i18n import chosen_language
from portal.identifiers import (
    format_nhs_number,
    format_ni_number,
    normalise_nhs_number,
    normalise_ni_number,
)
from portal.models import DataItem
from portal.services.sharing_record import categories_of
from portal.vocabulary import ItemKind, label


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(TEMPLATES),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    translate_error_prefix()
    app.add_template_global(label)
    app.add_template_global(council_name)
    app.add_template_filter(shown_value)
    app.add_template_global(categories_of, "sharing_categories")


def council_name() -> str:
    """The council's name in the page's language."""
    key = "COUNCIL_NAME_CY" if chosen_language() == "cy" else "COUNCIL_NAME"
    name: str = current_app.config[key]
    return name


def shown_value(item: DataItem) -> str:
    """An item's value as people read it: identifiers spaced as printed on cards and letters."""
    if item.kind is ItemKind.NHS_NUMBER and normalise_nhs_number(item.value):
        return format_nhs_number(item.value)
    if item.kind is ItemKind.NI_NUMBER and normalise_ni_number(item.value):
        return format_ni_number(item.value)
    return item.value
