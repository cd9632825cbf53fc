"""The register of listed parties: a sound file, honest provenance, and names that match as whole words."""

from __future__ import annotations

import json

import pytest

from classifier.dataset import load, split
from classifier.register import REGISTER_FILE, BadRegister, Register, default_register


@pytest.fixture(scope="module")
def register() -> Register:
    return default_register()


def test_every_entry_names_its_public_source_and_taxonomy_industries(register):
    assert len(register.parties) >= 100
    for party in register.parties:
        assert party.source.startswith("https://") and party.names and party.industries, party.id


def test_the_issues_examples_are_held(register):
    held = {party.id for party in register.parties}
    assert {
        "avic",
        "aecc",
        "cetc",
        "norinco",
        "rostec",
        "gazprom",
        "huawei",
        "inspur",
        "sugon",
        "mikron",
        "angstrem",
    } <= held


def test_no_entry_was_written_from_a_held_out_group(register):
    """An entry's basis is "outside" or the training group it was written from: never a held-out group."""
    examples = load()
    train_groups = {e.group for e in split(examples, "train")}
    test_groups = {e.group for e in split(examples, "test")}
    for party in register.parties:
        if party.basis == "outside":
            continue
        group = party.basis.removeprefix("training: ")
        assert group in train_groups and group not in test_groups, (party.id, party.basis)


@pytest.mark.parametrize(
    "text, party",
    [
        ("AVIC Chengdu Aircraft Industrial (GROUP) Co., Ltd.", "avic"),
        ("JOINT STOCK COMPANY MIKRON", "mikron"),
        ("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE", "irgc"),
        ("PUBLIC JOINT STOCK COMPANY GAZPROM", "gazprom"),
        ("EXECUTION OF IMAM KHOMEINI'S ORDER", "setad"),
        ("商务部关于中国航空工业集团的公告", "avic"),  # Chinese names match without spaces
    ],
)
def test_a_registered_name_is_found_as_whole_words(register, text, party):
    assert party in [found.id for found in register.match([text])]


@pytest.mark.parametrize("text", ["Avicenna Pharmaceuticals", "GAZPROMBANK JOINT STOCK COMPANY", "Rostechnadzor"])
def test_a_name_inside_another_word_is_no_match(register, text):
    assert not {"avic", "gazprom", "rostec"} & {found.id for found in register.match([text])}


def test_a_bad_line_is_named(tmp_path):
    good = REGISTER_FILE.read_text(encoding="utf-8").splitlines()[0]
    record = json.loads(good)
    for change, message in (
        ({"industries": ["finance"]}, "line 2: unknown industry finance"),
        ({"source": "somewhere"}, "line 2: the source must be a public https:// address"),
        ({"names": []}, "line 2: missing names"),
    ):
        path = tmp_path / "register.jsonl"
        path.write_text(good + "\n" + json.dumps({**record, "id": "other", **change}) + "\n", encoding="utf-8")
        with pytest.raises(BadRegister, match=message):
            Register.load(path)
    path.write_text(good + "\n" + good + "\n", encoding="utf-8")
    with pytest.raises(BadRegister, match="line 2: id .* appears twice"):
        Register.load(path)
