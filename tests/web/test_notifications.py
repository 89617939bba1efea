"""The outbox is delivered by real SMTP and a stand-in for GOV.UK Notify: once, and retried.
Text messages go by Notify only; without it they wait while emails still go."""

from __future__ import annotations

import datetime as dt
import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import jwt
import pytest
from flask import Flask, before_render_template
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from portal.config import TEMPLATES
from portal.models import Notification, NotificationChannel, NotificationKind, NotificationStatus
from portal.services.delivery import (
    DeliveryReport,
    NotifySender,
    NotifyTextMessageSender,
    Sender,
    Senders,
    SmtpSender,
    backoff,
    claim,
    send_due,
    sender_from_config,
    senders_from_config,
    text_sender_from_config,
)
from portal.services.notifications import (
    Email,
    compose_text_message,
    enqueue,
    enqueue_text_message,
)
from tests.databases import keyed_engine
from tests.mail import Mailbox, free_port, smtp_server

RESET_LINK = "http://localhost/reset-password/test-token"
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
EMAIL_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE_ID = "0d5a1b8e-6f0c-4f44-9f7e-3c1f2f7f5b21"
PHONE_CHANGED = (
    "Your phone number in the Family Data Portal was changed. If this was not you, contact "
    "your Early Help worker or the Data Protection Officer."
)


@pytest.fixture
def smtp_port(app: Flask) -> int:
    port = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False)
    return port


@pytest.fixture
def mailbox(smtp_port: int) -> Iterator[Mailbox]:
    box = Mailbox()
    with smtp_server(smtp_port, box):
        yield box


@pytest.fixture(autouse=True)
def only_this_tests_messages(request: pytest.FixtureRequest) -> None:
    """Anything already in the outbox counts as sent, inside the test's rolled-back transaction."""
    if "db" in request.fixturenames:
        db: Session = request.getfixturevalue("db")
        db.execute(update(Notification).values(status=NotificationStatus.SENT))
        db.commit()


def due_at_now(db: Session, notification: Notification) -> Notification:
    """Put on the tests' clock: enqueued now, due at NOW (in the past, for the command too)."""
    notification.next_attempt_at = NOW
    db.commit()
    return notification


def reset_email(db: Session, to_address: str = "sam.rivers@example.com") -> Notification:
    notification = enqueue(db, NotificationKind.RESET_PASSWORD, to_address, "en", link=RESET_LINK)
    return due_at_now(db, notification)


def phone_changed_text(db: Session, number: str = "07700 900982", language: str = "en"):
    notification = enqueue_text_message(
        db, NotificationKind.CONTACT_CHANGED, number, language, detail_kind="phone"
    )
    return due_at_now(db, notification)


def deliver(app: Flask, db: Session, now: dt.datetime = NOW, **kwargs: Any) -> DeliveryReport:
    with app.app_context():
        return send_due(db, senders_from_config(app.config), now, **kwargs)


def stored(db: Session, notification: Notification) -> Notification:
    db.refresh(notification)
    return notification


