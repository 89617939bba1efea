"""English and Welsh: the chosen language lives in the session, English by default."""

from __future__ import annotations

import datetime as dt

from babel.support import NullTranslations
from flask import Flask, current_app, session
from flask_babel import format_date, format_time, get_locale, get_translations

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
    _install_template_gettext(app)
    app.add_template_global(get_locale)
    app.add_template_global(chosen_language)
    app.add_template_filter(long_date)
    app.add_template_filter(clock_time)


def _install_template_gettext(app: Flask) -> None:
    """Templates call gettext 50 to 100 times a page. Flask-Babel's own callables look the
    catalogue up again on every call (a fifth of a plain page's rendering time); these look
    it up once for each locale object, which Flask-Babel keeps for the request, so
    `force_locale` (emails in the recipient's language) still switches catalogue."""
    last: tuple[object, NullTranslations] = (None, NullTranslations())

    def catalogue() -> NullTranslations:
        nonlocal last
        locale = get_locale()
        seen = last  # one read: a thread swapping `last` can't pair a locale with another catalogue
        if seen[0] is not locale or locale is None:
            seen = last = (locale, get_translations())
        return seen[1]

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )


def is_supported(language: str) -> bool:
    return language in current_app.config["LANGUAGES"]
