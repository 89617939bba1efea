"""Delivering the outbox: each message by the job its commit submitted (portal/jobs/), and
whatever is still due by `send_due` (the sweep, or `flask --app portal send-notifications`).

Emails go by GOV.UK Notify or SMTP; text messages only by Notify. Without a text message
sender, texts wait in the outbox (retried like any failure) while emails still go.

A sender claims each message with a lease before sending it, so two senders running at once
(an overlapping timer, a second server) never send one message twice. A failed delivery is
retried with growing backoff for ever: a message is never deleted and never given up.
Each outcome is committed on its own, so one failure never loses another message's state.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
import ssl
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import partial
from typing import Any, Protocol

from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import or_, select, true, update
from sqlalchemy.orm import Session

from portal.config import DEFAULT_MAIL_FROM, DEFAULT_NOTIFY_BASE_URL, DEFAULT_SMTP_PORT
from portal.models import Notification, NotificationChannel, NotificationStatus
from portal.services.notifications import Email, TextMessage, compose, compose_text_message

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
LEASE = dt.timedelta(minutes=5)
LONGEST_BACKOFF = dt.timedelta(hours=6)
ERROR_LENGTH = 500
NO_TEXT_MESSAGE_SENDER = (
    "No text message sender is configured: set NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID "
    "(GOV.UK Notify)."
)


class DeliveryNotConfigured(RuntimeError):
    """Neither GOV.UK Notify nor SMTP is configured, or one is half configured."""


class Sender(Protocol):
    def send(self, to_address: str, email: Email) -> None:
        """Hands the email over for delivery; raises if it was not accepted."""


class TextMessageSender(Protocol):
    def send_text(self, phone_number: str, message: TextMessage) -> None:
        """Hands the text message over for delivery; raises if it was not accepted."""


@dataclass(frozen=True)
class Senders:
    """One sender per channel. Text messages are optional: SMTP-only development has none."""

    email: Sender
    text_message: TextMessageSender | None = None


@dataclass(frozen=True)
class SmtpSender:
    host: str
    port: int
    from_address: str
    starttls: bool = True
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def send(self, to_address: str, email: Email) -> None:
        message = EmailMessage()
        message["From"] = self.from_address
        message["To"] = to_address
        message["Subject"] = email.subject
        message["Date"] = formatdate(usegmt=True)
        # The sender's own domain: make_msgid() would otherwise look up this machine's name.
        message["Message-ID"] = make_msgid(domain=parseaddr(self.from_address)[1].partition("@")[2])
        message.set_content(email.body)
        with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


@dataclass(frozen=True)
class NotifySender:
    """GOV.UK Notify, through one template whose subject is ((subject)) and body ((body))."""

    api_key: str = field(repr=False)
    template_id: str
    base_url: str = DEFAULT_NOTIFY_BASE_URL

    def send(self, to_address: str, email: Email) -> None:
        with _notify_client(self.api_key, self.base_url) as client:
            client.send_email_notification(
                email_address=to_address,
                template_id=self.template_id,
                personalisation={"subject": email.subject, "body": email.body},
            )


@dataclass(frozen=True)
class NotifyTextMessageSender:
    """GOV.UK Notify text messages, through one template whose whole content is ((body))."""

    api_key: str = field(repr=False)
    template_id: str
    base_url: str = DEFAULT_NOTIFY_BASE_URL

    def send_text(self, phone_number: str, message: TextMessage) -> None:
        with _notify_client(self.api_key, self.base_url) as client:
            client.send_sms_notification(
                phone_number=phone_number,
                template_id=self.template_id,
                personalisation={"body": message.body},
            )


@contextmanager
def _notify_client(api_key: str, base_url: str) -> Iterator[NotificationsAPIClient]:
    """A client per message, its connection closed after: runs are a minute apart."""
    client = NotificationsAPIClient(api_key, base_url=base_url, timeout=TIMEOUT_SECONDS)
    try:
        yield client
    finally:
        client.request_session.close()


def senders_from_config(config: Mapping[str, Any]) -> Senders:
    """The email sender (required) and, when Notify's SMS template is set, the text one."""
    return Senders(email=sender_from_config(config), text_message=text_sender_from_config(config))


