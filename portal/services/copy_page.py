"""What the PDF of a copy says, in order and in its language: the covering letter with the
Article 15 information, then everything we hold, as parts (a heading, a paragraph, a list,
a record of fields) that templates/copies/copy.typ lays out.

Every word is chosen here, through the portal's catalogue, so the Welsh copy is translated
like the Welsh pages; the template only displays the strings it is given, so a value that
looks like Typst code is printed, never run. Call under `force_locale` with an app context
(translations, and the time zone for times of day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from portal.i18n import clock_time, long_date
from portal.i18n import gettext as _

Part = dict[str, Any]
# What the page counters are replaced with while the footer is translated, to split it at.
_PAGE, _PAGES = "\x00page\x00", "\x00pages\x00"


def copy_page(document: dict[str, Any]) -> dict[str, Any]:
    """The page's metadata, footer and parts, ready to hand to the template as JSON."""
    return {
        "language": document["language"],
        "title": _("Copy of your data, %(reference)s", reference=document["reference"]),
        "author": document["council"]["name"],
        "reference": document["reference"],
        "footer": _footer(),
        "parts": [*_letter(document), {"new_page": True}, *_record(document)],
    }


def _footer() -> list[dict[str, Any]]:
    """The footer's "Page 2 of 9", one message to translate, split where the numbers go."""
    words = _("Page %(page)s of %(pages)s", page=_PAGE, pages=_PAGES)
    parts: list[dict[str, Any]] = []
    for piece in words.replace(_PAGES, "\x00\x01\x00").replace(_PAGE, "\x00\x02\x00").split("\x00"):
        if piece == "\x01":
            parts.append({"pages": True})
        elif piece == "\x02":
            parts.append({"page": True})
        elif piece:
            parts.append({"text": piece})
    return parts


def _letter(document: dict[str, Any]) -> Iterator[Part]:
    council, subject, asked = document["council"], document["subject"], document["request"]
    yield {"lines": [council["name"], council["dpo_email"]]}
    if subject["is_requester"]:
        yield _heading(1, _("A copy of the information we hold about you"))
    else:
        yield _heading(
            1, _("A copy of the information we hold about %(name)s", name=subject["name"])
        )
    yield _paragraph(long_date(document["generated_on"]))
    our_reference = _("Our reference:")
    yield _paragraph(f"{our_reference} {document['reference']}")
    yield _paragraph(_("Dear %(name)s,", name=document["requester"]["name"]))
    yield _paragraph(_you_asked(subject, asked["received_on"]))
    yield from _what_was_asked(asked)
    yield _paragraph(
        _(
            "The information itself follows this letter. First, what the law says we must tell "
            "you about it."
        )
    )
    yield from _about_this_information(council)
    yield {"closing": _("Yours sincerely,")}
    yield {"lines": [_("Data Protection Officer"), council["name"]]}


def _you_asked(subject: dict[str, Any], received_on: str) -> str:
    date = long_date(received_on)
    if subject["is_requester"]:
        return _(
            "You asked us for a copy of the information our Early Help service holds about you. "
            "We received your request on %(date)s. This is your copy.",
            date=date,
        )
    return _(
        "You asked us for a copy of the information our Early Help service holds about "
        "%(name)s, for whom you have parental responsibility. We received your request on "
        "%(date)s. This is your copy.",
        name=subject["name"],
        date=date,
    )


def _what_was_asked(asked: dict[str, Any]) -> Iterator[Part]:
    if asked["everything"]:
        yield _paragraph(_("You asked for everything we hold."))
    else:
        yield _paragraph(_("You asked for these kinds of information:"))
        yield {"list": [{"text": category["label"]} for category in asked["categories"]]}
    start, end = asked["from"], asked["to"]
    if start and end:
        yield _paragraph(
            _(
                "You asked only for information from %(start)s to %(end)s.",
                start=long_date(start),
                end=long_date(end),
            )
        )
    elif start:
        yield _paragraph(
            _("You asked only for information from %(start)s onwards.", start=long_date(start))
        )
    elif end:
        yield _paragraph(_("You asked only for information up to %(end)s.", end=long_date(end)))


def _about_this_information(council: dict[str, Any]) -> Iterator[Part]:
    """The information Article 15(1) and (2) says a copy must come with."""
    yield _heading(2, _("About this information"))
    for heading, words in (
        (
            _("Why we use it"),
            _(
                "We use it to coordinate the Early Help support your family receives, as part of "
                "the Supporting Families programme."
            ),
        ),
        (
            _("What we hold"),
            _(
                "Each kind of information we hold has its own section after this letter, with "
                "every piece of it."
            ),
        ),
        (
            _("Who we share it with"),
            _(
                "The section “Who we shared this data with” lists each time we shared it: when, "
                "with whom, what kinds of information, why, and the law that allowed it."
            ),
        ),
        (
            _("How long we keep it"),
            _("We keep it until the youngest child in the household turns 25."),
        ),
        (
            _("Where it comes from"),
            _(
                "Each piece of information shows where it came from. The section “Where this "
                "data came from” lists every source."
            ),
        ),
        (
            _("Decisions made by computer"),
            _(
                "We do not make decisions about you or your family by computer alone. A person "
                "makes every decision."
            ),
        ),
        (
            _("Your rights"),
            _(
                "You have the right to ask us to correct information that is wrong or "
                "incomplete, to ask us to restrict how we use it, and to object to how we use "
                "it. To do any of these, or to complain to us, contact our Data Protection "
                "Officer at %(email)s.",
                email=council["dpo_email"],
            ),
        ),
        (
            _("How to complain"),
            _(
                "You also have the right to complain to the Information Commissioner's Office, "
                "the UK's independent regulator for data protection, at "
                "ico.org.uk/make-a-complaint or on 0303 123 1113."
            ),
        ),
    ):
        yield _heading(3, heading)
        yield _paragraph(words)


