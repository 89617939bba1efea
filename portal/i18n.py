"""English and Welsh: the chosen language lives in the session, English by default."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, session
from flask_babel import format_date, format_time, get_locale

from portal.extensions import babel

LOCALES = {"en": "en_GB", "cy": "cy"}


def chosen_language() -> str:
    language = session.get("language")
    return language if language in LOCALES else "en"


def select_locale() -> str:
    return LOCALES[chosen_language()]


def long_date(value: object) -> str:
    """25 November 2026 / 25 Tachwedd 2026, as GOV.UK writes dates. Takes an ISO date string
    too (as email personalisation stores dates)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, "d MMMM y")


def clock_time(value: dt.datetime) -> str:
    """The time of day in England and Wales, on the 24-hour clock: 18:05."""
    return format_time(value, "HH:mm")


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.add_template_global(get_locale)
    app.add_template_global(chosen_language)
    app.add_template_filter(long_date)
    app.add_template_filter(clock_time)


def is_supported(language: str) -> bool:
    return language in current_app.config["LANGUAGES"]