def text_sender_from_config(config: Mapping[str, Any]) -> TextMessageSender | None:
    """Notify when NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID are set, else None; a template
    without a key is a mistake worth stopping for, not a reason to hold texts back quietly."""
    if not config.get("NOTIFY_SMS_TEMPLATE_ID"):
        return None
    if not config.get("NOTIFY_API_KEY"):
        raise DeliveryNotConfigured("NOTIFY_SMS_TEMPLATE_ID is set but NOTIFY_API_KEY is not.")
    return NotifyTextMessageSender(
        api_key=config["NOTIFY_API_KEY"],
        template_id=config["NOTIFY_SMS_TEMPLATE_ID"],
        base_url=config.get("NOTIFY_BASE_URL") or DEFAULT_NOTIFY_BASE_URL,
    )


def sender_from_config(config: Mapping[str, Any]) -> Sender:
    """Notify when NOTIFY_API_KEY is set, else SMTP when SMTP_HOST is set."""
    if config.get("NOTIFY_API_KEY"):
        if not config.get("NOTIFY_TEMPLATE_ID"):
            raise DeliveryNotConfigured("NOTIFY_API_KEY is set but NOTIFY_TEMPLATE_ID is not.")
        return NotifySender(
            api_key=config["NOTIFY_API_KEY"],
            template_id=config["NOTIFY_TEMPLATE_ID"],
            base_url=config.get("NOTIFY_BASE_URL") or DEFAULT_NOTIFY_BASE_URL,
        )
    if config.get("SMTP_HOST"):
        return SmtpSender(
            host=config["SMTP_HOST"],
            port=int(config.get("SMTP_PORT") or DEFAULT_SMTP_PORT),
            from_address=config.get("MAIL_FROM") or DEFAULT_MAIL_FROM,
            starttls=bool(config.get("SMTP_STARTTLS", True)),
            username=config.get("SMTP_USERNAME") or None,
            password=config.get("SMTP_PASSWORD") or None,
        )
    raise DeliveryNotConfigured(
        "No email sender is configured: set NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID "
        "(GOV.UK Notify), or SMTP_HOST."
    )


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int


def send_due(db: Session, senders: Senders, now: dt.datetime, limit: int = 100) -> DeliveryReport:
    """Sends up to `limit` messages that are due at `now`, each by its channel's sender.
    Needs an app context (templates).

    Leases and backoff follow the real clock from `now`, so a long run never goes on
    sending under a lease that has already run out.
    """
    clock = _clock_starting_at(now)
    sent = failed = 0
    for notification_id in due(db, now, limit):
        if not claim(db, notification_id, clock()):
            continue  # another sender has it
        if _deliver(db, senders, notification_id, clock):
            sent += 1
        else:
            failed += 1
    return DeliveryReport(sent=sent, failed=failed)


def send_one(
    db: Session, senders: Senders, notification_id: uuid.UUID, now: dt.datetime
) -> bool | None:
    """Sends one pending message now, whatever its backoff says: the caller is the job its
    commit submitted, or that job's retry, which keeps its own backoff. None when it has
    gone already or another sender holds it; else whether it was sent (a failure is
    recorded, with backoff for `send_due`)."""
    clock = _clock_starting_at(now)
    if not claim(db, notification_id, clock(), due_only=False):
        return None
    return _deliver(db, senders, notification_id, clock)


def due(db: Session, now: dt.datetime, limit: int) -> list[uuid.UUID]:
    """Pending messages whose time has come and that no sender holds, oldest first."""
    ids = list(
        db.scalars(
            select(Notification.id)
            .where(Notification.status == NotificationStatus.PENDING)
            .where(Notification.next_attempt_at <= now, _unleased(now))
            .order_by(Notification.next_attempt_at)
            .limit(limit)
        )
    )
    # End the read: on SQLite a transaction that read before another writer committed
    # cannot write afterwards.
    db.commit()
    return ids


