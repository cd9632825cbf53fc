"""A real HTTP server on 127.0.0.1 that misbehaves on purpose: one per test session, serving one site at a time.

A test puts a site up (`serve`: path -> `Answer`) and crawls it; each answer may fail
in one of the ways sources fail: an HTTP status (every time, or a first few times), a
connection reset in the middle of the body, a body cut short with the connection
closed cleanly (no Content-Length to betray it), or a wait longer than the crawl's
timeout. Every request is logged, so a test can tell an entity attack never fetched
its DTD.
"""

from __future__ import annotations

import http.server
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

CONTENT_TYPES = {
    ".csv": "text/csv",  # as trade.gov and OFAC serve them: no charset
    ".json": "application/json",
    ".xml": "application/xml",
    ".html": "text/html",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}


@dataclass
class Answer:
    body: bytes
    statuses: list[int] = field(default_factory=list)  # answered (in order) before the body, one per request
    status: int | None = None  # answered on every request instead of the body
    fault: str | None = None  # "reset", "truncate" or "slow"
    content_type: str | None = None

    def type_for(self, path: str) -> str:
        return self.content_type or CONTENT_TYPES.get(path[path.rfind(".") :].lower(), "application/octet-stream")


class FaultServer:
    def __init__(self):
        self.site: dict[str, Answer] = {}
        self.requests: list[str] = []
        self._served: dict[str, int] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?", 1)[0]
                server.requests.append(path)
                answer = server.site.get(path)
                if answer is None:
                    self._send(404, b"not found", "text/plain")
                    return
                count = server._served[path] = server._served.get(path, 0) + 1
                if count <= len(answer.statuses):
                    self._send(answer.statuses[count - 1], b"error", "text/plain")
                elif answer.status:
                    self._send(answer.status, b"error", "text/plain")
                elif answer.fault == "slow":
                    time.sleep(5)  # past any crawl's --timeout in the suite
                    self._send(200, answer.body, answer.type_for(path))
                elif answer.fault == "reset":
                    self._reset(answer.body, answer.type_for(path))
                elif answer.fault == "truncate":
                    self._truncate(answer.body, answer.type_for(path))
                else:
                    self._send(200, answer.body, answer.type_for(path))

            def _send(self, status: int, body: bytes, content_type: str):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _reset(self, body: bytes, content_type: str):
                """Promise the whole body, send half, then reset the connection (RST, not a clean close)."""
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def _truncate(self, body: bytes, content_type: str):
                """Half the body, no Content-Length, a clean close: the client sees a complete, shorter answer."""
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True

            def log_message(self, *args):
                pass

            def handle(self):
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass  # the crawl gave up on a slow answer

        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def serve(self, site: dict[str, Answer]) -> str:
        """Put `site` up (replacing the last one) and forget earlier requests; returns the base URL."""
        self.site = dict(site)
        self.requests = []
        self._served = {}
        return self.base

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
