"""Where a digest goes: an SMTP server, or `.eml` files (`--dry-run DIR`)."""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path


class DeliveryFailed(RuntimeError):
    """The SMTP server did not take the message (or could not be reached): it was not delivered."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None  # only ever from CHOKEPOINT_SMTP_PASSWORD
    starttls: bool = False
    sender: str = "chokepoint@localhost"
    timeout: float = 30.0


class SmtpOutbox:
    """Sends each message in its own SMTP session, so one refused address never holds up the others."""

    records = True  # what it delivers goes into the sent log

    def __init__(self, settings: SmtpSettings):
        self.settings = settings

    @property
    def sender(self) -> str:
        return self.settings.sender

    def deliver(self, message: EmailMessage | bytes, recipient: str, name: str) -> None:
        settings = self.settings
        raw = message if isinstance(message, bytes) else as_bytes(message)
        try:
            with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.user:
                    smtp.login(settings.user, settings.password or "")
                refused = smtp.sendmail(settings.sender, [recipient], raw)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed(f"{recipient}: {_describe(error)}") from None
        if refused:
            raise DeliveryFailed(f"{recipient}: refused: {refused[recipient]}")


class DryRunOutbox:
    """Writes each message to DIR as `<name>.eml` (the subscription id and address); records nothing in the sent log."""

    records = False

    def __init__(self, directory: Path, sender: str = "chokepoint@localhost"):
        self.directory = Path(directory)
        self.sender = sender
        self.written: list[Path] = []

    def deliver(self, message: EmailMessage | bytes, recipient: str, name: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{re.sub(r'[^A-Za-z0-9@._+-]', '_', name)}.eml"
        path.write_bytes(message if isinstance(message, bytes) else as_bytes(message))
        self.written.append(path)


def as_bytes(message: EmailMessage) -> bytes:
    """The message as it goes on the wire (CRLF line ends)."""
    return message.as_bytes(policy=SMTP)


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode(errors='replace') if isinstance(error.smtp_error, bytes) else error.smtp_error}"
    return f"{type(error).__name__}: {error}"