def _record(document: dict[str, Any]) -> Iterator[Part]:
    yield _paragraph(_("Each piece of information shows where it came from and when we got it."))
    yield from _name_and_date_of_birth(document["subject"])
    for section in document["sections"]:
        yield from _section(section)
    yield from _household(document)
    yield from _sharing(document["sharing"])
    yield from _sources(document["sources"])
    yield from _accesses(document["accesses"])


def _name_and_date_of_birth(subject: dict[str, Any]) -> Iterator[Part]:
    yield _heading(2, _("Name and date of birth"))
    yield _caption(_("The name and date of birth we hold for %(name)s", name=subject["name"]))
    yield _fields(
        (_("Name"), subject["name"]),
        (_("Date of birth"), long_date(subject["date_of_birth"])),
    )
    for text in subject["statements"]:
        yield {"statement": _statement(text)}


def _section(section: dict[str, Any]) -> Iterator[Part]:
    """One kind of information: each item a record under its own small heading."""
    yield _heading(2, section["title"])
    if not section["items"]:
        yield _none()
        return
    yield _caption(
        _("%(kind)s: what we hold, where it came from and when we got it", kind=section["title"])
    )
    what, where, when = _("What we hold"), _("Where it came from"), _("When we got it")
    redacted = _("Redacted – this is about another person")
    dates = _Dates()
    for item in section["items"]:
        value = {"key": what, "lines": [redacted], "strong": True}
        if not item["redacted"]:
            value = {"key": what, "lines": [item["value"]]}
        yield {
            "label": item["label"],
            "fields": [
                value,
                {"key": where, "lines": [item["source_label"]]},
                {"key": when, "lines": [dates.long(item["obtained_on"])]},
            ],
            "statements": [_statement(text) for text in item["statements"]],
        }


def _household(document: dict[str, Any]) -> Iterator[Part]:
    subject = document["subject"]
    if subject["is_requester"]:
        yield _heading(2, _("Who lives with you"))
    else:
        yield _heading(2, _("Who lives with %(name)s", name=subject["name"]))
    if not document["household"]:
        yield _none()
        return
    yield _caption(
        _("The people who live, or used to live, in the household, and how they are related")
    )
    name, relationship, lives_there = _("Name"), _("Relationship"), _("Lives there")
    for member in document["household"]:
        now = _("Now") if member["current"] else _("In the past")
        if member["redacted"]:
            yield _fields((name, _("Another person – details removed")), (lives_there, now))
        else:
            yield _fields(
                (name, member["name"]),
                (relationship, member["relationship"] or _("Not recorded")),
                (lives_there, now),
            )


def _sharing(events: list[dict[str, Any]]) -> Iterator[Part]:
    yield _heading(2, _("Who we shared this data with"))
    if not events:
        yield _none()
        return
    yield _caption(
        _(
            "Each time we shared information: when, with whom, what kinds, why, and the law "
            "that allowed it"
        )
    )
    date, partner = _("Date"), _("Shared with")
    kinds, why = _("What kinds of information"), _("Why, and the law that allowed it")
    dates = _Dates()
    for event in events:
        yield {
            "fields": [
                {"key": date, "lines": [dates.long(event["shared_on"])]},
                {"key": partner, "lines": [event["partner"], event["partner_kind"]]},
                {"key": kinds, "lines": event["categories"]},
                {"key": why, "lines": [event["purpose"], event["lawful_basis"]]},
            ]
        }


def _sources(sources: list[dict[str, Any]]) -> Iterator[Part]:
    yield _heading(2, _("Where this data came from"))
    if not sources:
        yield _none()
        return
    yield _paragraph(
        _(
            "The organisations and people the information we hold came from, and the kinds of "
            "information each gave us."
        )
    )
    yield {
        "list": [
            {"text": source["label"], "list": [{"text": kind} for kind in source["categories"]]}
            for source in sources
        ]
    }


def _accesses(accesses: list[dict[str, Any]]) -> Iterator[Part]:
    yield _heading(2, _("Who looked at this record in the portal"))
    if not accesses:
        yield _none()
        return
    yield _caption(
        _(
            "Each time council staff opened this record in the portal. We do not name the "
            "member of staff. Times are UK time."
        )
    )
    date, time, team, why = _("Date"), _("Time"), _("Team"), _("Why")
    for access in accesses:
        # long_date and clock_time give the UK date and time of an aware datetime.
        at = dt.datetime.fromisoformat(access["at"])
        yield _fields(
            (date, long_date(at)),
            (time, clock_time(at)),
            (team, access["team"]),
            (why, access["reason"]),
        )


class _Dates:
    """Long dates, each formatted once: thousands of items share a few hundred dates."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def long(self, iso_date: str) -> str:
        if iso_date not in self._seen:
            self._seen[iso_date] = long_date(iso_date)
        return self._seen[iso_date]


def _heading(level: int, words: str) -> Part:
    return {"heading": words, "level": level}


def _paragraph(words: str) -> Part:
    return {"paragraph": words}


def _caption(words: str) -> Part:
    """What a section's records hold, in a quieter colour (it was a table's caption)."""
    return {"paragraph": words, "muted": True}


def _none() -> Part:
    return _paragraph(_("None"))


def _statement(text: str) -> str:
    return _("Statement from the family: %(text)s", text=text)


def _fields(*pairs: tuple[str, str]) -> Part:
    return {"fields": [{"key": key, "lines": [value]} for key, value in pairs]}
