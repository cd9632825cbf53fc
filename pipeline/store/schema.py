"""The published database's schema, as recorded, re-runnable migrations.

Full-text indexes use hand-written triggers that fire only when an indexed
column changes: sqlite-utils' own triggers fire on every UPDATE, which would
rewrite the whole index each time a crawl touches `last_seen`.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("chokepoint")

LISTING_FTS_COLUMNS = ("name", "alt_names", "addresses")
DOCUMENT_FTS_COLUMNS = ("title", "abstract", "full_text")

LISTING_COLUMNS = {
    "id": str, "source": str, "list_code": str, "list_name": str, "entry_id": str,
    "name": str, "entity_type": str, "alt_names": str, "addresses": str, "countries": str,
    "country": str, "programs": str, "ids": str, "title": str, "remarks": str,
    "federal_register_notice": str, "start_date": str, "end_date": str,
    "license_requirement": str, "license_policy": str, "dates_of_birth": str,
    "places_of_birth": str, "nationalities": str, "citizenships": str,
    "source_list_url": str, "source_information_url": str, "extra": str,
    "content_hash": str, "first_seen": str, "last_seen": str, "last_changed": str,
    "removed_on": str, "first_run_id": int, "last_run_id": int,
}

DOCUMENT_COLUMNS = {
    "id": str, "source": str, "document_number": str, "title": str, "type": str, "subtype": str,
    "publication_date": str, "jurisdiction": str, "publisher": str, "abstract": str, "action": str,
    "dates": str, "effective_on": str, "citation": str, "volume": int, "start_page": int,
    "end_page": int, "agencies": str, "agency_slugs": str, "cfr_references": str, "docket_ids": str,
    "regulation_id_numbers": str, "correction_of": str, "html_url": str, "pdf_url": str,
    "full_text_url": str, "full_text": str, "language": str, "extra": str,
    "content_hash": str, "first_seen": str, "last_seen": str, "last_changed": str,
    "first_run_id": int, "last_run_id": int,
}


def ensure_schema(db: Database) -> None:
    """Bring any database (new or old) up to the current schema."""
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses at most the last commit
    migrations.apply(db)


def _fts_with_column_triggers(db: Database, table: str, columns: tuple[str, ...]) -> None:
    db[table].enable_fts(list(columns), fts_version="FTS5", create_triggers=False)
    cols = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    fts = f"[{table}_fts]"
    db.executescript(f"""
        CREATE TRIGGER [{table}_fts_ai] AFTER INSERT ON [{table}] BEGIN
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
        END;
        CREATE TRIGGER [{table}_fts_ad] AFTER DELETE ON [{table}] BEGIN
            INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
        END;
        CREATE TRIGGER [{table}_fts_au] AFTER UPDATE OF {cols} ON [{table}] BEGIN
            INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
        END;
    """)


@migrations()
def m001_core_tables(db: Database) -> None:
    db["crawl_runs"].create({
        "id": int, "spider": str, "kind": str, "source_url": str, "started": str, "finished": str,
        "status": str, "complete": int, "items_seen": int, "added": int, "modified": int,
        "removed": int, "restored": int, "duplicates_merged": int, "since": str,
        "list_counts": str, "warnings": str, "error": str,
    }, pk="id")
    db["listings"].create(LISTING_COLUMNS, pk="id", not_null={"source", "list_code", "name"})
    db["documents"].create(DOCUMENT_COLUMNS, pk="id", not_null={"source", "document_number", "title"})
    db["changes"].create({
        "id": int, "run_id": int, "at": str, "item_type": str, "item_id": str, "kind": str,
        "source": str, "list_code": str, "name": str, "fields": str,
    }, pk="id", foreign_keys=[("run_id", "crawl_runs", "id")])
    # Where a listing cites the Federal Register ("87 FR 20299"), one row per citation.
    db["listing_citations"].create({
        "listing_id": str, "citation": str, "volume": int, "page": int,
    }, pk=("listing_id", "citation"))
    # Ids a source used to give a listing before it re-keyed its entries (trade.gov
    # re-hashed every non-OFAC `_id` between 2022 and 2023): the old id stays ours.
    db["listing_aliases"].create({"alias_id": str, "listing_id": str, "since_run_id": int}, pk="alias_id")

    db["listings"].create_index(["source", "list_code"])
    db["listings"].create_index(["removed_on"])
    db["documents"].create_index(["source", "publication_date"])
    db["documents"].create_index(["volume", "start_page"])
    db["changes"].create_index(["run_id"])
    db["changes"].create_index(["item_id"])
    db["listing_citations"].create_index(["volume", "page"])
    db["crawl_runs"].create_index(["spider", "status"])

    _fts_with_column_triggers(db, "listings", LISTING_FTS_COLUMNS)
    _fts_with_column_triggers(db, "documents", DOCUMENT_FTS_COLUMNS)

    db.create_view("listing_rules", """
        SELECT c.listing_id, l.name, l.list_code, c.citation,
               d.id AS document_id, d.title AS rule_title, d.publication_date, d.html_url
        FROM listing_citations c
        JOIN listings l ON l.id = c.listing_id
        LEFT JOIN documents d ON d.volume = c.volume AND c.page BETWEEN d.start_page AND d.end_page
    """)


LABEL_COLUMNS = {
    "dimensions": str,  # JSON array of rivalry dimensions (Datasette facets on arrays)
    "industries": str,  # JSON array of industries
    "label_scores": str,  # JSON {label: probability}
    "labels_model": str,  # version of the classifier that tagged the row
    "labels_input_hash": str,  # hash of the text the classifier read: unchanged text is never re-tagged
}


@migrations()
def m002_labels(db: Database) -> None:
    for table in ("documents", "listings"):
        for column, kind in LABEL_COLUMNS.items():
            db[table].add_column(column, kind)
