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

# A file:// URL's directories, or an absolute path's (at least two levels, not inside an http URL).
_LOCAL_DIRECTORIES = re.compile(r"(file://)/(?:[^/\s'\"]+/)+|(?<![\w:/.~-])/(?:[^/\s'\"]+/){2,}")


def without_local_paths(text: str | None) -> str | None:
    """`text` with the directories of local files replaced by "…/" (the file's name stays)."""
    if not text:
        return text
    return _LOCAL_DIRECTORIES.sub(lambda m: f"{m.group(1) or ''}…/", text)


def start_run(db: Database, spider: str, kind: str, source_url: str, now: str, since: str | None = None) -> int:
    with db.atomic():
        table = db["crawl_runs"].insert(
            {
                "spider": spider,
                "kind": kind,
                "source_url": without_local_paths(source_url),
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
    for key in ("error", "warnings"):
        if key in facts:
            facts[key] = without_local_paths(facts[key])
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
