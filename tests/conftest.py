"""Shared fixtures: a database, the demo database, real HTTP servers on 127.0.0.1. Helpers are in tests/kit/."""

from __future__ import annotations

import functools
import http.server
import threading
import time
from pathlib import Path

import pytest
from sqlite_utils import Database

from pipeline.store import ensure_schema
from tests.faults.server import FaultServer
from tests.kit.cli import run_cli
from tests.kit.forking import Forker
from tests.kit.live import LiveStage, serve


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


@pytest.fixture
def live_stage():
    """A local server that plays the live sources; run a spider or the probe with `live_stage.env`."""
    stage = LiveStage()
    server = serve(stage)
    yield stage
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def forker(tmp_path_factory):
    """`chokepoint` commands forked from one warm process (tests/kit/forking.py): one per test session."""
    warm = Forker(tmp_path_factory.mktemp("forked"))
    yield warm
    warm.close()


@pytest.fixture(scope="session")
def fault_server():
    """A real HTTP server on 127.0.0.1 that misbehaves on request (tests/faults/server.py): one per test session."""
    server = FaultServer()
    yield server
    server.close()
