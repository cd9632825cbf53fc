"""What a listing says beyond its name: aliases, positions, "Linked To" parents, and how the features use them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifier.features import Featurizer
from classifier.labels import INDUSTRIES
from classifier.listing import aliases_of, linked_to, own_names, position, without_parents
from classifier.register import Register, default_register
from pipeline.cli.classify import BadLine, parse_line

SDN = "Specially Designated Nationals (SDN) - Treasury Department"


@pytest.mark.parametrize(
    "text, parents",
    [
        (
            f"{SDN}. Entity. Remarks: (Linked To: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE).",
            ["ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE"],
        ),
        (
            f"{SDN}. Vessel. Remarks: (Linked To: NATIONAL IRANIAN TANKER COMPANY; Linked To: HOKOUL SAL OFFSHORE).",
            ["NATIONAL IRANIAN TANKER COMPANY", "HOKOUL SAL OFFSHORE"],
        ),
        (f"{SDN}. Entity. Remarks: Phone No. 263-4-486946.", []),
        ("Remarks: (Linked To: MAHAN AIR; Linked To: MAHAN AIR).", ["MAHAN AIR"]),
    ],
)
def test_linked_to_parents_are_read_with_their_brackets(text, parents):
    assert linked_to(text) == parents


def test_an_individuals_position_counts_among_its_own_names():
    text = f"{SDN}. Individual. Programs: IRAN. Title: Director, NIOC International Affairs (London) Ltd. Remarks: x."
    assert position(text) == "Director, NIOC International Affairs (London) Ltd"
    item = {"title": "PARSAEI, Reza", "text": text, "aliases": ["PARSAEI, R."]}
    assert own_names(item) == ["PARSAEI, Reza", "PARSAEI, R.", "Director, NIOC International Affairs (London) Ltd"]
    assert position(f"{SDN}. Entity. Address: Tehran, IR.") == ""


def test_aliases_are_read_from_any_stored_form():
    assert aliases_of({"alt_names": '["AVIC", "AVIATION INDUSTRY OF CHINA"]'}) == ["AVIC", "AVIATION INDUSTRY OF CHINA"]
    assert aliases_of({"alt_names": ["Sugon", "  Dawning  Information "]}) == ["Sugon", "Dawning Information"]
    assert aliases_of({"alt_names": "MMCZ; MINERALS MARKETING"}) == ["MMCZ", "MINERALS MARKETING"]
    assert aliases_of({"alt_names": None}) == []


def test_without_parents_leaves_what_the_party_says_of_itself():
    text = f"{SDN}. Entity. Remarks: (Linked To: NATIONAL IRANIAN OIL COMPANY)."
    assert "OIL" not in without_parents(text) and "Remarks" in without_parents(text)


class _NoEncoder:
    """Stands in for both sentence encoders: these tests are about the party blocks alone."""

    layers = 3

    def encode(self, texts, **_):
        return np.zeros((len(texts), 512), np.float32)


def _party_blocks(item, register=None):
    featurizer = Featurizer(_NoEncoder(), _NoEncoder(), register or default_register())
    row = featurizer._party(item, np.zeros(Featurizer.layout()[-1][1] - 1, np.float32))  # no instrument signals
    width = len(INDUSTRIES)
    registered, inherited, silent = row[:width], row[width : 2 * width], row[-1]
    return (
        {label for label, on in zip(INDUSTRIES, registered) if on},
        {label for label, on in zip(INDUSTRIES, inherited) if on},
        bool(silent),
    )


def test_a_front_company_inherits_its_parents_industry():
    item = {
        "title": "DARYANAVARD KISH",
        "kind": "listing",
        "aliases": [],
        "text": f"{SDN}. Entity. Programs: IRAN. Remarks: (Linked To: NATIONAL IRANIAN TANKER COMPANY).",
    }
    assert _party_blocks(item) == (set(), {"energy"}, True)


def test_a_party_that_names_its_business_inherits_nothing():
    item = {
        "title": "JOINT STOCK COMPANY SHIPBUILDING PLANT LOTOS",
        "kind": "listing",
        "aliases": [],
        "text": f"{SDN}. Entity. Remarks: (Linked To: PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA).",
    }
    assert _party_blocks(item) == (set(), set(), False)


def test_the_register_reads_names_aliases_and_positions():
    by_alias = {"title": "JSC 123", "kind": "listing", "aliases": ["Mikron"], "text": f"{SDN}. Entity."}
    assert _party_blocks(by_alias)[0] == {"semiconductors"}
    by_position = {
        "title": "NAJJAR, Wafa'",
        "kind": "listing",
        "aliases": [],
        "text": f"{SDN}. Individual. Title: Scientific Studies and Research Center Employee.",
    }
    assert _party_blocks(by_position) == ({"aerospace_defense"}, set(), False)
    assert _party_blocks(by_position, Register([]))[0] == set()  # the "without the register" comparison


def test_classify_takes_a_listing_by_its_fields():
    line = json.dumps(
        {
            "id": "l1",
            "kind": "listing",
            "name": "AVIC Aircraft Co. Ltd.",
            "list_name": "Entity List (EL) - Bureau of Industry and Security",
            "alt_names": ["AVIC"],
            "addresses": ["Xi'an, CN"],
            "license_policy": "Presumption of denial.",
        }
    )
    item = parse_line(line, 1)
    assert item["kind"] == "listing" and item["title"] == "AVIC Aircraft Co. Ltd." and item["aliases"] == ["AVIC"]
    assert item["text"].startswith("Entity List (EL) - Bureau of Industry and Security. Address: Xi'an, CN.")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "person", "title": "x", "text": "y"}, "line 4: kind must be document or listing, not 'person'"),
        ({"kind": "listing", "name": "X Ltd"}, "line 4: a listing needs list_name"),
        ({"kind": "listing", "name": "X Ltd", "list_name": "SDN", "colour": "red"}, "line 4: unknown listing field"),
    ],
)
def test_a_bad_listing_line_is_named(fields, message):
    with pytest.raises(BadLine, match=message):
        parse_line(json.dumps(fields), 4)


@pytest.mark.parametrize(
    "dimensions, industries, registered, expected",
    [
        (
            ["governance"],
            ["cross_sector"],
            {"semiconductors"},
            ["semiconductors"],
        ),  # the register knows better than "no industry"
        (["governance"], ["energy"], {"aerospace_defense"}, ["energy", "aerospace_defense"]),  # both kept
        (["governance"], ["energy"], set(), ["energy"]),  # an unknown party: the head alone
        (["governance"], ["energy"], {"cross_sector"}, ["energy", "cross_sector"]),
    ],
)
def test_the_register_adds_what_it_knows_to_the_heads_industries(dimensions, industries, registered, expected):
    from classifier.rules import apply_rules

    item = {"title": "JSC 123", "kind": "listing", "text": f"{SDN}. Entity."}
    assert apply_rules(item, dimensions, industries, registered) == (["governance"], expected)
    bank = {**item, "title": "GAZPROMBANK"}
    assert apply_rules(bank, dimensions, industries, registered) == (
        ["governance"],
        ["cross_sector"],
    )  # the bank rule first


def test_a_registered_party_gets_the_registers_industries():
    from classifier.model import Classifier

    [mikron] = Classifier.load().classify(
        [
            {
                "id": "m",
                "kind": "listing",
                "title": "JOINT STOCK COMPANY MIKRON",
                "text": f"{SDN}. Entity. Programs: RUSSIA-EO14024.",
            }
        ]
    )
    assert "semiconductors" in mikron.industries and mikron.dimensions == ["governance"]
