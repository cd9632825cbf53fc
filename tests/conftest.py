"""Shared test fixtures: a database, the CLI as a real subprocess, saved responses."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from sqlite_utils import Database

from pipeline.store import ensure_schema
from spiders.kit.items import unbatch

ROOT = Path(__file__).resolve().parents[1]
FILES = Path(__file__).resolve().parent / "files"
SAMPLES = ROOT / "pipeline" / "demo_data"
CHOKEPOINT = Path(sys.executable).parent / "chokepoint"
FROZEN_NOW = "2026-11-28T12:00:00Z"


@pytest.fixture
def db() -> Database:
    database = Database(memory=True)
    ensure_schema(database)
    return database


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A database built by `chokepoint demo --no-serve` from the bundled samples (built once per test session)."""
    folder = tmp_path_factory.mktemp("demo")
    db_path = folder / "chokepoint.db"
    run_cli("demo", "--no-serve", "--db", str(db_path), "--private-db", str(folder / "private.db"), check=True)
    return db_path


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "chokepoint.db"


def run_cli(*args: str, now: str = FROZEN_NOW, check: bool = False, input: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the installed `chokepoint` command in its own process (Scrapy's reactor runs once per process)."""
    environment = {**os.environ, "CHOKEPOINT_NOW": now, **(env or {})}
    result = subprocess.run([str(CHOKEPOINT), *args], capture_output=True, text=True, env=environment,
                            input=input, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"chokepoint {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def response_for(path: Path, url: str | None = None, response_class=None) -> TextResponse:
    """A Scrapy response built from a saved file, as the spider would receive it."""
    url = url or path.as_uri()
    body = path.read_bytes()
    if response_class is None:
        suffix = path.suffix.lower()
        response_class = {".html": HtmlResponse, ".htm": HtmlResponse, ".xml": XmlResponse}.get(suffix, TextResponse)
    return response_class(url=url, body=body, encoding="utf-8", request=Request(url))


def parse_items(spider, response, callback=None) -> list:
    """Every item a callback yields for a response, batches unpacked (requests are dropped)."""
    callback = callback or spider.parse
    return [obj for obj in unbatch(callback(response)) if not isinstance(obj, Request)]


class _ReplayHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a directory, plus /status/NNN (answers that status) and /slow/S/... (waits S seconds first)."""

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if parts[0] == "status":
            self.send_response(int(parts[1]))
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"error")
            return
        if parts[0] == "slow":
            time.sleep(float(parts[1]))
            self.path = "/" + "/".join(parts[2:])
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server(tmp_path):
    """A real HTTP server on 127.0.0.1 serving tmp_path/www; yields its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_ReplayHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()
    server.server_close()
