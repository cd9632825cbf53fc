"""The published database's schema, as recorded, re-runnable migrations.

Full-text indexes use hand-written triggers that fire only when an indexed
column changes: sqlite-utils' own triggers fire on every UPDATE, which would
rewrite the whole index each time a crawl touches `last_seen`. Since m006 the
indexes are the Chinese-aware ones of `search/` (the triggers call SQL functions
that `ensure_schema` registers on the connection).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from pipeline.store import search
from pipeline.store.runs import without_local_paths

migrations = Migrations("chokepoint")
# How long a statement waits for another connection's write (the site reading, `sources` registering)
# before "database is locked"; crawls themselves take turns through the crawl lock (pipeline/crawl/lock.py).
BUSY_TIMEOUT_MS = 60_000

LISTING_FTS_COLUMNS = ("name", "alt_names", "addresses")
DOCUMENT_FTS_COLUMNS = ("title", "abstract", "full_text")

LISTING_COLUMNS = {  # in the order a person reads them on the site
    "id": str,
    "name": str,
    "list_code": str,
    "country": str,
    "entity_type": str,
    "programs": str,
    "alt_names": str,
    "addresses": str,
    "countries": str,
    "start_date": str,
    "end_date": str,
    "federal_register_notice": str,
    "license_requirement": str,
    "license_policy": str,
    "title": str,
    "remarks": str,
    "ids": str,
    "dates_of_birth": str,
    "places_of_birth": str,
    "nationalities": str,
    "citizenships": str,
    "source": str,
    "list_name": str,
    "entry_id": str,
    "source_list_url": str,
    "source_information_url": str,
    "extra": str,
    "content_hash": str,
    "first_seen": str,
    "last_seen": str,
    "last_changed": str,
    "removed_on": str,
    "first_run_id": int,
    "last_run_id": int,
}

DOCUMENT_COLUMNS = {  # in the order a person reads them on the site
    "id": str,
    "title": str,
    "publication_date": str,
    "type": str,
    "publisher": str,
    "jurisdiction": str,
    "citation": str,
    "action": str,
    "abstract": str,
    "effective_on": str,
    "dates": str,
    "agencies": str,
    "cfr_references": str,
    "docket_ids": str,
    "regulation_id_numbers": str,
    "correction_of": str,
    "html_url": str,
    "pdf_url": str,
    "full_text_url": str,
    "full_text": str,
    "source": str,
    "document_number": str,
    "subtype": str,
    "volume": int,
    "start_page": int,
    "end_page": int,
    "agency_slugs": str,
    "language": str,
    "extra": str,
    "content_hash": str,
    "first_seen": str,
    "last_seen": str,
    "last_changed": str,
    "first_run_id": int,
    "last_run_id": int,
}


def ensure_schema(db: Database) -> None:
    """Bring any database (new or old) up to the current schema."""
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a crash loses at most the last commit
    search.register_functions(db)
    migrations.apply(db)
    search.ensure_current(db)


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
    db["crawl_runs"].create(
        {
            "id": int,
            "spider": str,
            "kind": str,
            "source_url": str,
            "started": str,
            "finished": str,
            "status": str,
            "complete": int,
            "items_seen": int,
            "added": int,
            "modified": int,
            "removed": int,
            "restored": int,
            "duplicates_merged": int,
            "since": str,
            "list_counts": str,
            "warnings": str,
            "error": str,
        },
        pk="id",
    )
    db["listings"].create(LISTING_COLUMNS, pk="id", not_null={"source", "list_code", "name"})
    db["documents"].create(DOCUMENT_COLUMNS, pk="id", not_null={"source", "document_number", "title"})
    db["changes"].create(
        {
            "id": int,
            "run_id": int,
            "at": str,
            "item_type": str,
            "item_id": str,
            "kind": str,
            "source": str,
            "list_code": str,
            "name": str,
            "fields": str,
        },
        pk="id",
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    # Where a listing cites the Federal Register ("87 FR 20299"), one row per citation.
    db["listing_citations"].create(
        {
            "listing_id": str,
            "citation": str,
            "volume": int,
            "page": int,
        },
        pk=("listing_id", "citation"),
    )
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

    db.create_view(
        "listing_rules",
        """
        SELECT c.listing_id, l.name, l.list_code, c.citation,
               d.id AS document_id, d.title AS rule_title, d.publication_date, d.html_url
        FROM listing_citations c
        JOIN listings l ON l.id = c.listing_id
        LEFT JOIN documents d ON d.volume = c.volume AND c.page BETWEEN d.start_page AND d.end_page
    """,
    )


@migrations()
def m002_source_health(db: Database) -> None:
    # Each spider's declared facts, refreshed before every crawl, so health covers sources never crawled.
    db["sources"].create(
        {
            "spider": str,
            "kind": str,
            "publisher": str,
            "jurisdiction": str,
            "live_url": str,
            "schedule": str,
            "expected_min": int,
            "expected_max": int,
        },
        pk="spider",
    )
    db["changes"].create_index(["source", "at"])
    db.create_view(
        "source_health",
        """
        SELECT s.spider, s.kind, s.jurisdiction, s.publisher, s.live_url, s.schedule,
               CASE
                   WHEN last.status IS NULL THEN 'never crawled'
                   WHEN last.status = 'succeeded' THEN 'ok'
                   ELSE 'failing'
               END AS status,
               ok.finished AS last_success,
               ok.id AS last_success_run,
               bad.finished AS last_failure,
               bad.error AS last_error,
               CASE s.kind
                   WHEN 'listings' THEN (SELECT count(*) FROM listings l WHERE l.source = s.spider AND l.removed_on IS NULL)
                   ELSE (SELECT count(*) FROM documents d WHERE d.source = s.spider)
               END AS item_count,
               (SELECT max(c.at) FROM changes c WHERE c.source = s.spider) AS last_changed
        FROM sources s
        LEFT JOIN crawl_runs ok ON ok.id = (
            SELECT max(id) FROM crawl_runs WHERE spider = s.spider AND status = 'succeeded')
        LEFT JOIN crawl_runs bad ON bad.id = (
            SELECT max(id) FROM crawl_runs WHERE spider = s.spider AND status = 'failed')
        LEFT JOIN crawl_runs last ON last.id = (
            SELECT max(id) FROM crawl_runs WHERE spider = s.spider AND status != 'running')
    """,
    )


@migrations()
def m003_public_inspection_links(db: Database) -> None:
    """Each document seen on public inspection beside its published version, once that arrives.

    Both carry the Federal Register document number; the status says whether
    the published version is stored yet, or whether the filing was withdrawn.
    """
    db["documents"].create_index(["document_number"], if_not_exists=True)
    db.create_view(
        "public_inspection_links",
        """
        SELECT pi.document_number,
               pi.id AS pi_id,
               pub.id AS published_id,
               CASE
                   WHEN pub.id IS NOT NULL THEN 'published'
                   WHEN pi.publication_date IS NULL
                        AND json_extract(pi.extra, '$.editorial_note') IS NOT NULL THEN 'withdrawn'
                   ELSE 'on public inspection'
               END AS status,
               json_extract(pi.extra, '$.filed_at') AS filed_at,
               json_extract(pi.extra, '$.filing_type') AS filing_type,
               pi.publication_date AS scheduled_publication_date,
               pub.publication_date AS publication_date,
               julianday(COALESCE(pub.publication_date, pi.publication_date))
                   - julianday(substr(json_extract(pi.extra, '$.filed_at'), 1, 10)) AS days_ahead,
               COALESCE(pub.title, pi.title) AS title,
               pi.type,
               pi.publisher,
               pub.citation,
               json_extract(pi.extra, '$.editorial_note') AS editorial_note,
               pi.pdf_url AS public_inspection_pdf_url,
               pub.html_url AS published_html_url,
               pi.first_seen AS first_seen_on_inspection,
               pub.first_seen AS published_first_seen
        FROM documents pi
        LEFT JOIN documents pub
               ON pub.source = 'federal_register' AND pub.document_number = pi.document_number
        WHERE pi.source = 'federal_register_public_inspection'
    """,
    )


LABEL_COLUMNS = {
    "dimensions": str,  # JSON array of rivalry dimensions (Datasette facets on arrays)
    "industries": str,  # JSON array of industries
    "label_scores": str,  # JSON {label: probability}
    "labels_model": str,  # version of the classifier that tagged the row
    "labels_input_hash": str,  # hash of the text the classifier read: unchanged text is never re-tagged
}


@migrations()
def m004_labels(db: Database) -> None:
    for table in ("documents", "listings"):
        for column, kind in LABEL_COLUMNS.items():
            db[table].add_column(column, kind)


@migrations()
def m005_label_corrections(db: Database) -> None:
    """A person's correction of an item's tags, and how sure the model was.

    `dimensions` and `industries` stay the tags in force (what the site, the
    feeds and digests show): a person's correction where one is in force, else
    the model's. The model's own are kept beside them, so a correction can be
    withdrawn and `reclassify` still knows what the model says. Corrections are
    never deleted: each is a row, the newest per item is the one in force, and
    a withdrawal is a row with no labels.
    """
    for table in ("documents", "listings"):
        db[table].add_column("model_dimensions", str)
        db[table].add_column("model_industries", str)
        db[table].add_column("label_confidence", float)
        db[table].add_column("needs_review", int)
        db[table].add_column("labels_by", str)  # "model" or "person"
        db[table].create_index(["needs_review"])
        # Every tag stored so far was the model's.
        db.execute(
            f"UPDATE [{table}] SET model_dimensions = dimensions, model_industries = industries, labels_by = 'model' "
            "WHERE labels_model IS NOT NULL"
        )
    db["label_corrections"].create(
        {
            "id": int,
            "item_type": str,  # "document" or "listing"
            "item_id": str,
            "dimensions": str,  # JSON array, NULL when the correction was withdrawn (back to the model)
            "industries": str,
            "note": str,
            "reviewer": str,
            "at": str,
            "model_dimensions": str,  # what the model said when the person decided
            "model_industries": str,
            "model_version": str,
        },
        pk="id",
        not_null={"item_type", "item_id", "note", "reviewer", "at"},
    )
    db["label_corrections"].create_index(["item_id", "id"])


@migrations()
def m006_reliability(db: Database) -> None:
    """Post-crawl work a landing leaves to do, and whether a run was let through by --accept-removals.

    `pending_steps` holds, per landed run and step, the `Changes` the step must see; a row
    is written in the landing's own transaction and deleted when its step has run.
    """
    db["crawl_runs"].add_column("accepted_removals", int)
    db["pending_steps"].create(
        {"run_id": int, "step": str, "source": str, "changes": str, "recorded": str},
        pk=("run_id", "step"),
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )


@migrations()
def m007_search_index(db: Database) -> None:
    """Replace the unicode61 indexes of m001 (blind to Chinese, no glossary) with those of `search/`.

    `listings_search` and `documents_search` are contentless FTS5 tables keyed by the
    row's rowid; `search_index_version` records the glossary and segmentation they
    were built with.
    """
    for table in ("listings", "documents"):
        for suffix in ("ai", "ad", "au"):
            db.execute(f"DROP TRIGGER IF EXISTS [{table}_fts_{suffix}]")
        db.execute(f"DROP TABLE IF EXISTS [{table}_fts]")
        search.index.create(db, search.INDEXES[table])
    db[search.index.VERSION_TABLE].create({"version": str})
    db.execute(f"INSERT INTO [{search.index.VERSION_TABLE}] (version) VALUES (?)", [search.index.version()])


@migrations()
def m008_source_licences(db: Database) -> None:
    """The terms each source's publisher releases its data under, so every row is credited with its own."""
    db["sources"].add_column("license", str)
    db["sources"].add_column("license_url", str)


