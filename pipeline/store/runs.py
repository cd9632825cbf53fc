"""The `crawl_runs` log: one row per crawl, written before it starts and finished after."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def start_run(db: Database, spider: str, kind: str, source_url: str, now: str, since: str | None = None) -> int:
    with db.atomic():
        table = db["crawl_runs"].insert(
            {
                "spider": spider,
                "kind": kind,
                "source_url": source_url,
                "started": now,
                "status": "running",
                "complete": 0,
                "since": since,
            }
        )
    return table.last_pk


def finish_run(db: Database, run_id: int, status: str, now: str, **facts: Any) -> None:
    for key in ("list_counts", "warnings"):
        if key in facts and not isinstance(facts[key], str):
            facts[key] = json.dumps(facts[key], ensure_ascii=False)
    with db.atomic():
        db["crawl_runs"].update(run_id, {"status": status, "finished": now, **facts})


def last_good_list_counts(db: Database, spider: str) -> dict[str, int]:
    """Items per list in the spider's last successful crawl ({} when there was none)."""
    row = db.execute(
        "SELECT list_counts FROM crawl_runs WHERE spider = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1",
        [spider],
    ).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def stream_watermark(db: Database, source: str) -> str | None:
    """The newest publication date stored for a document stream: the next crawl asks from there."""
    row = db.execute("SELECT max(publication_date) FROM documents WHERE source = ?", [source]).fetchone()
    return row[0] if row else None
