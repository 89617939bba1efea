"""Putting messages in the outbox, and writing them in the recipient's language.

Enqueue in the same transaction as the change that causes the message, so a
message is never sent for a change that rolled back, nor lost for one that
committed. Delivery is `flask --app portal send-notifications`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.i18n import LOCALES
from portal.models import Notification, NotificationKind


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def enqueue(
    db: Session,
    kind: NotificationKind,
    to_address: str,
    language: str,
    **personalisation: str,
) -> Notification:
    """Adds a message to the caller's transaction; the caller commits with its change."""
    notification = Notification(
        kind=kind,
        to_address=to_address,
        language=language if language in LOCALES else "en",
        personalisation=personalisation,
    )
    db.add(notification)
    return notification


def compose(notification: Notification) -> Email:
    """The subject and plain-text body, from templates/emails/<kind>.txt, in its language.

    Needs an app context (templates and translations); the first line is the subject.
    """
    with force_locale(LOCALES[notification.language]):
        text = render_template(
            f"emails/{notification.kind.value.replace('_', '-')}.txt",
            **notification.personalisation,
        )
    subject, _, body = text.strip().partition("\n")
    return Email(subject=subject.strip(), body=body.strip() + "\n")
