"""Same input, same lists: byte-identical results, whatever order Python's sets happen to have.

`chokepoint screen` runs in its own process under several PYTHONHASHSEED values. "Siemens"
sounds like five listed words at once (Saman, Samen, Siman, Simin, Simon): which of those
the index follows, and so which candidates come out, must never depend on a set's order.
"""

import json
import sqlite3

import pytest

from spiders.kit.items import Listing
from tests.kit.cli import run_cli
from tests.kit.published import build_published, csl_listing, sample_listings, sample_records

SEEDS = ("1", "2", "3", "4", "5")


def _sdn(entry_id: str, name: str, alt_names=(), countries=(), entity_type="Entity") -> Listing:
    return csl_listing("SDN", entry_id, name, alt_names, countries, entity_type)


# Real entries of the May 2022 Consolidated Screening List whose names sound like "Siemens",
# and the one whose alias shares "Societe Generale".
SOUND_ALIKES = [
    _sdn("13135", "SAMAN BANK", ["BANK-E SAMAN"], ["IR"]),
    _sdn("15135", "SAMAN SHIPPING COMPANY LIMITED", countries=["CY"]),
    _sdn("30404", "PAYA SAMAN PARS", ["PAYA SAMAN PARS COMPANY"], ["IR"]),
    _sdn("25913", "SEPAHAN CEMENT", ["SIMAN SEPAHAN"], ["IR"]),
    _sdn(
        "11314",
        "NAVAL DEFENCE MISSILE INDUSTRY GROUP",
        [
            "CRUISE MISSILE INDUSTRY GROUP",
            "CRUISE SYSTEMS INDUSTRY GROUP",
            "8TH IMAM INDUSTRIES GROUP",
            "SAMEN AL-A'EMMEH INDUSTRIES GROUP",
        ],
        ["IR"],
    ),
    _sdn("7518", "MOYO, Simon Khaya", entity_type="Individual"),
    Listing(
        source="csl",
        list_code="EL",
        list_name="(EL)",
        entry_id="7a1a4bb8d142",
        name="Simin Neda Industrial and Electrical Parts",
        alt_names=["TTSN"],
        countries=["IR"],
    ),
    _sdn(
        "28178",
        "PAIN VICTOIRE",
        [
            "PAINS VICTOIRE",
            "SOCIETE GENERALE DE PAIN",
            "SOCIETE GENERALE DES PAINS",
            "PAN VICTOIRE",
            "SOCIETE GENERAL DES PAINS SPRL",
        ],
        ["CD"],
    ),
]

VENDORS = """name,country,id
Siemens AG,DE,V1
Siemens,,V2
Simons Saman,,V3
Société Générale,FR,V4
Huawei Technologies Co Ltd,CN,V5
Rosneft Trading SA,CH,V6
"""


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    """Each seed's JSON output and receipt hash."""
    folder = tmp_path_factory.mktemp("determinism")
    db_path = folder / "chokepoint.db"
    build_published(db_path, sample_records(sample_listings() + SOUND_ALIKES))
    vendors = folder / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")
    outputs = {}
    for seed in SEEDS:
        private = folder / f"private-{seed}.db"
        result = run_cli(
            "screen",
            str(vendors),
            "--db",
            str(db_path),
            "--private-db",
            str(private),
            "--limit",
            "5",
            env={"PYTHONHASHSEED": seed},
        )
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(private) as connection:
            [(receipt,)] = connection.execute("SELECT results_sha256 FROM screening_runs").fetchall()
        outputs[seed] = (result.stdout, receipt)
    return outputs


def test_the_json_output_is_byte_identical_under_every_hash_seed(screened):
    first = screened[SEEDS[0]][0]
    siemens = json.loads(first.splitlines()[1])
    assert siemens["query"] == "Siemens" and siemens["matches"]  # the sound-alike ties were there to break
    for seed in SEEDS[1:]:
        assert screened[seed][0] == first, f"PYTHONHASHSEED={seed} changed the output"


def test_the_receipt_hash_is_the_same_under_every_hash_seed(screened):
    assert len({receipt for _, receipt in screened.values()}) == 1
