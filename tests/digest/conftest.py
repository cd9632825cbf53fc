"""The digest tests' setting: a copy of the demo database to change, its private database beside it, a real
SMTP server, and `chokepoint` run against them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.kit.cli import FROZEN_NOW, run_cli
from tests.kit.mail import Inbox, smtp_server


@dataclass
class Setting:
    db: Path
    private: Path
    port: int
    inbox: Inbox

    def run(self, *args: str, now: str = FROZEN_NOW, env: dict[str, str] | None = None):
        """`chokepoint ARGS --db ... --private-db ...` (the SMTP port in CHOKEPOINT_SMTP_*)."""
        variables = {"CHOKEPOINT_SMTP_HOST": "127.0.0.1", "CHOKEPOINT_SMTP_PORT": str(self.port), **(env or {})}
        return run_cli(*args, "--db", str(self.db), "--private-db", str(self.private), now=now, env=variables)

    def digest(self, *args: str, now: str = FROZEN_NOW):
        return self.run("digest", *args, now=now)

    def subscribe(self, email: str, *args: str):
        result = self.run("subscribe", email, *args)
        assert result.returncode == 0, result.stderr
        return result


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of a SQLite file (its WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.fixture
def setting(tmp_path, demo_db) -> Setting:
    """The demo data (crawled at the frozen clock), an empty private database and an SMTP server on 127.0.0.1."""
    with smtp_server() as (port, inbox):
        yield Setting(copy_database(demo_db, tmp_path / "chokepoint.db"), tmp_path / "private.db", port, inbox)
