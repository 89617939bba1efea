"""A real SMTP server for tests (aiosmtpd), and the mailbox it delivers to."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    """aiosmtpd cannot bind port 0, so pick a free port first."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """An aiosmtpd handler that keeps what it is given, or answers 451 while refusing."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refusing = False
        # Addresses the server refuses outright, naming them in its answer as servers do.
        self.unknown: set[str] = set()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.unknown:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusing:
            return "451 4.3.0 Mailbox busy, try again later"
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def last_to(self, address: str) -> EmailMessage:
        return [m for m in self.received if m["To"] == address][-1]


@contextmanager
def smtp_server(port: int, mailbox: Mailbox) -> Iterator[None]:
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield
    finally:
        controller.stop()
