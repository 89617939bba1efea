"""The outcome letter: a template per outcome, the officer's own explanation, and always, at
the end, how to complain to the Information Commissioner's Office (DESIGN.md "Complaints").

Written in the complainant's language. Needs an app context (templates and translations).
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from portal.i18n import LOCALES, gettext
from portal.models import Complaint
from portal.vocabulary import ComplaintOutcome

# What the complainant is told last, whatever the outcome and whatever the officer wrote.
ICO_CONTACT = ("ico.org.uk", "0303 123 1113")


def outcome_letter(complaint: Complaint, outcome: ComplaintOutcome, explanation: str) -> str:
    """The letter as sent: the outcome's template with the explanation in it, then the ICO
    paragraph, added here rather than in each template so that no template can lose it."""
    language = complaint.language if complaint.language in LOCALES else "en"
    with force_locale(LOCALES[language]):
        body = render_template(
            f"letters/complaint-{outcome.value.replace('_', '-')}.txt",
            name=complainant_name(complaint),
            reference=complaint.reference,
            received_on=complaint.received_on,
            explanation=explanation.strip(),
            council=_council_name(language),
        )
        ending = ico_paragraph()
    if not all(part in ending for part in ICO_CONTACT):
        # A translation that lost the address or number must not cost the complainant them.
        with force_locale(LOCALES["en"]):
            ending = f"{ending}\n\n{ico_paragraph()}"
    return f"{body.strip()}\n\n{ending}\n"


def ico_paragraph() -> str:
    """How to complain to the ICO, in the current locale."""
    return gettext(
        "If you are not happy with our answer, you can complain to the Information "
        "Commissioner's Office, the UK's independent regulator for data protection, at "
        "ico.org.uk or on 0303 123 1113."
    )


def complainant_name(complaint: Complaint) -> str:
    """The name to write to: the one given, else the account holder's, else their email."""
    if complaint.complainant_name:
        return complaint.complainant_name
    account = complaint.complainant
    if account is not None and account.person is not None:
        return account.person.full_name
    return account.email if account is not None else ""


def _council_name(language: str) -> str:
    name: str = current_app.config["COUNCIL_NAME_CY" if language == "cy" else "COUNCIL_NAME"]
    return name
