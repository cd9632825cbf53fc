"""Post-crawl work a landed crawl still owes: one row per (run, step) in `pending_steps`.

Landing records the rows in the same transaction as the crawl's data, so a process
killed after landing (before or during screening and tagging) leaves them behind;
the next run, and `chokepoint daily`, finish them first (`pipeline.crawl.run.finish_pending`).
A row holds the `Changes` its step must see, and goes when the step has run.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from sqlite_utils import Database

from pipeline.store.changes import Changes


def record(db: Database, changes: Changes, steps: Iterable[str], now: str) -> None:
    """Owe each of `steps` this run's changes (call inside the landing's transaction)."""
    encoded = json.dumps(_as_dict(changes), ensure_ascii=False)
    db.conn.executemany(
        "INSERT OR REPLACE INTO pending_steps (run_id, step, source, changes, recorded) VALUES (?, ?, ?, ?, ?)",
        [(changes.run_id, step, changes.source, encoded, now) for step in steps],
    )


def owed(db: Database) -> list[tuple[Changes, list[str]]]:
    """Each run's changes with the steps still owed on them, oldest run first."""
    runs: dict[int, tuple[Changes, list[str]]] = {}
    for run_id, step, encoded in db.execute("SELECT run_id, step, changes FROM pending_steps ORDER BY run_id, rowid"):
        if run_id not in runs:
            runs[run_id] = (_from_dict(json.loads(encoded)), [])
        runs[run_id][1].append(step)
    return list(runs.values())


def done(db: Database, run_id: int, step: str) -> None:
    with db.atomic():
        db.execute("DELETE FROM pending_steps WHERE run_id = ? AND step = ?", [run_id, step])


def _as_dict(changes: Changes) -> dict:
    # Every field, so a field added to Changes later is carried through a crash too.
    return {f.name: getattr(changes, f.name) for f in dataclasses.fields(changes)}


def _from_dict(values: dict) -> Changes:
    known = {f.name for f in dataclasses.fields(Changes)}
    return Changes(**{key: tuple(v) if isinstance(v, list) else v for key, v in values.items() if key in known})
