"""The `crawl_runs` log: one row per crawl, written before it starts and finished after.

The database is published, so the log never holds a path of the machine that
crawled: a recorded copy read from `file:///home/x/corpus/csl.csv` is logged as
`file://…/csl.csv`, in the source URL, the error and the warnings alike.
"""

from __future__ import annotations

import json
import re
from typing import Any

from sqlite_utils import Database

# The published log names a recorded file by its name, never by where it sits on the server.
LOCAL_FILE_URL = re.compile(r"file://(?:localhost)?(/[^\s'\"<>]*)")
LOCAL_PATH = re.compile(r"(?<![\w/:.~%…-])/(?:[^/\s'\"<>]+/)+([^/\s'\"<>]*)")


def without_local_paths(text: str | None) -> str | None:
    """`text` with every file:// URL and absolute path cut to its last part ('file://…/sdn.csv', '…/sdn.csv')."""
    if not text:
        return text
    text = LOCAL_FILE_URL.sub(lambda match: f"file://…/{_last_part(match.group(1))}", text)
    return LOCAL_PATH.sub(lambda match: f"…/{match.group(1)}", text)


def _last_part(path: str) -> str:
    """'/data/ofac/2021-07/' -> '2021-07/', '/data/sdn.csv' -> 'sdn.csv'."""
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return f"{name}/" if path.endswith("/") and name else name


def start_run(db: Database, spider: str, kind: str, source_url: str, now: str, since: str | None = None) -> int:
    with db.atomic():
        table = db["crawl_runs"].insert(
            {
                "spider": spider,
                "kind": kind,
                "source_url": " ".join(without_local_paths(url) for url in source_url.split()),
                "started": now,
                "status": "running",
                "complete": 0,
                "since": since,
            }
        )
    return table.last_pk


def finish_run(db: Database, run_id: int, status: str, now: str, **facts: Any) -> None:
    if "error" in facts:
        facts["error"] = without_local_paths(facts["error"])
    if facts.get("warnings") and not isinstance(facts["warnings"], str):
        facts["warnings"] = [without_local_paths(warning) for warning in facts["warnings"]]
    for key in ("list_counts", "warnings"):
        if key in facts and not isinstance(facts[key], str):
            facts[key] = json.dumps(facts[key], ensure_ascii=False)
    for key in ("error", "warnings"):
        if key in facts:
            facts[key] = without_local_paths(facts[key])
    with db.atomic():
        db["crawl_runs"].update(run_id, {"status": status, "finished": now, **facts})


# A backfill of cited documents records what it asked as its source: "citations: 85 FR 83799,...".
BACKFILL_SOURCE = "citations: "


def stream_watermark(db: Database, source: str) -> str | None:
    """The newest publication date stored for a document stream: the next crawl asks from there.

    Documents a backfill fetched (old rules listings cite) do not count: they say nothing
    about how far the stream itself has been read.
    """
    row = db.execute(
        "SELECT max(d.publication_date) FROM documents d LEFT JOIN crawl_runs r ON r.id = d.first_run_id "
        "WHERE d.source = ? AND (r.source_url IS NULL OR r.source_url NOT LIKE ?)",
        [source, BACKFILL_SOURCE + "%"],
    ).fetchone()
    return row[0] if row else None


INTERRUPTED = (
    "interrupted: the process running this crawl ended before it finished (killed or crashed); nothing of it was stored"
)


def mark_interrupted(db: Database, now: str) -> int:
    """Runs left `running` by a process that is gone become failed; returns how many.

    Call only while holding the crawl lock: every live crawl holds it, so a run still
    `running` then belongs to a dead process.
    """
    with db.atomic():
        cursor = db.execute(
            "UPDATE crawl_runs SET status = 'failed', finished = ?, error = ? WHERE status = 'running'",
            [now, INTERRUPTED],
        )
    return cursor.rowcount