def test_a_due_message_arrives_with_its_subject_link_and_address(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    notification = reset_email(db)
    assert deliver(app, db) == DeliveryReport(sent=1, failed=0)
    [received] = mailbox.received
    assert received["Subject"] == "Reset your Family Data Portal password"
    assert received["To"] == "sam.rivers@example.com"
    assert received["From"] == "Family Data Portal <no-reply@example.gov.uk>"
    assert mailbox.recipients == [["sam.rivers@example.com"]]
    assert RESET_LINK in received.get_content()
    assert stored(db, notification).status == NotificationStatus.SENT
    assert notification.sent_at is not None and notification.sent_at >= NOW
    assert notification.leased_until is None
    # The link's single-use token is not kept in the outbox once the email has gone.
    assert notification.personalisation == {"link": ""}


def test_a_welsh_message_is_written_in_welsh(app: Flask, db: Session, mailbox: Mailbox) -> None:
    due_at_now(db, enqueue(db, NotificationKind.PASSWORD_CHANGED, "alex.morgan@example.com", "cy"))
    locales: list[str] = []

    def note_locale(_app: Flask, template: Any, context: Any, **_extra: Any) -> None:
        locales.append(f"{template.name} {get_locale()}")

    with before_render_template.connected_to(note_locale, app):
        assert deliver(app, db).sent == 1
    assert locales == ["emails/password-changed.txt cy"]
    with app.app_context(), force_locale("cy"):
        # The catalogue's Welsh, or the English until the string is translated.
        welsh_subject = gettext("Your Family Data Portal password has changed")
    assert mailbox.received[0]["Subject"] == welsh_subject


def test_a_refused_message_stays_pending_and_goes_after_the_backoff(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    notification = reset_email(db)
    mailbox.refusing = True
    assert deliver(app, db) == DeliveryReport(sent=0, failed=1)
    failed = stored(db, notification)
    assert failed.status == NotificationStatus.PENDING
    assert failed.attempts == 1
    assert failed.last_error is not None and failed.last_error.startswith("SMTPDataError: (451")
    assert RESET_LINK not in failed.last_error
    assert failed.leased_until is None
    assert NOW + dt.timedelta(minutes=1) <= failed.next_attempt_at < NOW + dt.timedelta(minutes=2)

    mailbox.refusing = False
    assert deliver(app, db, NOW + dt.timedelta(seconds=30)) == DeliveryReport(sent=0, failed=0)
    assert deliver(app, db, NOW + dt.timedelta(minutes=2)) == DeliveryReport(sent=1, failed=0)
    assert stored(db, notification).status == NotificationStatus.SENT
    assert len(mailbox.received) == 1


def test_a_refused_recipient_is_not_written_into_the_outbox_or_the_log(
    app: Flask, db: Session, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    notification = reset_email(db, "lee.rivers@example.com")
    mailbox.unknown.add("lee.rivers@example.com")
    assert deliver(app, db) == DeliveryReport(sent=0, failed=1)
    failed = stored(db, notification)
    assert failed.last_error is not None
    assert failed.last_error.startswith("SMTPRecipientsRefused: {'[recipient]': (550")
    assert "Recipient address rejected" in failed.last_error
    assert "lee.rivers" not in failed.last_error and "lee.rivers" not in caplog.text


def test_a_message_waits_for_a_stopped_server_to_come_back(
    app: Flask, db: Session, smtp_port: int
) -> None:
    notification = reset_email(db)
    assert deliver(app, db) == DeliveryReport(sent=0, failed=1)
    assert stored(db, notification).last_error.startswith("ConnectionRefusedError")

    mailbox = Mailbox()
    with smtp_server(smtp_port, mailbox):
        assert deliver(app, db, NOW + dt.timedelta(minutes=2)).sent == 1
    assert mailbox.recipients == [["sam.rivers@example.com"]]


def test_each_failure_doubles_the_wait(app: Flask, db: Session, mailbox: Mailbox) -> None:
    notification = reset_email(db)
    mailbox.refusing = True
    now, waits = NOW, []
    for _ in range(4):
        assert deliver(app, db, now).failed == 1
        next_attempt_at = stored(db, notification).next_attempt_at
        waits.append(round((next_attempt_at - now) / dt.timedelta(minutes=1)))
        now = next_attempt_at
    assert waits == [1, 2, 4, 8]
    assert notification.attempts == 4
    assert mailbox.received == []


def test_backoff_is_one_two_four_minutes_and_so_on_up_to_six_hours() -> None:
    minutes = [backoff(attempts) / dt.timedelta(minutes=1) for attempts in range(1, 12)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]
    assert backoff(100_000) == dt.timedelta(hours=6)


def test_of_two_senders_claiming_one_message_only_the_first_wins(db: Session) -> None:
    notification = reset_email(db)
    assert claim(db, notification.id, NOW) is True
    assert claim(db, notification.id, NOW + dt.timedelta(seconds=1)) is False
    # A sender that died holding the lease does not strand the message.
    assert claim(db, notification.id, NOW + dt.timedelta(minutes=6)) is True


def test_two_senders_on_their_own_connections_claim_each_message_once(database_url: str) -> None:
    engine = keyed_engine(database_url)
    sessions = sessionmaker(bind=engine)
    with sessions() as setup:
        ids = [reset_email(setup, f"parent{number}@example.com").id for number in range(20)]
    starting_line = threading.Barrier(2)

    def sender(_name: str) -> list[uuid.UUID]:
        with sessions() as session:
            won = []
            for notification_id in ids:
                starting_line.wait(timeout=30)
                if claim(session, notification_id, NOW):
                    won.append(notification_id)
            return won

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            first, second = pool.map(sender, ["first", "second"])
        assert sorted(first + second) == sorted(ids)
    finally:
        with sessions() as cleanup:
            cleanup.execute(delete(Notification).where(Notification.id.in_(ids)))
            cleanup.commit()
        engine.dispose()


class SecondSenderMidSend:
    """A second server's timer firing while the first sender is sending."""

    def __init__(self, app: Flask, first: Sender) -> None:
        self.app = app
        self.first = first
        self.second_run: DeliveryReport | None = None

    def send(self, to_address: str, email: Email) -> None:
        other_session = self.app.extensions["database"].sessions()
        try:
            self.second_run = send_due(other_session, Senders(email=self.first), NOW)
        finally:
            other_session.close()
        self.first.send(to_address, email)


def test_a_sender_running_alongside_another_does_not_send_its_message(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    reset_email(db)
    racing = SecondSenderMidSend(app, sender_from_config(app.config))
    with app.app_context():
        assert send_due(db, Senders(email=racing), NOW) == DeliveryReport(sent=1, failed=0)
    assert racing.second_run == DeliveryReport(sent=0, failed=0)
    assert len(mailbox.received) == 1


def test_a_sent_message_is_not_sent_again(app: Flask, db: Session, mailbox: Mailbox) -> None:
    reset_email(db)
    assert deliver(app, db).sent == 1
    assert deliver(app, db, NOW + dt.timedelta(days=1)) == DeliveryReport(sent=0, failed=0)
    assert len(mailbox.received) == 1


def test_a_run_sends_at_most_its_limit(app: Flask, db: Session, mailbox: Mailbox) -> None:
    for number in range(3):
        reset_email(db, f"parent{number}@example.com")
    assert deliver(app, db, limit=2).sent == 2
    assert deliver(app, db, limit=2).sent == 1
    assert len(mailbox.received) == 3


def test_the_command_sends_and_counts_failures_but_succeeds(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    reset_email(db, "sam.rivers@example.com")
    reset_email(db, "alex.morgan@example.com")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-notifications", "--limit", "1"])
    assert (result.exit_code, result.output) == (0, "Sent 1. Failed 0 (will be retried).\n")

    mailbox.refusing = True
    result = runner.invoke(args=["send-notifications"])
    assert (result.exit_code, result.output) == (0, "Sent 0. Failed 1 (will be retried).\n")
    assert len(mailbox.received) == 1


def test_the_command_fails_when_no_sender_is_configured(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert result.exit_code == 1
    assert "No email sender is configured" in result.output


def test_notify_is_chosen_over_smtp_and_needs_its_template() -> None:
    smtp = {"SMTP_HOST": "smtp.example.gov.uk", "SMTP_PORT": 25, "SMTP_STARTTLS": True}
    assert isinstance(sender_from_config(smtp), SmtpSender)
    both = {**smtp, "NOTIFY_API_KEY": "key", "NOTIFY_TEMPLATE_ID": str(uuid.uuid4())}
    assert isinstance(sender_from_config(both), NotifySender)
    with pytest.raises(RuntimeError, match="NOTIFY_TEMPLATE_ID"):
        sender_from_config({**smtp, "NOTIFY_API_KEY": "key"})


def test_text_messages_need_notify_and_its_text_message_template() -> None:
    smtp = {"SMTP_HOST": "smtp.example.gov.uk", "SMTP_PORT": 25, "SMTP_STARTTLS": True}
    notify = {"NOTIFY_API_KEY": "key", "NOTIFY_TEMPLATE_ID": EMAIL_TEMPLATE_ID}
    assert text_sender_from_config(smtp) is None
    assert text_sender_from_config(notify) is None
    both = text_sender_from_config({**notify, "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID})
    assert isinstance(both, NotifyTextMessageSender) and both.template_id == SMS_TEMPLATE_ID
    # A template with no key to send it is a mistake to stop for, not to live with quietly.
    with pytest.raises(RuntimeError, match="NOTIFY_API_KEY"):
        senders_from_config({**smtp, "NOTIFY_SMS_TEMPLATE_ID": SMS_TEMPLATE_ID})


def test_a_text_message_is_addressed_to_the_number_in_international_format(db: Session) -> None:
    assert phone_changed_text(db, "07700 900 982").to_address == "+447700900982"
    assert phone_changed_text(db, "+44 (0)7700 900982").to_address == "+447700900982"
    # A landline cannot take a text: Notify would refuse it, and the outbox retry for ever.
    with pytest.raises(ValueError, match="mobile"):
        phone_changed_text(db, "020 7946 0000")


def test_without_a_text_message_sender_a_text_waits_and_emails_still_go(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    text = phone_changed_text(db)
    reset_email(db)
    result = app.test_cli_runner().invoke(args=["send-notifications"])
    assert (result.exit_code, result.output) == (0, "Sent 1. Failed 1 (will be retried).\n")
    assert mailbox.recipients == [["sam.rivers@example.com"]]
    waiting = stored(db, text)
    assert (waiting.status, waiting.attempts, waiting.leased_until, waiting.sent_at) == (
        NotificationStatus.PENDING,
        1,
        None,
        None,
    )
    assert waiting.last_error == (
        "DeliveryNotConfigured: No text message sender is configured: set NOTIFY_API_KEY and "
        "NOTIFY_SMS_TEMPLATE_ID (GOV.UK Notify)."
    )


def test_a_text_without_a_sender_is_retried_with_the_usual_backoff(
    app: Flask, db: Session, mailbox: Mailbox
) -> None:
    text = phone_changed_text(db)
    now, waits = NOW, []
    for _ in range(3):
        assert deliver(app, db, now) == DeliveryReport(sent=0, failed=1)
        next_attempt_at = stored(db, text).next_attempt_at
        waits.append(round((next_attempt_at - now) / dt.timedelta(minutes=1)))
        now = next_attempt_at
    assert waits == [1, 2, 4]
    assert (text.status, text.attempts) == (NotificationStatus.PENDING, 3)
    assert mailbox.received == []


def gsm_7_length(text: str) -> int | None:
    """Characters as a phone counts them in GSM 03.38, or None if it needs UCS-2 instead."""
    basic = (
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
    )
    escaped = "^{}\\[~]|€"
    if not all(character in basic or character in escaped for character in text):
        return None
    return len(text) + sum(character in escaped for character in text)


def segments(text: str) -> int:
    """How many parts a text is sent in: 160 or 153 a part, or 70 or 67 for Welsh ŵ, ŷ, â…"""
    length = gsm_7_length(text)
    single, part, length = (160, 153, length) if length is not None else (70, 67, len(text))
    return 1 if length <= single else -(-length // part)


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    "template", sorted(path.stem for path in (TEMPLATES / "sms").glob("*.txt"))
)
def test_every_text_message_fits_in_two_parts(app: Flask, template: str, language: str) -> None:
    notification = Notification(
        kind=NotificationKind(template.replace("-", "_")),
        channel=NotificationChannel.SMS,
        language=language,
        personalisation={"detail_kind": "phone"},
    )
    with app.app_context():
        body = compose_text_message(notification).body
    assert body and segments(body) <= 2, (language, len(body), body)


def test_text_message_parts_are_counted_as_phones_count_them() -> None:
    assert [segments("a" * n) for n in (160, 161, 306, 307)] == [1, 2, 2, 3]
    assert [segments("ŵ" * n) for n in (70, 71, 134, 135)] == [1, 2, 2, 3]
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2


class NotifyStandIn(HTTPServer):
    """Answers POST /v2/notifications/email and /sms as GOV.UK Notify does (201 and the new
    notification), or with `answer` when a test sets one; keeps each request."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), NotifyHandler)
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.answer: tuple[int, dict[str, Any]] | None = None

    def accepted(self, path: str, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        channel = path.removeprefix("/v2/notifications/")
        if channel not in {"email", "sms"}:
            return 404, {"result": "error", "message": "The requested URL was not found."}
        notification_id = str(uuid.uuid4())
        base = f"http://127.0.0.1:{self.server_port}"
        content = dict(request.get("personalisation", {}))
        content["from_email" if channel == "email" else "from_number"] = "GOVUK"
        return 201, {
            "id": notification_id,
            "reference": None,
            "content": content,
            "uri": f"{base}/v2/notifications/{notification_id}",
            "template": {
                "id": request["template_id"],
                "version": 1,
                "uri": f"{base}/services/{SERVICE_ID}/templates/{request['template_id']}",
            },
        }


class NotifyHandler(BaseHTTPRequestHandler):
    server: NotifyStandIn

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append((self.path, dict(self.headers), body))
        status, answer = self.server.answer or self.server.accepted(self.path, body)
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def notify(app: Flask) -> Iterator[NotifyStandIn]:
    server = NotifyStandIn()
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    app.config.update(
        NOTIFY_API_KEY=f"portal_test-{SERVICE_ID}-{SECRET}",
        NOTIFY_TEMPLATE_ID=EMAIL_TEMPLATE_ID,
        NOTIFY_SMS_TEMPLATE_ID=SMS_TEMPLATE_ID,
        NOTIFY_BASE_URL=f"http://127.0.0.1:{server.server_port}",
        SMTP_HOST="127.0.0.1",  # ignored: Notify wins
    )
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_notify_gets_the_template_address_subject_and_body(
    app: Flask, db: Session, notify: NotifyStandIn
) -> None:
    notification = reset_email(db)
    assert deliver(app, db) == DeliveryReport(sent=1, failed=0)
    [(path, headers, body)] = notify.requests
    assert path == "/v2/notifications/email"
    assert body["email_address"] == "sam.rivers@example.com"
    assert body["template_id"] == EMAIL_TEMPLATE_ID
    assert body["personalisation"]["subject"] == "Reset your Family Data Portal password"
    assert RESET_LINK in body["personalisation"]["body"]
    token = headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert stored(db, notification).status == NotificationStatus.SENT


def test_a_notify_error_is_recorded_and_retried(
    app: Flask, db: Session, notify: NotifyStandIn
) -> None:
    notification = reset_email(db)
    notify.answer = (
        400,
        {
            "status_code": 400,
            "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}],
        },
    )
    assert deliver(app, db).failed == 1
    assert stored(db, notification).last_error.startswith("HTTPError: 400")
    assert RESET_LINK not in notification.last_error

    notify.answer = None
    assert deliver(app, db, NOW + dt.timedelta(minutes=2)).sent == 1
    assert len(notify.requests) == 2


def test_notify_gets_the_text_message_number_template_and_body(
    app: Flask, db: Session, notify: NotifyStandIn
) -> None:
    text = phone_changed_text(db, "07700 900982")
    assert deliver(app, db) == DeliveryReport(sent=1, failed=0)
    [(path, headers, body)] = notify.requests
    assert path == "/v2/notifications/sms"
    assert body == {
        "phone_number": "+447700900982",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"body": PHONE_CHANGED},
    }
    token = headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert stored(db, text).status == NotificationStatus.SENT
    assert text.sent_at is not None and text.leased_until is None


def test_emails_and_texts_in_one_run_each_go_by_their_own_channel(
    app: Flask, db: Session, notify: NotifyStandIn
) -> None:
    reset_email(db)
    phone_changed_text(db, "07700 900982")
    assert deliver(app, db) == DeliveryReport(sent=2, failed=0)
    sent_to = sorted(
        (path, body.get("email_address") or body.get("phone_number"), body["template_id"])
        for path, _headers, body in notify.requests
    )
    assert sent_to == [
        ("/v2/notifications/email", "sam.rivers@example.com", EMAIL_TEMPLATE_ID),
        ("/v2/notifications/sms", "+447700900982", SMS_TEMPLATE_ID),
    ]


def test_a_welsh_text_message_is_written_in_welsh(
    app: Flask, db: Session, notify: NotifyStandIn
) -> None:
    phone_changed_text(db, language="cy")
    locales: list[str] = []

    def note_locale(_app: Flask, template: Any, context: Any, **_extra: Any) -> None:
        locales.append(f"{template.name} {get_locale()}")

    with before_render_template.connected_to(note_locale, app):
        assert deliver(app, db).sent == 1
    assert locales == ["sms/contact-changed.txt cy"]
    with app.app_context(), force_locale("cy"):
        # The catalogue's Welsh, or the English until the string is translated.
        welsh = gettext(PHONE_CHANGED)
    [(_path, _headers, body)] = notify.requests
    assert body["personalisation"]["body"] == welsh


def test_a_notify_error_on_a_text_message_is_recorded_and_retried(
    app: Flask, db: Session, notify: NotifyStandIn
) -> None:
    text = phone_changed_text(db)
    notify.answer = (
        400,
        {
            "status_code": 400,
            "errors": [{"error": "BadRequestError", "message": "Can't send to this recipient"}],
        },
    )
    assert deliver(app, db) == DeliveryReport(sent=0, failed=1)
    failed = stored(db, text)
    assert failed.status == NotificationStatus.PENDING and failed.attempts == 1
    assert failed.last_error.startswith("HTTPError: 400")
    assert NOW + dt.timedelta(minutes=1) <= failed.next_attempt_at < NOW + dt.timedelta(minutes=2)

    notify.answer = None
    assert deliver(app, db, NOW + dt.timedelta(minutes=2)).sent == 1
    assert stored(db, text).status == NotificationStatus.SENT
    assert [path for path, _headers, _body in notify.requests] == ["/v2/notifications/sms"] * 2
