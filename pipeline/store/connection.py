"""The published database's file and its write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database


def database_file(db: Database) -> Path | None:
    """The file behind `db`, or None for an in-memory database."""
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One transaction that takes SQLite's write lock at its start (BEGIN IMMEDIATE).

    A deferred transaction that reads first and writes later fails at once with
    "database is locked" when another connection wrote in between; an immediate one
    waits its turn (busy_timeout) and then reads what it will write over.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.execute("COMMIT")
