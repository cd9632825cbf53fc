"""Tagging stored items: what the classifier reads, when it re-tags, and labels landing after a crawl."""

from __future__ import annotations

import json

from sqlite_utils import Database

from classifier.labels import LABELS
from classifier.model import Result
from pipeline import tagging
from pipeline.report import SILENT
from pipeline.store.changes import Changes
from pipeline.store.records import insert_rows
from tests.kit.cli import run_cli


class FakeClassifier:
    """Tags every item the same way and remembers what it was asked (the real model is tested elsewhere)."""

    def __init__(self, version="fake-1"):
        self.version = version
        self.seen: list[str] = []

    def classify(self, items):
        self.seen += [item["id"] for item in items]
        return [
            Result(item["id"], ["governance"], ["semiconductors"], {label: 0.5 for label in LABELS}) for item in items
        ]


def add_document(db, doc_id, title="Chips from China: antidumping duty order", abstract="Commerce orders duties."):
    insert_rows(
        db,
        "documents",
        [
            {
                "id": doc_id,
                "source": "federal_register",
                "document_number": doc_id,
                "title": title,
                "abstract": abstract,
                "agencies": json.dumps(["Commerce Department"]),
            }
        ],
    )


def add_listing(db, listing_id, name="Fujian Jinhua Integrated Circuit Company, Ltd."):
    insert_rows(
        db,
        "listings",
        [
            {
                "id": listing_id,
                "source": "csl",
                "list_code": "EL",
                "name": name,
                "list_name": "Entity List (EL) - Bureau of Industry and Security",
                "addresses": json.dumps(["Jinjiang, Fujian Province, CN"]),
                "license_policy": "Presumption of denial.",
            }
        ],
    )


def test_document_input_is_title_then_abstract_action_type_and_agencies():
    item = tagging.document_input(
        {
            "id": "d",
            "title": "T",
            "abstract": "An abstract.",
            "action": "Final rule.",
            "type": "Rule",
            "agencies": '["Commerce Department", "Industry and Security Bureau"]',
        }
    )
    assert item == {
        "id": "d",
        "title": "T",
        "text": "An abstract. Final rule. Rule. Agencies: Commerce Department, Industry and Security Bureau.",
    }


def test_a_document_without_abstract_is_read_from_the_start_of_its_text():
    start = "决定对镓、锗相关物项实施出口管制。"
    item = tagging.document_input(
        {"id": "d", "title": "公告", "abstract": None, "type": "Announcement", "full_text_start": start}
    )
    assert item["text"].startswith(start) and item["text"].endswith("Announcement.")
    with_abstract = tagging.document_input(
        {"id": "d", "title": "T", "abstract": "An abstract.", "full_text_start": "Body."}
    )
    assert with_abstract["text"] == "An abstract."


def test_listing_input_puts_the_list_first_and_keeps_one_address():
    item = tagging.listing_input(
        {
            "id": "l",
            "name": "Sugon",
            "list_name": "Entity List (EL) - Bureau of Industry and Security",
            "programs": "[]",
            "addresses": '["Beijing, CN", "Tianjin, CN"]',
            "remarks": "x" * 500,
            "license_policy": "Presumption of denial.",
        }
    )
    assert item["title"] == "Sugon"
    assert item["text"].startswith(
        "Entity List (EL) - Bureau of Industry and Security. Address: Beijing, CN. Remarks: xxx"
    )
    assert "Tianjin" not in item["text"]
    assert item["text"].endswith("License policy: Presumption of denial.")
    assert item["text"].count("x") == tagging.REMARKS_CHARS


def test_the_schema_has_label_columns(db):
    for table in ("documents", "listings"):
        assert {"dimensions", "industries", "label_scores", "labels_model", "labels_input_hash"} <= set(
            db[table].columns_dict
        )


def test_tagging_stores_labels_and_skips_what_it_already_tagged(db):
    add_document(db, "d1")
    add_document(db, "d2", title="Gallium export controls")
    fake = FakeClassifier()
    assert tagging.tag(db, fake, "documents") == 2
    row = db["documents"].get("d1")
    assert json.loads(row["dimensions"]) == ["governance"]
    assert json.loads(row["industries"]) == ["semiconductors"]
    assert set(json.loads(row["label_scores"])) == set(LABELS)
    assert row["labels_model"] == "fake-1"
    assert tagging.tag(db, fake, "documents") == 0  # same text, same model: nothing to do
    db.execute("UPDATE documents SET abstract = 'A corrected abstract.' WHERE id = 'd2'")
    fake.seen.clear()
    assert tagging.tag(db, fake, "documents") == 1
    assert fake.seen == ["d2"]


def test_a_new_model_retags_everything_and_force_retags_regardless(db):
    add_document(db, "d1")
    add_listing(db, "csl:EL:1")
    tagging.tag(db, FakeClassifier("fake-1"), "documents")
    tagging.tag(db, FakeClassifier("fake-1"), "listings")
    assert tagging.tag(db, FakeClassifier("fake-2"), "documents") == 1
    assert db["documents"].get("d1")["labels_model"] == "fake-2"
    assert tagging.tag(db, FakeClassifier("fake-1"), "listings") == 0
    assert tagging.tag(db, FakeClassifier("fake-1"), "listings", force=True) == 1


