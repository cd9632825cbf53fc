"""A person's correction of an item's tags: it outranks the model at once, survives re-tagging, is never lost,
and reaches training."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlite_utils import Database

from classifier.corrections import apply_corrections, read_corrections
from classifier.dataset import load
from classifier.labels import LABELS
from classifier.model import Result
from pipeline import tagging
from pipeline.cli.classify import _with_recorded_corrections
from pipeline.report import SILENT
from pipeline.store import ensure_schema, labels
from tests.kit.cli import run_cli
from tests.tagging.test_tagging import add_document, add_listing

LISTING = "csl:EL:1"


class SureClassifier:
    """Tags every item governance / semiconductors; `unsure` marks the results for review."""

    def __init__(self, version="fake-1", unsure=False):
        self.version = version
        self.unsure = unsure

    def classify(self, items):
        return [
            Result(item["id"], ["governance"], ["semiconductors"], {label: 0.5 for label in LABELS}, 0.1, self.unsure)
            for item in items
        ]


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    with db.atomic():
        add_listing(db, LISTING)
        add_document(db, "federal_register:2023-1")
    for table in tagging.TABLES:
        tagging.tag(db, SureClassifier(unsure=True), table)
    return path


def _label(db_path: Path, *args: str):
    return run_cli("label", *args, "--db", str(db_path), env={"CHOKEPOINT_REVIEWER": "a.analyst"})


def _tags(db_path: Path, item_id: str = LISTING) -> dict:
    row = Database(db_path)["listings" if item_id.startswith("csl:") else "documents"].get(item_id)
    return {
        "dimensions": json.loads(row["dimensions"]),
        "industries": json.loads(row["industries"]),
        "model_industries": json.loads(row["model_industries"]),
        "labels_by": row["labels_by"],
        "needs_review": row["needs_review"],
    }


def test_the_model_marks_what_it_is_unsure_of(db_path):
    assert _tags(db_path) == {
        "dimensions": ["governance"],
        "industries": ["semiconductors"],
        "model_industries": ["semiconductors"],
        "labels_by": "model",
        "needs_review": 1,
    }


def test_a_correction_outranks_the_model_and_survives_reclassify(db_path):
    result = _label(
        db_path,
        LISTING,
        "--dimension",
        "key_inputs",
        "--industry",
        "critical_minerals,metals_chemicals",
        "--note",
        "rare earths",
    )
    assert result.returncode == 0, result.stderr
    assert "tagged key_inputs / critical_minerals, metals_chemicals by a.analyst" in result.stdout
    corrected = {
        "dimensions": ["key_inputs"],
        "industries": ["critical_minerals", "metals_chemicals"],
        "model_industries": ["semiconductors"],
        "labels_by": "person",
        "needs_review": 0,
    }
    assert _tags(db_path) == corrected
    db = Database(db_path)
    assert tagging.tag(db, SureClassifier("fake-2", unsure=True), "listings", force=True) == 1
    assert db["listings"].get(LISTING)["labels_model"] == "fake-2"  # the model ran again...
    assert _tags(db_path) == corrected  # ...and the person's tags stayed in force
    changes = tagging.Changes(run_id=1, source="csl", listings=(LISTING,))
    tagging.TagChanged()(db, changes, SILENT)  # a crawl re-tagging it changes nothing either
    assert _tags(db_path) == corrected


def test_every_correction_is_kept_and_the_newest_is_in_force_until_withdrawn(db_path):
    _label(db_path, LISTING, "--dimension", "key_inputs", "--industry", "metals_chemicals", "--note", "first look")
    _label(db_path, LISTING, "--dimension", "governance", "--industry", "energy", "--note", "second look")
    assert _tags(db_path)["industries"] == ["energy"]
    withdrawn = _label(db_path, LISTING, "--model", "--note", "the model was right")
    assert withdrawn.returncode == 0, withdrawn.stderr
    assert _tags(db_path)["industries"] == ["semiconductors"]
    assert _tags(db_path)["labels_by"] == "model"
    history = labels.correction_history(Database(db_path), LISTING)
    assert [(h["note"], h["reviewer"]) for h in history] == [
        ("first look", "a.analyst"),
        ("second look", "a.analyst"),
        ("the model was right", "a.analyst"),
    ]
    assert history[-1]["dimensions"] is None


@pytest.mark.parametrize(
    "args, message",
    [
        (("--dimension", "chips", "--industry", "metals_chemicals"), "unknown label(s) chips; dimensions: "),
        (("--dimension", "key_inputs"), "needs at least one dimension and one industry"),
        (("--model", "--industry", "metals_chemicals"), "--model withdraws a correction"),
        (("--dimension", "key_inputs", "--industry", "metals_chemicals", "--note", "  "), "--note must say why"),
    ],
)
def test_a_bad_correction_is_refused_in_one_line_and_changes_nothing(db_path, args, message):
    if "--note" not in args:
        args = (*args, "--note", "why")
    result = _label(db_path, LISTING, *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert _tags(db_path)["labels_by"] == "model"
    assert labels.correction_history(Database(db_path), LISTING) == []


def test_an_unknown_item_is_named(db_path):
    result = _label(db_path, "csl:EL:404", "--dimension", "key_inputs", "--industry", "metals_chemicals", "--note", "x")
    assert result.returncode == 1
    assert "no document or listing has id 'csl:EL:404'" in result.stderr


def test_corrections_reach_training_as_what_the_classifier_reads(db_path, tmp_path):
    _label(db_path, LISTING, "--dimension", "key_inputs", "--industry", "metals_chemicals", "--note", "makes gallium")
    _label(
        db_path,
        "federal_register:2023-1",
        "--dimension",
        "governance",
        "--industry",
        "metals_chemicals",
        "--note",
        "AD",
    )
    _label(db_path, "federal_register:2023-1", "--model", "--note", "withdrawn")
    exported = tagging.corrections_for_training(Database(db_path))
    assert [record["id"] for record in exported] == [LISTING]  # a withdrawn correction teaches nothing
    row = next(labels.rows_to_label(Database(db_path), "listings", [LISTING]))
    assert {key: exported[0][key] for key in ("title", "text", "kind", "aliases")} == {
        key: tagging.listing_input(row)[key] for key in ("title", "text", "kind", "aliases")
    }
    path = _with_recorded_corrections(db_path, None, SILENT_REPORTER)
    records = read_corrections(path)  # the classifier's own reader accepts the file
    assert [(r["dimensions"], r["industries"], r["note"]) for r in records] == [
        (["key_inputs"], ["metals_chemicals"], "makes gallium")
    ]
    examples = load()
    corrected, counts = apply_corrections(examples, path)
    assert counts.added == 1 and corrected[-1].industries == ("metals_chemicals",)


class _Quiet:
    def note(self, message: str) -> None:
        pass


SILENT_REPORTER = _Quiet()


def test_the_site_lists_what_needs_review():
    metadata = json.loads((Path(__file__).resolve().parents[2] / "datasette_metadata.json").read_text())
    query = metadata["databases"]["chokepoint"]["queries"]["needs_review"]
    db = Database(memory=True)
    ensure_schema(db)
    add_listing(db, LISTING)
    add_document(db, "federal_register:2023-1")
    tagging.tag(db, SureClassifier(unsure=True), "listings")
    tagging.tag(db, SureClassifier(unsure=False), "documents")
    rows = list(db.query(query["sql"]))
    assert [row["id"] for row in rows] == [LISTING]