@migrations()
def m009_no_local_paths(db: Database) -> None:
    """The log of crawls made before the store kept local paths out of it loses them now."""
    rows = db.execute("SELECT id, source_url, error, warnings FROM crawl_runs").fetchall()
    for run_id, *values in rows:
        cleaned = [without_local_paths(value) for value in values]
        if cleaned != values:
            db.execute("UPDATE crawl_runs SET source_url = ?, error = ?, warnings = ? WHERE id = ?", [*cleaned, run_id])


@migrations()
def m010_listing_links(db: Database) -> None:
    """Links between listings: a parent named in a listing ("Linked To: X"), or an address two parties share.

    One row per link and direction; `linked_id` is NULL when the named parent is on no
    stored list (the name is still shown). Rebuilt from the active listings whenever
    a listings crawl lands (pipeline.linkage.parties), in the landing's transaction.
    """
    db["listing_links"].create(
        {
            "listing_id": str,
            "kind": str,  # "linked_to" (listing_id's parent is linked_id / target_name) or "shared_address"
            "target_name": str,
            "linked_id": str,
            "evidence": str,  # the remark or the address the link was read from
        },
        not_null={"listing_id", "kind", "target_name"},
    )
    db["listing_links"].create_index(["listing_id"])
    db["listing_links"].create_index(["linked_id"])


