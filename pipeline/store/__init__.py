"""The published database: every statement against it lives in this package.

`schema` (recorded migrations, FTS triggers), `records` (items to rows, hashes,
diffs), `listings` and `documents` (applying a crawl), `runs` (the crawl log),
`changes` (what a landed crawl changed), `labels` (what tagging reads and writes),
`listed` (what screening reads), `registry` (the sources table and its health view).
It never holds private data (watchlists, alerts, subscriptions live in the private database).
"""

from pipeline.store.documents import apply_documents, plan_documents
from pipeline.store.listings import apply_snapshot, plan_snapshot
from pipeline.store.records import ApplyCounts
from pipeline.store.runs import finish_run, mark_interrupted, start_run, stream_watermark
from pipeline.store.schema import ensure_schema

__all__ = [
    "ApplyCounts",
    "apply_documents",
    "apply_snapshot",
    "ensure_schema",
    "finish_run",
    "mark_interrupted",
    "plan_documents",
    "plan_snapshot",
    "start_run",
    "stream_watermark",
]
