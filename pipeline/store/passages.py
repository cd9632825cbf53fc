"""The `listing_passages` table: what a rebuild reads (cited documents with text, the listings citing
them), writing it whole, and reading one listing's passages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from pipeline.store.citations import covers
from pipeline.store.records import insert_rows

PASSAGE_FIELDS = ("listing_id", "citation", "document_id", "document_number", "passage", "matched_name")
# A citation is covered by a published document (not a public-inspection filing) whose pages hold it.
_COVERS = covers()


def cited_texts(db: Database) -> Iterator[dict[str, Any]]:
    """Each stored document with full text that a listing cites, in id order (one text in memory at a time)."""
    ids = [
        row["id"]
        for row in db.query(
            f"SELECT DISTINCT d.id FROM listing_citations c JOIN documents d ON {_COVERS} "
            "WHERE d.full_text IS NOT NULL ORDER BY d.id"
        )
    ]
    for document_id in ids:
        yield next(db.query("SELECT id, document_number, full_text FROM documents WHERE id = ?", [document_id]))


def citing(db: Database, document_id: str) -> list[dict[str, Any]]:
    """The listings (removed ones too) citing a page of the document, with their names, in a fixed order."""
    return list(
        db.query(
            f"SELECT c.listing_id, c.citation, l.name, l.alt_names FROM documents d "
            f"JOIN listing_citations c ON {_COVERS} JOIN listings l ON l.id = c.listing_id "
            "WHERE d.id = ? ORDER BY c.listing_id, c.citation",
            [document_id],
        )
    )


def touched(db: Database, listing_ids: list[str], document_ids: list[str]) -> bool:
    """Whether a landing changed a listing that cites a rule (or had a passage), or a document with full text.

    A table still empty while passages could be read (a database older than the table) counts too.
    """
    cites = db.execute(
        "SELECT 1 FROM listing_citations WHERE listing_id IN (SELECT value FROM json_each(?)) LIMIT 1",
        [json.dumps(listing_ids)],
    ).fetchone()
    texts = db.execute(
        "SELECT 1 FROM documents WHERE id IN (SELECT value FROM json_each(?)) AND full_text IS NOT NULL LIMIT 1",
        [json.dumps(document_ids)],
    ).fetchone()
    # A listing that had a passage and lost its citation must lose the passage too.
    had = db.execute(
        "SELECT 1 FROM listing_passages WHERE listing_id IN (SELECT value FROM json_each(?)) LIMIT 1",
        [json.dumps(listing_ids)],
    ).fetchone()
    never_built = db.execute("SELECT 1 FROM listing_passages LIMIT 1").fetchone() is None and (
        db.execute(
            f"SELECT 1 FROM listing_citations c JOIN documents d ON {_COVERS} WHERE d.full_text IS NOT NULL LIMIT 1"
        ).fetchone()
    )
    return bool(cites or texts or had or never_built)


def replace_passages(db: Database, passages: list[dict[str, Any]]) -> None:
    """The passages, rebuilt whole (call inside the landing's transaction)."""
    db.execute("DELETE FROM listing_passages")
    rows = sorted(passages, key=lambda row: tuple(row.get(f) or "" for f in PASSAGE_FIELDS[:3]))
    insert_rows(db, "listing_passages", [{f: row.get(f) for f in PASSAGE_FIELDS} for row in rows])


def coverage(db: Database, list_codes: list[str]) -> dict[str, int]:
    """Among active listings of these lists whose citation resolves to a stored rule: how many have that rule's
    text stored, and how many a passage."""
    marks = ",".join("?" * len(list_codes))
    row = db.execute(
        f"SELECT count(DISTINCT c.listing_id), "
        f"count(DISTINCT CASE WHEN d.full_text IS NOT NULL THEN c.listing_id END), "
        f"count(DISTINCT p.listing_id) "
        f"FROM listing_citations c JOIN listings l ON l.id = c.listing_id JOIN documents d ON {_COVERS} "
        f"LEFT JOIN listing_passages p ON p.listing_id = c.listing_id AND p.citation = c.citation "
        f"AND p.document_id = d.id WHERE l.removed_on IS NULL AND l.list_code IN ({marks})",
        list_codes,
    ).fetchone()
    return {"resolved": row[0], "with_text": row[1], "with_passage": row[2]}


def passages_in(db: Database, document_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The passages read from one document, by (listing id, citation)."""
    if not db["listing_passages"].exists():
        return {}
    rows = db.query("SELECT * FROM listing_passages WHERE document_id = ?", [document_id])
    return {(row["listing_id"], row["citation"]): row for row in rows}
