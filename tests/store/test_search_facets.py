"""Facet tables: what a search counts by stays exactly what the items hold, through every write."""

from pipeline.store import apply_documents, apply_snapshot, search, start_run
from pipeline.store.labels import write_labels
from spiders.kit.items import Document, Listing, as_record

T1, T2 = "2026-11-01T06:00:00Z", "2026-11-02T06:00:00Z"


def rule(number, agencies, type_="Rule"):
    return as_record(
        Document(
            source="federal_register",
            document_number=number,
            title=f"Export controls on gallium ({number})",
            publication_date="2023-07-03",
            jurisdiction="US",
            type=type_,
            publisher=agencies[0],
            agencies=agencies,
        )
    )


def facet_rows(db, table):
    sql = f"SELECT x.item_rowid, v.facet, v.value FROM [{table}] x JOIN search_facet_values v ON v.id = x.value_id"
    return sorted(tuple(row) for row in db.execute(sql).fetchall())


def recomputed(db, facets):
    """The facet rows worked out afresh from the items: what the triggers must have kept."""
    return sorted(set(tuple(row) for row in db.execute(facets.rows_of(facets.table, facets.table)).fetchall()))


def counts(db, kind, query, **filters):
    match = search.match_expression(query)
    floor = db.execute(kind.count_sql(filters), kind.params(match, filters)).fetchone()[1]
    found = db.execute(kind.facets_sql(filters), kind.params(match, filters, floor=floor)).fetchall()
    values, covered = search.facet_counts(kind, [dict(zip(("facet", "value", "n"), row, strict=True)) for row in found])
    return {name: {v["value"]: v["n"] for v in options} for name, options in values.items()}, covered


def test_document_facets_follow_crawls_tagging_and_deletes(db):
    run_id = start_run(db, "federal_register", "documents", "x", T1)
    apply_documents(db, run_id, [rule("2023-1", ["Industry and Security Bureau", "Commerce Department"]),
                                 rule("2023-2", ["Industry and Security Bureau"], "Notice")], T1)  # fmt: skip
    facets, covered = counts(db, search.MEASURES, "gallium")
    assert covered == 2
    assert facets["agency"] == {"Industry and Security Bureau": 2, "Commerce Department": 1}
    assert facets["type"] == {"Rule": 1, "Notice": 1}
    assert facets["jurisdiction"] == {"US": 2}
    assert facets["dimension"] == {} and facets["industry"] == {}

    # A crawl correcting an agency, then tagging, then a person's filter.
    run_id = start_run(db, "federal_register", "documents", "x", T2)
    apply_documents(db, run_id, [rule("2023-1", ["Commerce Department"])], T2)
    tagged = type("Result", (), {"dimensions": ["key_inputs"], "industries": ["critical_minerals"], "scores": {},
                                 "confidence": 0.9, "needs_review": False})  # fmt: skip
    write_labels(db, "documents", "m1", [("federal_register:2023-1", "h", tagged)])
    facets, _ = counts(db, search.MEASURES, "gallium")
    assert facets["agency"] == {"Industry and Security Bureau": 1, "Commerce Department": 1}
    assert facets["dimension"] == {"key_inputs": 1} and facets["industry"] == {"critical_minerals": 1}
    narrowed, covered = counts(db, search.MEASURES, "gallium", industry="critical_minerals")
    assert covered == 1 and narrowed["type"] == {"Rule": 1}
    assert facet_rows(db, "document_facets") == recomputed(db, search.facets.TABLES["documents"])

    # Text that is not JSON gives no facet value and does not fail the write.
    db.execute("UPDATE documents SET agencies = 'not json' WHERE id = 'federal_register:2023-2'")
    assert counts(db, search.MEASURES, "gallium")[0]["agency"] == {"Commerce Department": 1}
    db.execute("DELETE FROM documents")
    assert facet_rows(db, "document_facets") == []


def test_listing_facets_count_every_country_and_program(db):
    def party(entry, name, countries, programs):
        return as_record(Listing(source="ofac_sdn", list_code="SDN", list_name="SDN List", entry_id=entry, name=name,
                                 countries=countries, programs=programs))  # fmt: skip

    records = [party("1", "Alpha Trading", ["RU", "AE"], ["RUSSIA-EO14024"]), party("2", "Beta Trading", ["RU"], [])]
    apply_snapshot(db, start_run(db, "ofac_sdn", "listings", "x", T1), "ofac_sdn", records, T1)
    facets, covered = counts(db, search.PARTIES, "trading")
    assert covered == 2
    assert facets["country"] == {"RU": 2, "AE": 1}
    assert facets["program"] == {"RUSSIA-EO14024": 1}
    assert facets["list"] == {"SDN": 2} and facets["source"] == {"ofac_sdn": 2}
    assert counts(db, search.PARTIES, "trading", country="AE")[1] == 1


def test_facets_count_the_newest_matches_up_to_the_cap(db, monkeypatch):
    from pipeline.store.search import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    run_id = start_run(db, "federal_register", "documents", "x", T1)
    records = [rule("2023-1", ["State Department"]), rule("2023-2", ["Commerce Department"]),
               rule("2023-3", ["Commerce Department"])]  # fmt: skip
    apply_documents(db, run_id, records, T1)
    facets, covered = counts(db, search.MEASURES, "gallium")
    assert covered == 2
    assert facets["agency"] == {"Commerce Department": 2}
    # Rows are ranked among the same newest matches.
    assert [row["document_number"] for row in search.run(db, search.MEASURES, "gallium")] == ["2023-2", "2023-3"]


def test_the_migration_fills_the_facets_of_items_already_stored(db):
    run_id = start_run(db, "federal_register", "documents", "x", T1)
    apply_documents(db, run_id, [rule("2023-1", ["State Department"]), rule("2023-2", ["Commerce Department"])], T1)
    before = facet_rows(db, "document_facets")
    # As a database stored before m011: no facet tables, no triggers.
    for suffix in ("ai", "ad", "au"):
        db.execute(f"DROP TRIGGER [document_facets_{suffix}]")
    db.execute("DROP TABLE document_facets")
    search.facets.create(db, search.facets.TABLES["documents"])
    assert facet_rows(db, "document_facets") == before
    assert len(before) == 6  # the jurisdiction, type and agency of each
