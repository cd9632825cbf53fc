"""People's corrections as training input: they replace or add training labels, never touch the held-out split."""

from __future__ import annotations

import json

import pytest

from classifier.corrections import apply_corrections, read_corrections
from classifier.dataset import BadDataset, load, split


@pytest.fixture(scope="module")
def examples():
    return load()


def _write(path, records):
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def test_a_correction_replaces_a_training_items_labels(examples, tmp_path):
    item = split(examples, "train")[0]
    path = _write(
        tmp_path / "c.jsonl",
        [
            {
                "id": "row-1",
                "title": item.title,
                "text": f"  {item.text} ",
                "kind": item.kind,
                "dimensions": ["partnerships"],
                "industries": ["quantum"],
                "note": "checked",
            }
        ],
    )
    corrected, counts = apply_corrections(examples, path)
    assert counts.as_dict() == {"replaced": 1, "added": 0, "held_out": 0}
    assert len(corrected) == len(examples)
    changed = next(e for e in corrected if e.id == item.id)
    assert (changed.dimensions, changed.industries, changed.split) == (("partnerships",), ("quantum",), "train")


def test_a_new_correction_joins_the_training_split_in_a_group_of_its_own(examples, tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [
            {
                "id": "csl:SDN:1",
                "title": "NEW REFINERY LLC",
                "kind": "listing",
                "text": "Specially Designated Nationals (SDN) - Treasury Department. Entity.",
                "aliases": ["NR"],
                "dimensions": ["governance"],
                "industries": ["energy"],
            }
        ],
    )
    corrected, counts = apply_corrections(examples, path)
    assert counts.added == 1 and len(corrected) == len(examples) + 1
    added = corrected[-1]
    assert (added.split, added.group, added.kind, added.aliases) == (
        "train",
        "correction:csl:SDN:1",
        "listing",
        ("NR",),
    )


def test_a_correction_of_a_held_out_item_is_left_out_and_counted(examples, tmp_path):
    item = split(examples, "test")[0]
    path = _write(
        tmp_path / "c.jsonl",
        [
            {
                "id": "x",
                "title": item.title,
                "text": item.text,
                "kind": item.kind,
                "dimensions": ["partnerships"],
                "industries": ["quantum"],
            }
        ],
    )
    corrected, counts = apply_corrections(examples, path)
    assert counts.as_dict() == {"replaced": 0, "added": 0, "held_out": 1}
    assert corrected == examples


@pytest.mark.parametrize(
    "line, message",
    [
        ("{not json", "c.jsonl line 2: not valid JSON"),
        ('["a list"]', "c.jsonl line 2: expected a JSON object"),
        ('{"id": "x", "title": "t", "text": "t", "dimensions": ["governance"]}', "c.jsonl line 2: missing industries"),
        (
            '{"id": "x", "title": "t", "text": "t", "dimensions": ["governance"], "industries": ["finance"]}',
            "c.jsonl line 2: unknown label",
        ),
    ],
)
def test_a_bad_correction_line_is_named(tmp_path, line, message):
    path = tmp_path / "c.jsonl"
    path.write_text(
        '{"id": "a", "title": "t", "text": "u", "dimensions": ["governance"], "industries": ["energy"]}\n'
        + line
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(BadDataset, match=message):
        read_corrections(path)
