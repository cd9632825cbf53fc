"""The published database: schema, upserts on stable ids, change detection, full-text search.

It never holds private data (watchlists, alerts, subscriptions live in the private database).
"""

from pipeline.store.documents import apply_documents
from pipeline.store.listings import apply_snapshot
from pipeline.store.records import ApplyCounts
from pipeline.store.runs import finish_run, last_good_list_counts, start_run, stream_watermark
from pipeline.store.schema import ensure_schema

__all__ = [
    "ApplyCounts", "apply_documents", "apply_snapshot", "ensure_schema", "finish_run",
    "last_good_list_counts", "start_run", "stream_watermark",
]
