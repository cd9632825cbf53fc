"""The `listing_links` table: what the party graph is built from, writing it, and reading one party's links."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from pipeline.store.citations import covers
from pipeline.store.records import insert_rows

LINK_FIELDS = ("listing_id", "kind", "target_name", "linked_id", "evidence")


def link_inputs(db: Database) -> Iterator[dict[str, Any]]:
    """Every active listing with what links are read from, in id order."""
    yield from db.query(
        "SELECT id, name, alt_names, addresses, remarks, extra, list_code, entity_type FROM listings "
        "WHERE removed_on IS NULL ORDER BY id"
    )


def replace_links(db: Database, links: list[dict[str, Any]]) -> None:
    """The graph, rebuilt whole (call inside the landing's transaction)."""
    db.execute("DELETE FROM listing_links")
    rows = sorted(links, key=lambda link: tuple(link.get(f) or "" for f in LINK_FIELDS))
    insert_rows(db, "listing_links", [{f: link.get(f) for f in LINK_FIELDS} for link in rows])


# One listing's links, both ways: the parents it names, the parties naming it as theirs, and its
# address neighbours (the site's party page runs this too, with :id).
LINKS_OF = (
    "SELECT 'parent' AS role, k.kind, coalesce(l.name, k.target_name) AS name, k.linked_id AS other_id, k.evidence, "
    "l.list_code, l.removed_on FROM listing_links k LEFT JOIN listings l ON l.id = k.linked_id "
    "WHERE k.listing_id = :id AND k.kind = 'linked_to' "
    "UNION ALL "
    "SELECT 'subsidiary', k.kind, l.name, k.listing_id, k.evidence, l.list_code, l.removed_on "
    "FROM listing_links k JOIN listings l ON l.id = k.listing_id WHERE k.linked_id = :id AND k.kind = 'linked_to' "
    "UNION ALL "
    "SELECT 'shares an address', k.kind, k.target_name, k.linked_id, k.evidence, l.list_code, l.removed_on "
    "FROM listing_links k LEFT JOIN listings l ON l.id = k.linked_id "
    "WHERE k.listing_id = :id AND k.kind = 'shared_address' "
    "ORDER BY 1, 3, 4"
)


def links_of(db: Database, listing_id: str) -> list[dict[str, Any]]:
    """One listing's links (LINKS_OF); none in a database made before the graph existed."""
    if not db["listing_links"].exists():
        return []
    return list(db.query(LINKS_OF, {"id": listing_id}))


def parents_of(db: Database, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per listing id, the parents its listing names, listed or not, in a fixed order."""
    if not ids or not db["listing_links"].exists():
        return {}
    parents: dict[str, list[dict[str, Any]]] = {}
    rows = db.query(
        "SELECT k.listing_id, k.target_name, k.linked_id, l.list_code, l.name FROM listing_links k "
        "LEFT JOIN listings l ON l.id = k.linked_id AND l.removed_on IS NULL "
        "WHERE k.kind = 'linked_to' AND k.listing_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY k.listing_id, k.target_name, k.linked_id",
        [json.dumps(sorted(set(ids)))],
    )
    for row in rows:
        parents.setdefault(row["listing_id"], []).append(row)
    return parents


def inspection_pairs(db: Database) -> list[dict[str, Any]]:
    """Each public-inspection filing stored beside its published version (the `public_inspection_links` view)."""
    return list(
        db.query(
            "SELECT document_number, publisher, filed_at, publication_date, status FROM public_inspection_links "
            "ORDER BY document_number"
        )
    )


# A listing that appeared after its source's first stored crawl (the ones there from the start tell
# nothing of when they appeared), with the latest cited rule published on or before that day.
APPEARANCES = f"""
SELECT l.id AS listing_id, l.list_code, l.first_seen, d.document_number, d.publisher, d.publication_date
FROM listings l
JOIN listing_citations c ON c.listing_id = l.id
JOIN documents d ON {covers(published_only=False)}
WHERE l.first_run_id > (SELECT min(f.first_run_id) FROM listings f
                        WHERE f.source = l.source)
  AND d.publication_date <= substr(l.first_seen, 1, 10)
  AND d.publication_date = (
    SELECT max(d2.publication_date) FROM listing_citations c2
    JOIN documents d2 ON {covers("d2", "c2", published_only=False)}
    WHERE c2.listing_id = l.id AND d2.publication_date <= substr(l.first_seen, 1, 10))
GROUP BY l.id
ORDER BY l.id
"""


def appearance_pairs(db: Database) -> list[dict[str, Any]]:
    """Each listing first seen after its source's first crawl, beside the rule it cites (APPEARANCES)."""
    return list(db.query(APPEARANCES))