@migrations()
def m011_search_facets(db: Database) -> None:
    """Narrow facet tables beside documents and listings, so a search counts facets without reading the items."""
    for facets in search.facets.TABLES.values():
        search.facets.create(db, facets)


@migrations()
def m012_listing_passages(db: Database) -> None:
    """Why each party was listed: the passage about it in the stored text of a rule it cites.

    One row per listing, citation and covering document whose full text names the party;
    a citation with no row has no passage (no stored rule, no stored text, or a text that
    does not name the party). Rebuilt from `listing_citations` and the documents' full
    text when a landing touches either (pipeline.linkage.why_listed), in its transaction.
    """
    db["listing_passages"].create(
        {
            "listing_id": str,
            "citation": str,  # the listing's citation ("83 F.R. 60395" as parsed: "83 FR 60395")
            "document_id": str,  # the stored document covering it
            "document_number": str,
            "passage": str,  # the paragraph, as the rule's text gives it
            "matched_name": str,  # the listing's name or alias the paragraph names
        },
        pk=("listing_id", "citation", "document_id"),
        not_null={"passage", "matched_name"},
    )
    db["listing_passages"].create_index(["document_id"])


@migrations()
def m013_measure_responses(db: Database) -> None:
    """Measure ↔ countermeasure: the responses suggested for each measure, and people's decisions on them.

    `response_decisions` is what people said (`chokepoint link A B --confirm|--reject`): a row per
    decision, never updated or deleted, the newest per pair in force. `measure_responses` is derived:
    rebuilt whole by `chokepoint suggest-responses` from the ranking and those decisions (a confirmed
    pair stays, a rejected one is kept as such and never suggested again), and updated at once by `link`.
    """
    db["response_decisions"].create(
        {
            "id": int,
            "measure_id": str,
            "response_id": str,
            "decision": str,  # "confirmed" or "rejected"
            "note": str,
            "reviewer": str,
            "at": str,
            "score": float,  # the suggestion's score and explanation when the person decided, if it was suggested
            "explanation": str,
        },
        pk="id",
        not_null={"measure_id", "response_id", "decision", "reviewer", "at"},
    )
    db["response_decisions"].create_index(["measure_id", "response_id", "id"])
    db["measure_responses"].create(
        {
            "measure_id": str,
            "response_id": str,
            "score": float,
            "explanation": str,
            "status": str,  # "suggested", "confirmed" or "rejected"
            "rank": int,  # among the measure's suggestions, 1 = likeliest; NULL for a pair no longer ranked
            "decision_id": int,  # the decision in force, for confirmed and rejected pairs
        },
        pk=("measure_id", "response_id"),
        not_null={"status"},
    )
    db["measure_responses"].create_index(["response_id"])
    # One row per ranking run, so a reader can say when suggestions were made and over how many measures.
    db["response_rankings"].create(
        {"id": int, "at": str, "measures": int, "suggested": int, "window_days": int, "encoder": str}, pk="id"
    )