def test_tagging_leaves_the_search_index_alone(db):
    add_document(db, "d1", title="Gallium export controls")
    before = db.execute("SELECT count(*) FROM documents_search_docsize").fetchone()[0]
    db.execute("CREATE TEMP TABLE fts_writes (n INTEGER)")
    db.execute(
        "CREATE TEMP TRIGGER count_fts AFTER UPDATE OF title, abstract, full_text ON documents "
        "BEGIN INSERT INTO fts_writes VALUES (1); END"
    )
    tagging.tag(db, FakeClassifier(), "documents")
    assert db.execute("SELECT count(*) FROM fts_writes").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM documents_search_docsize").fetchone()[0] == before
    assert [r[0] for r in db.execute("SELECT rowid FROM documents_search WHERE documents_search MATCH 'gallium'")]


def test_post_crawl_step_tags_only_what_the_crawl_changed(db, monkeypatch):
    add_document(db, "d1")
    add_document(db, "d2")
    add_listing(db, "csl:EL:1")
    fake = FakeClassifier()
    monkeypatch.setattr(tagging, "load_classifier", lambda: fake)
    changes = Changes(run_id=1, source="federal_register", documents=("d2",), listings=("csl:EL:1",))
    tagging.TagChanged()(db, changes, SILENT)
    assert sorted(fake.seen) == ["csl:EL:1", "d2"]
    assert db["documents"].get("d1")["labels_model"] is None


def test_a_classifier_that_cannot_load_costs_labels_not_data(db, monkeypatch):
    add_document(db, "d1")

    def broken():
        raise tagging.TaggingUnavailable("head.safetensors does not exist")

    monkeypatch.setattr(tagging, "load_classifier", broken)
    changes = Changes(run_id=1, source="federal_register", documents=("d1",))
    result = tagging.TagChanged()(db, changes, SILENT)
    assert "labels not updated: head.safetensors does not exist" in result.warnings[0]
    assert db["documents"].get("d1")["title"]


def test_a_crawl_stores_labels_for_every_new_item(demo_db):
    db = Database(demo_db)
    for table in ("documents", "listings"):
        untagged = db.execute(f"SELECT count(*) FROM {table} WHERE labels_model IS NULL").fetchone()[0]
        assert untagged == 0, f"{untagged} {table} rows were not tagged"
    smic = db.execute(
        "SELECT dimensions, industries FROM listings WHERE name LIKE 'Semiconductor Manufacturing "
        "International Corporation (SMIC)'"
    ).fetchone()
    assert json.loads(smic[0]) == ["key_inputs"] and "semiconductors" in json.loads(smic[1])
    solar = db.execute(
        "SELECT dimensions, industries FROM documents WHERE title LIKE 'Crystalline Silicon Photovoltaic%'"
    ).fetchone()
    assert "governance" in json.loads(solar[0]) and "energy" in json.loads(solar[1])


def test_chinese_announcements_are_tagged_by_what_they_control(demo_db):
    """MOFCOM's notices are Chinese, which MiniLM cannot read: the Chinese signal words carry them."""
    db = Database(demo_db)
    labels = {
        number: (json.loads(dimensions), json.loads(industries))
        for number, dimensions, industries in db.execute(
            "SELECT document_number, dimensions, industries FROM documents WHERE source = 'mofcom'"
        )
    }
    assert labels["MOFCOM-2023-23"] == (["key_inputs"], ["critical_minerals"])  # gallium and germanium controls
    assert labels["MOFCOM-2024-46"][0] == ["key_inputs"] and "critical_minerals" in labels["MOFCOM-2024-46"][1]
    assert labels["MOFCOM-UEL-2023-1"] == (["governance"], ["aerospace_defense"])  # Lockheed Martin, Raytheon


def test_reclassify_retags_rows_of_another_model_and_everything_with_all(demo_db):
    db = Database(demo_db)
    db.execute("UPDATE listings SET labels_model = 'old-model' WHERE rowid <= 5")
    db.conn.commit()
    result = run_cli("reclassify", "--db", str(demo_db), check=True)
    assert "documents: 0 row(s) tagged" in result.stdout  # current rows are skipped
    assert "listings: 5 row(s) tagged" in result.stdout
    assert db.execute("SELECT count(*) FROM listings WHERE labels_model = 'old-model'").fetchone()[0] == 0
    total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    result = run_cli("reclassify", "--db", str(demo_db), "--all", check=True)
    assert f"documents: {total} row(s) tagged" in result.stdout
    assert f"documents: {total} of {total} tagged" in result.stderr  # progress


def test_reclassify_names_a_missing_database(tmp_path):
    result = run_cli("reclassify", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "none.db does not exist" in result.stderr
