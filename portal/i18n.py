"""English and Welsh: the chosen language lives in the session, English by default."""

from __future__ import annotations

import datetime as dt

from babel import dates as babel_dates
from babel.support import NullTranslations
from flask import Flask, current_app, session
from flask_babel import LazyString, format_date, format_time, get_locale, get_translations

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
    if isinstance(value, dt.datetime):
        return format_date(value, "d MMMM y")  # Flask-Babel moves it to UK time first
    # A plain date needs no time zone: Babel directly, at half the cost (queues show dozens).
    return babel_dates.format_date(value, "d MMMM y", locale=get_locale())  # type: ignore[arg-type]


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
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: catalogue().ugettext(string),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, string: catalogue().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )


# The locale last asked about and its catalogue, swapped together (one tuple) so that a thread
# can never pair a locale with another locale's catalogue.
_last: tuple[object, NullTranslations] = (None, NullTranslations())


def catalogue() -> NullTranslations:
    """The current locale's catalogue. A page asks for one translation 100 to 1,000 times
    (its template, its forms' labels, each row's vocabulary words); Flask-Babel looks the
    catalogue up again every time, a fifth of a plain page's rendering. This looks it up
    once for each locale object, which Flask-Babel keeps for the request, so `force_locale`
    (emails and copies in the recipient's language) still switches catalogue."""
    global _last  # noqa: PLW0603 - one slot, read and swapped whole
    locale = get_locale()
    seen = _last
    if seen[0] is not locale or locale is None:
        seen = _last = (locale, get_translations())
    return seen[1]


def gettext(string: str, **variables: object) -> str:
    """Flask-Babel's gettext, through `catalogue`."""
    translated: str = catalogue().ugettext(string)
    return translated % variables if variables else translated


def lazy_gettext(string: str, **variables: object) -> LazyString:
    """Flask-Babel's lazy_gettext, through `catalogue`: translated each time it is shown."""
    return LazyString(gettext, string, **variables)


def is_supported(language: str) -> bool:
    return language in current_app.config["LANGUAGES"]
