"""One job of a kind at a time: an exclusive, non-blocking lock on a file.

An flock: the kernel releases it when its holder ends, however it ends, so a killed run never
leaves a stale lock behind. The file keeps the holder's pid and start for the message. `chokepoint
daily` holds one for the whole day's job and every digest run one of its own (two digest runs at
once could send a subscriber the same window twice). Issue 11's crawl lock belongs here too.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spiders.kit import clock


class AlreadyRunning(RuntimeError):
    """Another process holds the lock."""


@contextmanager
def exclusive(path: Path, job: str) -> Iterator[None]:
    """Hold the lock on `path` for the block, or raise AlreadyRunning at once, naming `job` and the holder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise AlreadyRunning(f"another `{job}` is running ({holder}; lock {path})") from None
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {clock.now()}\n")
        handle.flush()
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