def claim(db: Session, notification_id: uuid.UUID, now: dt.datetime, due_only: bool = True) -> bool:
    """Takes the lease on one message; True only for the one sender whose UPDATE matched.

    The condition is checked by the UPDATE itself (a row lock on PostgreSQL, the write lock
    on SQLite), so of two senders racing for a row exactly one sees a row count of 1.
    """
    due = Notification.next_attempt_at <= now if due_only else true()
    result = db.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.status == NotificationStatus.PENDING,
            due,
            _unleased(now),
        )
        .values(leased_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    return getattr(result, "rowcount", 0) == 1


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd, 4th … failure, at most 6 hours."""
    minutes = 2 ** min(max(attempts - 1, 0), 16)
    return min(dt.timedelta(minutes=minutes), LONGEST_BACKOFF)


# A provider's error can quote the recipient (an SMTP server refusing one names the address;
# a text message provider may echo the number in any format).
_ADDRESS_OR_NUMBER = re.compile(
    r"[^\s<>'\"(){}\[\],;:]+@[^\s<>'\"(){}\[\],;:]+|\+?\d[\d ()-]{7,}\d"
)


def describe(error: BaseException) -> str:
    """What went wrong, for staff and the log: the exception's class and message, with any
    email address or phone number in it masked."""
    text = _ADDRESS_OR_NUMBER.sub("[recipient]", f"{type(error).__name__}: {error}")
    return text[:ERROR_LENGTH]


def _unleased(now: dt.datetime) -> Any:
    return or_(Notification.leased_until.is_(None), Notification.leased_until < now)


def _clock_starting_at(now: dt.datetime) -> Callable[[], dt.datetime]:
    started = time.monotonic()
    return lambda: now + dt.timedelta(seconds=time.monotonic() - started)


def _deliver(
    db: Session, senders: Senders, notification_id: uuid.UUID, clock: Callable[[], dt.datetime]
) -> bool:
    notification = db.get_one(Notification, notification_id, populate_existing=True)
    attempts = notification.attempts
    try:
        send = _ready_to_send(senders, notification)
        db.commit()  # ends the read before the slow part, as in due()
        send()
    except Exception as error:  # any failure, ours or the provider's, is retried later
        db.rollback()
        logger.warning("Notification %s not delivered: %s", notification_id, describe(error))
        _record(
            db,
            notification_id,
            attempts=attempts + 1,
            last_error=describe(error),
            leased_until=None,
            next_attempt_at=clock() + backoff(attempts + 1),
        )
        return False
    _record(
        db,
        notification_id,
        status=NotificationStatus.SENT,
        sent_at=clock(),
        leased_until=None,
        # Links carry live single-use tokens (stored elsewhere only as hashes): once the email
        # has gone, the outbox keeps no copy of them.
        personalisation=_without_links(notification.personalisation),
    )
    return True


def _ready_to_send(senders: Senders, notification: Notification) -> Callable[[], None]:
    """The message written and its channel's sender chosen. A text with no sender to take
    it fails like a refused one: it stays pending, retried with backoff, the reason recorded."""
    if notification.channel is NotificationChannel.SMS:
        if senders.text_message is None:
            raise DeliveryNotConfigured(NO_TEXT_MESSAGE_SENDER)
        message = compose_text_message(notification)
        return partial(senders.text_message.send_text, notification.to_address, message)
    return partial(senders.email.send, notification.to_address, compose(notification))


def _without_links(personalisation: dict[str, str]) -> dict[str, str]:
    return {key: "" if key == "link" else value for key, value in personalisation.items()}


def _record(db: Session, notification_id: uuid.UUID, **values: Any) -> None:
    db.execute(update(Notification).where(Notification.id == notification_id).values(**values))
    db.commit()
