"""Labels on stored documents and listings: what tagging reads of a row, the label columns it writes,
and people's corrections, which outrank the model.

Only label columns are written, so the full-text index is untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pipeline.store.records import chunks, to_json

# A document without an abstract (MOFCOM's announcements) is read from the start of its text instead:
# the operative paragraphs ("...对镓、锗相关物项实施出口管制") come first.
FULL_TEXT_CHARS = 600
# What tagging reads of a row, with the model and text hash it was last tagged with.
_SELECTED = {
    "documents": f"id, title, abstract, action, type, agencies, substr(full_text, 1, {FULL_TEXT_CHARS}) AS full_text_start",
    "listings": "id, name, list_name, entity_type, programs, alt_names, addresses, title, remarks, license_policy",
}
_LABELLED = "labels_model, labels_input_hash"
ITEM_TYPES = {"documents": "document", "listings": "listing"}
TABLES = {item_type: table for table, item_type in ITEM_TYPES.items()}


class UnknownItem(LookupError):
    """No stored document or listing has this id."""


@dataclass(frozen=True)
class Correction:
    """The correction in force for one item (labels None: withdrawn, the model's tags apply again)."""

    id: int
    item_type: str
    item_id: str
    dimensions: list[str] | None
    industries: list[str] | None
    note: str
    reviewer: str
    at: str


def rows_to_label(db: Database, table: str, ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of `table` with these ids (every row, in storage order, when None)."""
    columns = f"{_SELECTED[table]}, {_LABELLED}"
    if ids is None:
        yield from db.query(f"SELECT {columns} FROM [{table}] ORDER BY rowid")
        return
    for batch in chunks(ids):
        marks = ",".join("?" * len(batch))
        yield from db.query(f"SELECT {columns} FROM [{table}] WHERE id IN ({marks})", batch)


def corrections_in_force(db: Database, table: str, ids: list[str] | None = None) -> dict[str, Correction]:
    """The newest correction of each item of `table` that has one (only these ids, when given)."""
    query = (
        "SELECT * FROM label_corrections c WHERE item_type = ? AND id = "
        "(SELECT max(id) FROM label_corrections WHERE item_type = c.item_type AND item_id = c.item_id)"
    )
    rows: list[dict[str, Any]] = []
    if ids is None:
        rows = list(db.query(query + " ORDER BY id", [ITEM_TYPES[table]]))
    else:
        for batch in chunks(ids):
            marks = ",".join("?" * len(batch))
            rows += db.query(f"{query} AND item_id IN ({marks}) ORDER BY id", [ITEM_TYPES[table], *batch])
    return {row["item_id"]: _correction(row) for row in rows}


def _correction(row: dict[str, Any]) -> Correction:
    def labels(cell: str | None) -> list[str] | None:
        return None if cell is None else json.loads(cell)

    return Correction(
        row["id"],
        row["item_type"],
        row["item_id"],
        labels(row["dimensions"]),
        labels(row["industries"]),
        row["note"],
        row["reviewer"],
        row["at"],
    )


def write_labels(db: Database, table: str, model: str, labelled: list[tuple[str, str, Any]]) -> None:
    """Store (id, input hash, result) for each row, in one transaction.

    The model's tags always go to `model_*`; they become the tags in force unless
    a person's correction is in force for the row, which then stays.
    """
    corrected = corrections_in_force(db, table, [row_id for row_id, _, _ in labelled])
    values = []
    for row_id, digest, result in labelled:
        correction = corrected.get(row_id)
        by_person = correction is not None and correction.dimensions is not None
        dimensions = correction.dimensions if by_person else result.dimensions
        industries = correction.industries if by_person else result.industries
        values.append(
            (
                to_json(dimensions),
                to_json(industries),
                to_json(result.dimensions),
                to_json(result.industries),
                to_json(result.scores),
                result.confidence,
                0 if by_person else int(result.needs_review),
                "person" if by_person else "model",
                model,
                digest,
                row_id,
            )
        )
    with db.atomic():
        db.conn.executemany(
            f"UPDATE [{table}] SET dimensions = ?, industries = ?, model_dimensions = ?, model_industries = ?, "
            "label_scores = ?, label_confidence = ?, needs_review = ?, labels_by = ?, labels_model = ?, "
            "labels_input_hash = ? WHERE id = ?",
            values,
        )


def find_item(db: Database, item_id: str) -> tuple[str, dict[str, Any]]:
    """(table, row) of the document or listing with this id; UnknownItem when neither has it."""
    for table in ("listings", "documents"):
        row = next(db.query(f"SELECT * FROM [{table}] WHERE id = ?", [item_id]), None)
        if row is not None:
            return table, row
    raise UnknownItem(
        f"no document or listing has id {item_id!r} (ids look like csl:EL:123 or federal_register:2023-12345)"
    )


def record_correction(
    db: Database,
    item_id: str,
    dimensions: list[str] | None,
    industries: list[str] | None,
    note: str,
    reviewer: str,
    at: str,
) -> tuple[int, str]:
    """Record a person's tags for one item and put them in force at once; (correction id, table).

    `dimensions` and `industries` None withdraw the item's correction: the model's tags apply again.
    """
    table, row = find_item(db, item_id)
    by_person = dimensions is not None
    with db.atomic():
        correction_id = (
            db["label_corrections"]
            .insert(
                {
                    "item_type": ITEM_TYPES[table],
                    "item_id": item_id,
                    "dimensions": to_json(dimensions) if by_person else None,
                    "industries": to_json(industries) if by_person else None,
                    "note": note,
                    "reviewer": reviewer,
                    "at": at,
                    "model_dimensions": row.get("model_dimensions"),
                    "model_industries": row.get("model_industries"),
                    "model_version": row.get("labels_model"),
                }
            )
            .last_pk
        )
        db.execute(
            f"UPDATE [{table}] SET dimensions = ?, industries = ?, labels_by = ?, needs_review = ? WHERE id = ?",
            [
                to_json(dimensions) if by_person else row.get("model_dimensions"),
                to_json(industries) if by_person else row.get("model_industries"),
                "person" if by_person else ("model" if row.get("model_dimensions") is not None else None),
                0 if by_person else row.get("needs_review"),
                item_id,
            ],
        )
    return correction_id, table


def correction_history(db: Database, item_id: str) -> list[dict[str, Any]]:
    """Every correction recorded for one item, oldest first."""
    return list(db.query("SELECT * FROM label_corrections WHERE item_id = ? ORDER BY id", [item_id]))
