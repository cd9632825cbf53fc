"""What a timeline reads: one party and the parties tied to it, or every document and listing tagged with one
label, each with its date, its jurisdiction, and the Federal Register rules a listing cites.

Read only. Tagged items are found through the search facet tables (store/search/facets.py), which
the store keeps in step with the items' `dimensions` and `industries`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from pipeline.store.citations import PUBLIC_INSPECTION, covers
from pipeline.store.dated import first_listing_runs  # noqa: F401 (the same rule as trends: per source)
from pipeline.store.links import links_of

DOCUMENT_FIELDS = (
    "d.id, d.source, d.document_number, d.publication_date, d.jurisdiction, d.publisher, d.title, d.type, "
    "d.dimensions, d.industries"
)
# A public-inspection filing whose published version is stored is the same measure: the published copy stands for it.
PUBLISHED_ONCE = (
    f"NOT (d.source = '{PUBLIC_INSPECTION}' AND EXISTS (SELECT 1 FROM documents p "
    "WHERE p.source = 'federal_register' AND p.document_number = d.document_number))"
)
LISTING_FIELDS = (
    "l.id, l.name, l.source, l.list_code, l.list_name, l.start_date, l.first_seen, l.first_run_id, l.removed_on, "
    "l.dimensions, l.industries, s.jurisdiction, s.publisher"
)
FACET_FOR = {"industry": "industries", "dimension": "dimensions"}


def _ids(ids: Iterable[str]) -> str:
    return json.dumps(sorted(set(ids)))


def listing(db: Database, listing_id: str) -> dict[str, Any] | None:
    """The listing under `listing_id`, or under the id its source gives it now when `listing_id` is an old one."""
    rows = list(
        db.query(
            f"SELECT {LISTING_FIELDS} FROM listings l LEFT JOIN sources s ON s.spider = l.source WHERE l.id = :id "
            "OR l.id = (SELECT listing_id FROM listing_aliases WHERE alias_id = :id) ORDER BY l.id = :id DESC LIMIT 1",
            {"id": listing_id},
        )
    )
    return rows[0] if rows else None


def listings(db: Database, ids: Iterable[str]) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT {LISTING_FIELDS} FROM listings l LEFT JOIN sources s ON s.spider = l.source "
            "WHERE l.id IN (SELECT value FROM json_each(?)) ORDER BY l.id",
            [_ids(ids)],
        )
    )


def linked(db: Database, listing_id: str) -> list[dict[str, Any]]:
    """The stored listings the party graph ties to this one (parent, subsidiary, shared address)."""
    return [link for link in links_of(db, listing_id) if link["other_id"]]


def same_name(db: Database, party: dict[str, Any]) -> list[dict[str, Any]]:
    """Listings of the same name (ignoring case) on other lists: the same party as another government lists it."""
    return list(
        db.query(
            f"SELECT {LISTING_FIELDS} FROM listings l LEFT JOIN sources s ON s.spider = l.source "
            "WHERE lower(l.name) = lower(:name) AND l.id != :id AND NOT (l.source = :source AND l.list_code = :list) "
            "ORDER BY l.id",
            {"name": party["name"], "id": party["id"], "source": party["source"], "list": party["list_code"]},
        )
    )


def cited_rules(db: Database, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Per listing, each Federal Register citation in its entry and the stored rule covering it (None: not stored)."""
    return list(
        db.query(
            "SELECT c.listing_id, c.citation, c.volume, c.page, d.id AS document_id, d.title, d.publication_date "
            f"FROM listing_citations c LEFT JOIN documents d ON {covers()} "
            "WHERE c.listing_id IN (SELECT value FROM json_each(?)) ORDER BY c.listing_id, c.volume, c.page, d.id",
            [_ids(ids)],
        )
    )


def announcements(db: Database, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Per listing, the stored announcement its entry names (MOFCOM's parties name theirs)."""
    return list(
        db.query(
            "SELECT l.id AS listing_id, d.id AS document_id, d.title, d.publication_date FROM listings l "
            "JOIN documents d ON d.source = l.source AND d.document_number = json_extract(l.extra, '$.announcement') "
            "WHERE l.id IN (SELECT value FROM json_each(?)) AND json_valid(l.extra) ORDER BY l.id, d.id",
            [_ids(ids)],
        )
    )


def documents(db: Database, ids: Iterable[str]) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT {DOCUMENT_FIELDS} FROM documents d WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id",
            [_ids(ids)],
        )
    )


def _tagged(table: str, facet: str) -> str:
    facets = "document_facets" if table == "documents" else "listing_facets"
    return (
        f"rowid IN (SELECT f.item_rowid FROM [{facets}] f JOIN search_facet_values v ON v.id = f.value_id "
        f"WHERE v.facet = '{facet}' AND v.value = :label)"
    )


def tagged_documents(db: Database, facet: str, label: str) -> list[dict[str, Any]]:
    """Every document tagged with `label` (facet "industry" or "dimension"), a published copy once."""
    return list(
        db.query(
            f"SELECT {DOCUMENT_FIELDS} FROM documents d WHERE d.{_tagged('documents', facet)} AND {PUBLISHED_ONCE} "
            "ORDER BY d.id",
            {"label": label},
        )
    )


def tagged_listings(db: Database, facet: str, label: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT {LISTING_FIELDS} FROM listings l LEFT JOIN sources s ON s.spider = l.source "
            f"WHERE l.{_tagged('listings', facet)} ORDER BY l.id",
            {"label": label},
        )
    )


def coverage(db: Database, facet: str) -> dict[str, int]:
    """How many documents and listings are stored, and how many of each carry no `facet` tag yet."""
    column = FACET_FOR[facet]
    documents_row = db.execute(
        f"SELECT count(*), sum({column} IS NULL) FROM documents d WHERE {PUBLISHED_ONCE}"
    ).fetchone()
    listings_row = db.execute(f"SELECT count(*), sum({column} IS NULL) FROM listings").fetchone()
    return {
        "documents": documents_row[0],
        "documents_untagged": documents_row[1] or 0,
        "listings": listings_row[0],
        "listings_untagged": listings_row[1] or 0,
    }


# Where a measure's confirmed responses are read from (a database older than its migration has none).
RESPONSES = "measure_responses"


def responses(db: Database, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Links a person confirmed between any of the documents `ids` and another, both ways; none before the table
    exists. A suggestion is the ranking's guess (shown, as such, on the measure page), not history to draw."""
    if not db[RESPONSES].exists():
        return []
    return list(
        db.query(
            "SELECT r.measure_id, r.response_id, r.score, r.explanation, r.status FROM measure_responses r "
            "WHERE r.status = 'confirmed' AND (r.measure_id IN (SELECT value FROM json_each(:ids)) "
            "OR r.response_id IN (SELECT value FROM json_each(:ids))) ORDER BY r.measure_id, r.response_id",
            {"ids": _ids(ids)},
        )
    )


def jurisdictions(db: Database) -> list[str]:
    """Every jurisdiction a stored document or a registered source is from."""
    return [
        row[0]
        for row in db.execute(
            "SELECT jurisdiction FROM documents WHERE jurisdiction IS NOT NULL UNION "
            "SELECT jurisdiction FROM sources WHERE jurisdiction IS NOT NULL ORDER BY 1"
        )
    ]
