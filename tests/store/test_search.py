"""Search: Chinese found inside unspaced text, English glossary words for Chinese documents, index kept exact."""

import csv

import pytest

from pipeline.store import apply_documents, apply_snapshot, ensure_schema, search, start_run
from pipeline.store.search import glossary
from pipeline.store.search.text import index_text, match_expression
from spiders.kit.items import Document, Listing, as_record

T1, T2 = "2026-11-01T06:00:00Z", "2026-11-02T06:00:00Z"
# MOFCOM and the General Administration of Customs, Announcement 2023 No. 23 (the demo sample's title).
GALLIUM = "商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告"


def mofcom_document(number, title, text=None):
    return as_record(
        Document(
            source="mofcom",
            document_number=number,
            title=title,
            publication_date="2023-07-03",
            jurisdiction="CN",
            type="Announcement",
            publisher="MOFCOM",
            full_text=text,
            language="zh",
        )
    )


def store_documents(db, *records, now=T1):
    run_id = start_run(db, "mofcom", "documents", "x", now)
    return apply_documents(db, run_id, list(records), now)


def titles(db, query):
    return [row["title"] for row in search.run(db, search.MEASURES, query)]


def test_chinese_is_found_inside_unspaced_text(db):
    store_documents(db, mofcom_document("MOFCOM-2023-23", GALLIUM))
    for query in ("镓", "锗", "出口管制", "相关物项", "海关总署", "镓 出口管制"):
        assert titles(db, query) == [GALLIUM], query
    assert titles(db, "管制出口") == []  # the characters must stand in this order
    assert titles(db, "稀土") == []


def test_english_words_find_a_chinese_only_document(db):
    store_documents(db, mofcom_document("MOFCOM-2023-23", GALLIUM))
    for query in ("gallium", "germanium", "export control", "Gallium Germanium"):
        assert titles(db, query) == [GALLIUM], query
    assert titles(db, "antimony") == []


def test_the_glossary_is_well_formed():
    with glossary.GLOSSARY_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chinese = [row["chinese"] for row in rows]
    assert len(chinese) == len(set(chinese)), "a Chinese term is listed twice"
    for row in rows:
        assert row["chinese"].strip() and row["english"].strip(), row
        assert search.text.has_cjk(row["chinese"]), row
        assert not search.text.has_cjk(row["english"] + row["also"]), row
    words = glossary.english_terms(GALLIUM)
    for word in ("gallium", "germanium", "export", "customs", "announcement"):
        assert word in words.lower()


def test_a_page_glosses_chinese_in_the_order_the_text_has_it():
    assert glossary.gloss(GALLIUM) == [
        "Ministry of Commerce",
        "General Administration of Customs",
        "announcement",
        "gallium",
        "germanium",
        "items",
        "export control",
    ]
    # 物项 inside 两用物项 is glossed once, as the longer term.
    assert glossary.gloss("关于加强相关两用物项对美国出口管制的公告") == [
        "dual-use items",
        "United States",
        "export control",
        "announcement",
    ]


def test_segmentation_and_queries():
    assert index_text("对镓、锗") == " 对镓 对 镓 、 锗 "
    assert index_text("Huawei 华为 Ltd") == "Huawei  华为 华 为  Ltd"
    assert match_expression("出口管制") == '"出口 口管 管制"'
    assert match_expression("镓") == '"镓"'
    assert match_expression("huawei技术 co*") == '"huawei" "技术" "co" *'
    assert match_expression('"NEAR( AND OR ') == '"NEAR(" "AND" "OR"'
    assert match_expression(" ·、 ") is None


def test_typed_operators_are_plain_words(db):
    store_documents(db, mofcom_document("MOFCOM-2023-23", GALLIUM))
    for query in ('NEAR("镓"', "镓 OR", "AND", "*", '"""', "gallium -germanium"):
        search.run(db, search.MEASURES, query)  # no FTS5 syntax error


def test_the_index_follows_updates_and_stays_exact(db):
    store_documents(db, mofcom_document("MOFCOM-2023-23", "关于对镓相关物项实施出口管制的公告"))
    store_documents(db, mofcom_document("MOFCOM-2023-23", GALLIUM), now=T2)
    assert titles(db, "锗") == [GALLIUM]
    db.execute("UPDATE documents SET title = '另一个公告' WHERE id = 'mofcom:MOFCOM-2023-23'")
    assert titles(db, "镓") == [] and titles(db, "gallium") == []
    assert titles(db, "公告") == ["另一个公告"]
    db.execute("DELETE FROM documents")
    assert titles(db, "公告") == []
    db.execute("INSERT INTO documents_search (documents_search) VALUES ('integrity-check')")


def listing(number, name, alt_names=()):
    return as_record(
        Listing(
            source="mofcom",
            list_code="UEL",
            list_name="Unreliable Entity List (不可靠实体清单)",
            entry_id=str(number),
            name=name,
            alt_names=list(alt_names),
        )
    )


def test_a_bulk_load_is_indexed_like_single_rows(db):
    records = [listing(n, f"Company {n}") for n in range(1500)]
    records.append(listing(9999, "Lockheed Martin Corporation", ["洛克希德·马丁公司"]))
    run_id = start_run(db, "mofcom", "listings", "x", T1)
    apply_snapshot(db, run_id, "mofcom", records, T1)
    assert db.execute("SELECT count(*) FROM listings_search_docsize").fetchone()[0] == 1501
    names = lambda q: [r["name"] for r in search.run(db, search.PARTIES, q)]  # noqa: E731
    assert names("洛克希德") == ["Lockheed Martin Corporation"]
    assert names("company 1499") == ["Company 1499"]
    assert names("unreliable") and len(names("不可靠")) == 20  # the list name is indexed too (20 is the page)
    # The insert trigger is back after the bulk load.
    apply_snapshot(db, start_run(db, "mofcom", "listings", "x", T2), "mofcom", [*records, listing(1, "雷神公司")], T2)
    assert names("雷神") == ["雷神公司"]


def test_a_new_glossary_rebuilds_the_index(db, monkeypatch):
    store_documents(db, mofcom_document("MOFCOM-2023-23", GALLIUM))
    monkeypatch.setattr(glossary, "entries", lambda: (("镓", "gallium", ""), ("锗", "semiconductor", "metal")))
    monkeypatch.setattr(glossary, "version", lambda: "test-glossary")
    ensure_schema(db)
    assert db.execute("SELECT version FROM search_index_version").fetchone()[0].endswith("test-glossary")
    assert titles(db, "semiconductor metal") == [GALLIUM]
    assert titles(db, "germanium") == []
    # Removing a row recomputes its entry with the glossary it was indexed with: the index stays exact.
    db.execute("DELETE FROM documents")
    db.execute("INSERT INTO documents_search (documents_search) VALUES ('integrity-check')")


@pytest.mark.parametrize("query", ["HUAWEI", "huawei", "Huawéi"])
def test_latin_search_ignores_case_and_accents(db, query):
    run_id = start_run(db, "csl", "listings", "x", T1)
    apply_snapshot(
        db,
        run_id,
        "csl",
        [
            as_record(
                Listing(
                    source="csl",
                    list_code="EL",
                    list_name="Entity List",
                    entry_id="1",
                    name="Huawei Technologies Co., Ltd.",
                )
            )
        ],
        T1,
    )
    assert [r["name"] for r in search.run(db, search.PARTIES, query)] == ["Huawei Technologies Co., Ltd."]
