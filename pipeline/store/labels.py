"""Labels on stored documents and listings: the part of a row tagging reads, and the label columns it writes.

Only label columns are written, so the full-text index is untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from pipeline.store.records import chunks, to_json

# A document without an abstract (MOFCOM's announcements) is read from the start of its text instead:
# the operative paragraphs ("...对镓、锗相关物项实施出口管制") come first.
FULL_TEXT_CHARS = 600
# What tagging reads of a row, with the model and text hash it was last tagged with.
_SELECTED = {
    "documents": f"id, title, abstract, action, type, agencies, substr(full_text, 1, {FULL_TEXT_CHARS}) AS full_text_start",
    "listings": "id, name, list_name, entity_type, programs, addresses, title, remarks, license_policy",
}
_LABELLED = "labels_model, labels_input_hash"


def rows_to_label(db: Database, table: str, ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of `table` with these ids (every row, in storage order, when None)."""
    columns = f"{_SELECTED[table]}, {_LABELLED}"
    if ids is None:
        yield from db.query(f"SELECT {columns} FROM [{table}] ORDER BY rowid")
        return
    for batch in chunks(ids):
        marks = ",".join("?" * len(batch))
        yield from db.query(f"SELECT {columns} FROM [{table}] WHERE id IN ({marks})", batch)


def write_labels(db: Database, table: str, model: str, labelled: list[tuple[str, str, Any]]) -> None:
    """Store (id, input hash, result with dimensions, industries and scores) for each row, in one transaction."""
    with db.atomic():
        db.conn.executemany(
            f"UPDATE [{table}] SET dimensions = ?, industries = ?, label_scores = ?, labels_model = ?, "
            "labels_input_hash = ? WHERE id = ?",
            [
                (to_json(result.dimensions), to_json(result.industries), to_json(result.scores), model, digest, row_id)
                for row_id, digest, result in labelled
            ],
        )
