"""A local server that plays the live sources (spiders/kit/mirror.py sends every live request to it).

A test says what each live URL answers (`answer`, `redirect`, or a function of the
request's headers for a firewall that judges the User-Agent or a challenge cookie),
runs a spider or the probe with `env` (CHOKEPOINT_LIVE_MIRROR), and reads back
what was asked (`requests`). A URL nobody played answers 404.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from spiders.kit.mirror import ENVIRONMENT

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Asked:
    url: str  # the live URL, without its scheme: host/path?query
    headers: dict[str, str]


@dataclass
class LiveStage:
    base: str = ""
    answers: dict[str, Callable[[dict[str, str]], Answer]] = field(default_factory=dict)
    requests: list[Asked] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {ENVIRONMENT: self.base}

    def answer(self, url: str, body: str | bytes = b"", status: int = 200, content_type: str = "text/plain") -> None:
        data = body.encode() if isinstance(body, str) else body
        self.answers[_key(url)] = lambda headers: (status, {"Content-Type": content_type}, data)

    def cut_short(self, url: str, body: bytes, at: int) -> None:
        """Announce the whole body's length, send its first `at` bytes and close (a download cut short)."""
        self.answers[_key(url)] = lambda headers: (200, {"Content-Length": str(len(body))}, body[:at])

    def redirect(self, url: str, to: str, status: int = 302) -> None:
        self.answers[_key(url)] = lambda headers: (status, {"Location": to}, b"")

    def play(self, url: str, answer: Callable[[dict[str, str]], Answer]) -> None:
        """Answer by the request's headers (a firewall keyed on the User-Agent, a challenge cookie)."""
        self.answers[_key(url)] = answer

    def asked(self, url: str) -> list[Asked]:
        return [request for request in self.requests if request.url == _key(url)]

    def respond(self, path: str, headers: dict[str, str]) -> Answer:
        key = path.lstrip("/")
        self.requests.append(Asked(key, headers))
        answer = self.answers.get(key) or self.answers.get(key.split("?", 1)[0])
        if answer is None:
            return 404, {"Content-Type": "text/plain"}, f"not played: {key}".encode()
        return answer(headers)


def _key(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class _Handler(http.server.BaseHTTPRequestHandler):
    stage: LiveStage

    def do_GET(self):
        status, headers, body = self.stage.respond(self.path, {k.lower(): v for k, v in self.headers.items()})
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *args):
        pass


def serve(stage: LiveStage):
    """Start the stage's server on 127.0.0.1; returns the server (shut it down when done)."""
    handler = type("StageHandler", (_Handler,), {"stage": stage})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stage.base = f"http://127.0.0.1:{server.server_address[1]}"
    return server
