"""Sending the verification emails: to a local outbox (files), to any SMTP server, or with Amazon SES.

SMTP is the standard library's smtplib, on purpose: the protocol needs nothing more than it gives (STARTTLS,
implicit TLS, AUTH, RFC 5322 messages from `email.message`), it is maintained with CPython, and the Lambda package
stays free of another dependency. SES is boto3's `sesv2` (the Lambda runtime provides boto3), sending the same
raw message. The outbox is for `make serve`: each message is a `.eml` file in DATA_DIR/outbox (mode 0600), which
the local outbox page (/api/outbox, OUTBOX_PAGE) lists for the person trying the product; it is the local
stand-in for the resident's mailbox, never the store, and production has none.
"""

from __future__ import annotations

import abc
import datetime as dt
import os
import secrets
import smtplib
import ssl
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..kernel.storage import StoreUnavailable

OUTBOX = "outbox"
SMTP_TIMEOUT_SECONDS = 10


class MailUnavailable(StoreUnavailable):
    """The message could not be handed to the mail service: nothing was sent; try again later."""


def compose(sender: str, to: str, subject: str, text: str, lang: str) -> EmailMessage:
    """A plain-text message (UTF-8): no HTML, no tracking, nothing loaded from anywhere."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].rstrip(">") or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
    message.set_content(text)
    message["Content-Language"] = lang  # after set_content, which replaces every Content-* header
    return message


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Mailer(abc.ABC):
    sender: str = "DataCity <no-reply@datacity.localhost>"

    def send(self, to: str, subject: str, text: str, lang: str) -> None:
        """Compose the message and hand it over; MailUnavailable if it could not be."""
        self.deliver(compose(self.sender, to, subject, text, lang))

    @abc.abstractmethod
    def deliver(self, message: EmailMessage) -> None: ...


class OutboxMailer(Mailer):
    """Writes each message as DATA_DIR/outbox/<time>-<random>.eml, readable only by the server's user."""

    def __init__(self, folder: Path):
        self.folder = folder

    def deliver(self, message: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            name = f"{time.time_ns():020d}-{secrets.token_hex(4)}.eml"
            fd = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
        except OSError as error:
            raise MailUnavailable(f"outbox: {error}") from error

    def messages(self, limit: int = 50) -> list[EmailMessage]:
        """The newest messages first, at most `limit`."""
        if not self.folder.is_dir():
            return []
        names = sorted((p for p in self.folder.glob("*.eml")), reverse=True)[:limit]
        parser = BytesParser(policy=policy.default)
        found = []
        for path in names:
            with path.open("rb") as handle:
                found.append(parser.parse(handle))
        return found


class SMTPMailer(Mailer):
    def __init__(
        self, host: str, port: int, starttls: bool = False, tls: bool = False, user: str = "", password: str = ""
    ):
        self.host, self.port, self.starttls, self.tls, self.user, self.password = (
            host,
            port,
            starttls,
            tls,
            user,
            password,
        )

    def deliver(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        try:
            if self.tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
            with client:
                if self.starttls:
                    client.starttls(context=context)
                if self.user:
                    client.login(self.user, self.password)
                client.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable(f"SMTP {self.host}:{self.port}: {error}") from error


class SESMailer(Mailer):
    """Amazon SES (v2 API), the raw message; the sender must be a verified identity (infra/resources.json)."""

    def __init__(self, configuration_set: str = "", client=None):
        self.configuration_set = configuration_set
        self._client = client

    def deliver(self, message: EmailMessage) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        if self._client is None:
            import boto3

            self._client = boto3.client("sesv2")
        extra = {"ConfigurationSetName": self.configuration_set} if self.configuration_set else {}
        try:
            self._client.send_email(Content={"Raw": {"Data": message.as_bytes()}}, **extra)
        except (BotoCoreError, ClientError) as error:
            raise MailUnavailable(f"SES: {error}") from error


def make_mailer(settings) -> Mailer:
    """The mailer the settings name (MAIL): outbox, smtp or ses, sending as MAIL_FROM."""
    mailer = _mailer(settings)
    mailer.sender = settings.mail_from
    return mailer


def _mailer(settings) -> Mailer:
    if settings.mail == "smtp":
        return SMTPMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_starttls,
            settings.smtp_tls,
            settings.smtp_user,
            settings.smtp_password,
        )
    if settings.mail == "ses":
        return SESMailer(settings.ses_configuration_set)
    return OutboxMailer(settings.data_dir / OUTBOX)
