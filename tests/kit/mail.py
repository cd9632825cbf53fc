"""A real SMTP server for tests (aiosmtpd on 127.0.0.1, in a thread), and reading the messages it took."""

from __future__ import annotations

import email
import socket
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Inbox:
    """What the server accepted, in order; addresses in `refused` get a 550 at RCPT TO."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(parse(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(login: tuple[str, str] | None = None) -> Iterator[tuple[int, Inbox]]:
    """An SMTP server on 127.0.0.1 for the block; yields its port and inbox. With `login` (user, password)
    it takes mail only from a client that logged in with them (over plain SMTP: it is a test)."""
    inbox = Inbox()
    auth = {}
    if login:

        def authenticator(server, session, envelope, mechanism, data):
            ok = (data.login.decode(), data.password.decode()) == login
            return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself

        auth = {"auth_required": True, "auth_require_tls": False, "authenticator": authenticator}
        warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **auth)
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=default)


def text_of(message: EmailMessage) -> str:
    """The plain-text part, with the line ends a reader sees (the wire's are CRLF)."""
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()
