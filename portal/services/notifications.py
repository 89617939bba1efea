"""Putting messages in the outbox, and writing them in the recipient's language.

Enqueue in the same transaction as the change that causes the message, so a
message is never sent for a change that rolled back, nor lost for one that
committed. Its commit submits the job that sends it (portal/jobs/); whatever that job
leaves unsent, the sweep sends (`send_due`, or `flask --app portal send-notifications`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from portal.contact_formats import text_message_number
from portal.db import new_id
from portal.i18n import LOCALES
from portal.jobs.queue import Job, after_commit
from portal.models import Notification, NotificationChannel, NotificationKind


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


@dataclass(frozen=True)
class TextMessage:
    body: str


def enqueue(
    db: Session,
    kind: NotificationKind,
    to_address: str,
    language: str,
    **personalisation: str,
) -> Notification:
    """Adds an email to the caller's transaction; the caller commits with its change."""
    return _add(db, kind, NotificationChannel.EMAIL, to_address, language, personalisation)


def enqueue_text_message(
    db: Session,
    kind: NotificationKind,
    phone_number: str,
    language: str,
    **personalisation: str,
) -> Notification:
    """Adds a text message to the caller's transaction, as `enqueue` does an email.

    The number is stored in E.164 (+447700900982), so one phone is one address however it
    was typed. It must be a mobile (`text_message_number`): anything else is the caller's bug.
    """
    mobile = text_message_number(phone_number)
    if mobile is None:
        raise ValueError("A text message needs a mobile number.")
    return _add(db, kind, NotificationChannel.SMS, mobile, language, personalisation)


def compose(notification: Notification) -> Email:
    """The subject and plain-text body, from templates/emails/<kind>.txt, in its language.

    Needs an app context (templates and translations); the first line is the subject.
    """
    text = _render("emails", notification)
    subject, _, body = text.strip().partition("\n")
    return Email(subject=subject.strip(), body=body.strip() + "\n")


def compose_text_message(notification: Notification) -> TextMessage:
    """The text from templates/sms/<kind>.txt, in its language, as one paragraph: a line
    break costs a character of a 160-character message and reads no better on a phone."""
    return TextMessage(body=" ".join(_render("sms", notification).split()))


def _render(folder: str, notification: Notification) -> str:
    with force_locale(LOCALES[notification.language]):
        return render_template(
            f"{folder}/{notification.kind.value.replace('_', '-')}.txt",
            **notification.personalisation,
        )


def _add(
    db: Session,
    kind: NotificationKind,
    channel: NotificationChannel,
    to_address: str,
    language: str,
    personalisation: dict[str, str],
) -> Notification:
    notification = Notification(
        id=new_id(),
        kind=kind,
        channel=channel,
        to_address=to_address,
        language=language if language in LOCALES else "en",
        personalisation=personalisation,
    )
    db.add(notification)
    after_commit(db, Job.SEND_NOTIFICATION, str(notification.id))
    return notification
