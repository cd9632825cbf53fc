"""The classifier: its dataset, its model, training reproducibility, and the `classify` CLI contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifier import training
from classifier.dataset import DATA_FILE, BadDataset, load, split
from classifier.head import BadArtefact, Head
from classifier.labels import DIMENSIONS, INDUSTRIES, LABELS
from pipeline.cli.classify import BadLine, parse_line
from tests.kit.cli import run_cli

GALLIUM = {
    "id": "g1",
    "title": "China imposes export controls on gallium and germanium",
    "text": "Exports of gallium and germanium metals and compounds need a licence from MOFCOM.",
}
AD_DUTY = {
    "id": "a1",
    "title": "Certain Steel Nails From Vietnam: Final Results of Antidumping Duty Administrative Review",
    "text": "Commerce determines that producers sold steel nails at less than normal value.",
}


@pytest.fixture(scope="session")
def classifier():
    from classifier.model import Classifier

    return Classifier.load()


@pytest.fixture(scope="session")
def examples():
    return load()


# -- the dataset -----------------------------------------------------------------------------------


def test_dataset_is_large_and_covers_every_label_and_jurisdiction(examples):
    assert len(examples) >= 400
    assert {"US", "EU", "CN", "JP", "NL", "UK", "IN", "INTL"} <= {e.jurisdiction for e in examples}
    assert {"listing", "document", "measure"} == {e.kind for e in examples}
    for label in LABELS:
        assert any(label in e.labels for e in split(examples, "test")), f"no held-out item has {label}"
        assert any(label in e.labels for e in split(examples, "train")), f"no training item has {label}"


def test_held_out_items_are_not_near_duplicates_of_training_items(examples):
    train, test = split(examples, "train"), split(examples, "test")
    assert not {e.group for e in train} & {e.group for e in test}
    normalise = lambda title: " ".join(title.casefold().split())  # noqa: E731
    assert not {normalise(e.title) for e in train} & {normalise(e.title) for e in test}
    assert not {e.text for e in train} & {e.text for e in test}


def test_every_group_sits_in_the_split_its_hash_gives(examples):
    """Splits are not hand-picked: the fixed hash of the group decides (classifier/data/README.md)."""
    from classifier.dataset import split_for

    assert {e.group: e.split for e in examples} == {e.group: split_for(e.group) for e in examples}
    assert 0.15 < len(split(examples, "test")) / len(examples) < 0.35


def test_a_group_in_both_splits_is_refused(tmp_path):
    lines = [line for line in DATA_FILE.read_text().splitlines()[:2]]
    first, second = (json.loads(line) for line in lines)
    first.update(group="same", split="train")
    second.update(group="same", split="test")
    path = tmp_path / "leaky.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")
    with pytest.raises(BadDataset, match="both splits: same"):
        load(path)


def test_an_unknown_label_is_refused_with_its_line(tmp_path):
    record = json.loads(DATA_FILE.read_text().splitlines()[0])
    record["industries"] = ["finance"]
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(ValueError, match="bad.jsonl line 1: unknown label"):
        load(path)


# -- the model -------------------------------------------------------------------------------------


def test_results_use_taxonomy_ids_with_a_score_for_every_label(classifier):
    results = classifier.classify([GALLIUM, AD_DUTY])
    assert [r.id for r in results] == ["g1", "a1"]
    for result in results:
        assert result.dimensions and set(result.dimensions) <= set(DIMENSIONS)
        assert result.industries and set(result.industries) <= set(INDUSTRIES)
        assert list(result.scores) == list(LABELS)
        assert all(0.0 <= p <= 1.0 for p in result.scores.values())


def test_clear_cases_get_the_taxonomy_labels(classifier):
    gallium, duty = classifier.classify([GALLIUM, AD_DUTY])
    assert "key_inputs" in gallium.dimensions and "critical_minerals" in gallium.industries
    assert duty.dimensions == ["governance"] and "metals_chemicals" in duty.industries


def test_unchanged_text_is_never_encoded_twice(classifier, monkeypatch):
    item = {
        "id": "cache-1",
        "title": "Japan adds chip-making tools to its export controls",
        "text": "METI licence rule.",
    }
    classifier.classify([item])
    calls = []
    original = classifier.encoder.encode
    monkeypatch.setattr(
        classifier.encoder, "encode", lambda texts, **kw: calls.append(len(texts)) or original(texts, **kw)
    )
    again = classifier.classify([{**item, "id": "cache-2"}, AD_DUTY, {**item, "id": "cache-3"}])
    assert calls == []  # both texts were seen before
    assert [r.id for r in again] == ["cache-2", "a1", "cache-3"]
    assert again[0].scores == again[2].scores


def test_held_out_accuracy_is_far_above_chance(classifier, examples):
    """Not the target (bench/classify.py measures that) but a floor any sane model clears."""
    from classifier.evaluation import report
    from classifier.training import label_matrix

    test = split(examples, "test")
    results = classifier.classify(training.items_of(test))
    summary = report(label_matrix(test), [(r.dimensions, r.industries) for r in results])["summary"]
    assert summary["dimensions"]["micro_f1"] > 0.75
    assert summary["industries"]["micro_f1"] > 0.65


def test_a_head_for_other_labels_is_refused(tmp_path):
    from safetensors.numpy import save_file

    path = tmp_path / "head.safetensors"
    save_file(
        {"weights": np.zeros((3, 2), np.float32), "bias": np.zeros(2, np.float32)},
        str(path),
        metadata={"labels": json.dumps(["a", "b"]), "signals": "[]", "info": "{}"},
    )
    with pytest.raises(BadArtefact, match="other labels"):
        Head.load(path)
    with pytest.raises(BadArtefact, match="does not exist"):
        Head.load(tmp_path / "missing.safetensors")


# -- training --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory, examples):
    """About sixty training items (every twentieth) and a few held-out ones: enough to train in seconds."""
    lines = DATA_FILE.read_text().splitlines()
    train = [line for line in lines if '"split": "train"' in line][::20]
    test = [line for line in lines if '"split": "test"' in line][:5]
    path = tmp_path_factory.mktemp("data") / "small.jsonl"
    path.write_text("\n".join(train + test) + "\n")
    return path


@pytest.fixture(scope="session")
def trained(classifier, small_dataset, tmp_path_factory):
    folder = tmp_path_factory.mktemp("heads")
    return [
        training.train(classifier.featurizer, small_dataset, folder / f"{name}.safetensors", seed=7)
        + (folder / f"{name}.safetensors",)
        for name in ("first", "second")
    ]


def test_training_is_reproducible(trained, small_dataset):
    (head_a, version_a, path_a), (head_b, version_b, path_b) = trained
    assert path_a.read_bytes() == path_b.read_bytes()
    assert version_a == version_b
    features = np.random.default_rng(0).normal(size=(4, head_a.weights.shape[0])).astype(np.float32)
    assert np.array_equal(head_a.probabilities(features), head_b.probabilities(features))
    info = Head.load(path_a).info
    assert info["seed"] == 7
    assert info["train_items"] == small_dataset.read_text().count('"split": "train"')


def test_training_never_reads_the_held_out_split(classifier, trained, small_dataset, tmp_path):
    scrambled = tmp_path / "scrambled.jsonl"
    records = [json.loads(line) for line in small_dataset.read_text().splitlines()]
    for record in records:
        if record["split"] == "test":
            record["dimensions"], record["industries"], record["text"] = ["partnerships"], ["quantum"], "changed"
    scrambled.write_text("\n".join(json.dumps(record) for record in records) + "\n")
    head, _ = training.train(classifier.featurizer, scrambled, tmp_path / "scrambled.safetensors", seed=7)
    assert np.array_equal(head.weights, trained[0][0].weights)


# -- the classify command --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "line 3: not valid JSON"),
        ('["a list"]', "line 3: expected a JSON object"),
        ('{"id": "x", "title": "only a title"}', "line 3: missing text"),
        ('{"id": "x"}', "line 3: missing title and text"),
        ('{"title": 5, "text": "t"}', "line 3: missing title"),
    ],
)
def test_bad_lines_are_named_by_number(line, message):
    with pytest.raises(BadLine, match=message):
        parse_line(line, 3)


def test_classify_reads_a_file_reports_bad_lines_and_classifies_the_rest(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(GALLIUM),
                "this is not json",
                json.dumps({"id": "no-text", "title": "A title only"}),
                json.dumps(AD_DUTY),
                "",
                json.dumps({"id": 7, "title": "Quantum computers added to UK export controls", "text": ""}),
            ]
        )
        + "\n"
    )
    result = run_cli("classify", str(path))
    assert result.returncode == 1
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: missing text" in result.stderr
    assert "3 item(s) classified, 2 bad line(s) skipped" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["g1", "a1", 7]
    for row in rows:
        assert set(row) == {"id", "dimensions", "industries", "scores", "confidence", "needs_review"}
        assert set(row["scores"]) == set(LABELS)
        assert 0.0 <= row["confidence"] <= 1.0 and isinstance(row["needs_review"], bool)


def test_classify_reads_stdin():
    result = run_cli("classify", input=json.dumps(GALLIUM) + "\n" + json.dumps(AD_DUTY) + "\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["g1", "a1"]
    assert "critical_minerals" in rows[0]["industries"]


@pytest.mark.parametrize(
    "list_name, dimensions",
    [
        ("Entity List (EL) - Bureau of Industry and Security", ["key_inputs"]),
        ("METI End User List", ["key_inputs"]),
        ("Specially Designated Nationals and Blocked Persons List (SDN)", ["governance"]),
        ("Unreliable Entity List (不可靠实体清单)", ["governance"]),
        ("UN Security Council Consolidated List: Libya", ["governance"]),
        ("Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department", ["governance"]),
    ],
)
def test_a_list_entry_takes_its_lists_instrument(list_name, dimensions):
    from classifier.rules import list_dimensions

    item = {"title": "Some Party", "text": f"{list_name}. Address: Beijing, CN.", "kind": "listing"}
    assert list_dimensions(item) == dimensions
    assert list_dimensions({**item, "kind": None}) is None  # a document mentioning a list is not an entry
    assert list_dimensions({**item, "text": "A list we do not know. Entity List mentioned later."}) is None


@pytest.mark.parametrize(
    "name, industries",
    [
        ("GAZPROMBANK JOINT STOCK COMPANY", ["cross_sector"]),
        ("JOINT STOCK COMPANY RUSSIAN AGRICULTURAL BANK", ["cross_sector"]),
        ("Bank Melli Iran", ["cross_sector"]),
        ("Banco de Venezuela", ["cross_sector"]),
        ("Bankers Petroleum Ltd", None),
        ("Sinopec Group", None),
    ],
)
def test_a_listed_bank_is_cross_sector_whoever_owns_it(name, industries):
    from classifier.rules import listing_industries

    item = {
        "title": name,
        "text": "Specially Designated Nationals (SDN) - Treasury Department. Entity.",
        "kind": "listing",
    }
    assert listing_industries(item) == industries
    assert listing_industries({**item, "kind": None}) is None  # a document about a bank keeps the head's industries


def test_the_classifier_applies_the_bank_rule(classifier):
    [result] = classifier.classify(
        [
            {
                "id": "b",
                "title": "GAZPROMBANK JOINT STOCK COMPANY",
                "kind": "listing",
                "text": "Sectoral Sanctions Identifications List (SSI) - Treasury Department. Entity.",
            }
        ]
    )
    assert result.industries == ["cross_sector"] and result.dimensions == ["governance"]


# -- this round's data: the random list sample, Chinese measures ----------------------------------


def test_the_random_sample_of_list_entries_is_large_and_partly_held_out(examples):
    sample = [e for e in examples if e.sample == "csl-2022-05-random"]
    assert len(sample) >= 200 and all(e.kind == "listing" and e.id.startswith("csl-") for e in sample)
    assert len(split(sample, "test")) >= 50
    assert len({e.id.split("-")[1] for e in sample}) >= 10  # stratified by list: every list is drawn


def test_chinese_measures_are_labelled_with_a_held_out_part(examples):
    chinese = [e for e in examples if e.language == "zh"]
    assert len(chinese) >= 60 and len(split(chinese, "test")) >= 15
    assert all(any("\u4e00" <= char <= "\u9fff" for char in e.title) for e in chinese)


# -- confidence and corrections --------------------------------------------------------------------


def test_confidence_is_the_weakest_decisions_support():
    from classifier.model import confidence

    scores = {"governance": 0.9, "key_inputs": 0.2, "energy": 0.6, "cross_sector": 0.1}
    assert confidence(scores, {"governance", "energy"}, set()) == pytest.approx(
        0.2
    )  # energy: 0.6 is 20% of the way to 1
    assert confidence(scores, {"governance", "key_inputs"}, set()) == 0.0  # key_inputs chosen against its score
    assert confidence(scores, {"governance"}, {"energy", "key_inputs", "cross_sector"}) == pytest.approx(0.8)
    assert confidence({"energy": 0.6}, set(), {"energy"}) == 1.0  # every label set by a rule


def test_rule_fixed_labels_leave_confidence_to_the_rest(classifier):
    [bank] = classifier.classify(
        [
            {
                "id": "b",
                "title": "BANK MELLI IRAN",
                "kind": "listing",
                "text": "Specially Designated Nationals (SDN) - Treasury Department. Entity.",
            }
        ]
    )
    assert bank.industries == ["cross_sector"] and bank.confidence == 1.0 and not bank.needs_review


def test_a_forced_choice_needs_review(classifier):
    [vague] = classifier.classify([{"id": "v", "title": "Notice", "text": "A notice."}])
    top = max(vague.scores[label] for label in INDUSTRIES)
    if top < 0.5:  # no industry passed the threshold: the likeliest was chosen anyway
        assert vague.needs_review and vague.confidence == 0.0
    else:
        assert vague.confidence < 1.0


def test_training_reads_corrections_and_records_them(classifier, small_dataset, trained, tmp_path):
    record = json.loads(small_dataset.read_text().splitlines()[0])
    corrections = tmp_path / "corrections.jsonl"
    corrections.write_text(
        json.dumps(
            {
                "id": "r1",
                "title": record["title"],
                "text": record["text"],
                "kind": record.get("kind"),
                "dimensions": ["partnerships"],
                "industries": ["quantum"],
            }
        )
        + "\n"
    )
    head, _ = training.train(
        classifier.featurizer, small_dataset, tmp_path / "corrected.safetensors", seed=7, corrections=corrections
    )
    assert head.info["corrections"] == {"replaced": 1, "added": 0, "held_out": 0}
    assert not np.array_equal(head.weights, trained[0][0].weights)
