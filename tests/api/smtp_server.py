"""A real SMTP server for the tests (aiosmtpd, started in a thread): what the API sends arrives here over SMTP."""

from __future__ import annotations

import contextlib
import re
import socket
import threading
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd's handler: keeps every message received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


LINK_RE = re.compile(r"(https?://\S+/verify/email/link\?\S+)")
CODE_RE = re.compile(r":\s*(\d{6})\s*$", re.M)


def link_and_code(message: EmailMessage) -> tuple[str, str]:
    """The one-time link and the code in a verification message."""
    text = message.get_content()
    return LINK_RE.search(text).group(1), CODE_RE.search(text).group(1)
