"""The crawl lock: one process at a time crawls into (and finishes post-crawl work on) a database.

A lock file beside the database (`chokepoint.db.lock`) held with `flock`. Why a
file lock and not a row in SQLite: the kernel drops an flock when its process
dies, SIGKILL included, so a killed crawl never leaves a stale lock to clean up,
and a run still `running` while nobody holds the lock belongs to a dead process
(`store.runs.mark_interrupted`). SQLite's busy timeout alone would not do: a crawl
reads the stored lists in the gate and writes them at landing, and two crawls
interleaving there would each judge removals against a state the other is
changing. (flock is unreliable on network file systems: keep the database on a
local disk.)

The lock is re-entrant within a process, so `chokepoint daily` can hold it around
`run_crawls`, which takes it too.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from pipeline import store
from pipeline.report import SILENT, Reporter
from pipeline.store.connection import database_file
from spiders.kit import clock

DEFAULT_TIMEOUT = 600.0  # seconds a crawl waits for another to finish before failing
POLL = 0.2

_held: dict[Path, int] = {}  # lock file -> depth, for the locks this process holds


class CrawlLocked(Exception):
    """Another process held the crawl lock for longer than we would wait."""


def lock_file(db_path: Path) -> Path:
    return Path(f"{db_path}.lock")


@contextmanager
def crawl_lock(db_path: Path | None, timeout: float = DEFAULT_TIMEOUT, reporter: Reporter = SILENT) -> Iterator[bool]:
    """Hold the database's crawl lock, waiting up to `timeout` seconds (0: try once); yields True.

    An in-memory database (`db_path` None) has no lock: nothing else can reach it.
    """
    if db_path is None:
        yield True
        return
    path = lock_file(Path(db_path)).resolve()
    if path in _held:
        _held[path] += 1
        try:
            yield True
        finally:
            _held[path] -= 1
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(descriptor, path, timeout, reporter)
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"pid {os.getpid()} since {clock.now()}: {' '.join(sys.argv[1:3])}\n".encode())
        _held[path] = 1
        try:
            yield True
        finally:
            del _held[path]
            os.ftruncate(descriptor, 0)
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def mark_interrupted_runs(db: Database, now: str) -> int:
    """Mark failed the runs a dead process left `running`, unless a crawl is running now; returns how many.

    `chokepoint sources` calls this, so a crawl killed mid-way shows as failing, not as
    the last success it left behind.
    """
    path = database_file(db)
    if path is None:
        return 0
    try:
        with crawl_lock(path, timeout=0):
            return store.mark_interrupted(db, now)
    except CrawlLocked:
        return 0  # a crawl is running: its run is `running` because it is


def _acquire(descriptor: int, path: Path, timeout: float, reporter: Reporter) -> None:
    deadline = time.monotonic() + timeout
    told = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            holder = _holder(path)
            if time.monotonic() >= deadline:
                raise CrawlLocked(
                    f"another crawl holds {path.name} ({holder}); gave up after {timeout:g} s (--lock-timeout)"
                ) from None
            if not told:
                reporter.note(f"waiting for another crawl to finish ({holder}), up to {timeout:g} s")
                told = True
            time.sleep(POLL)


def _holder(path: Path) -> str:
    try:
        return path.read_text().strip() or "a process starting up"
    except OSError:
        return "unknown process"
