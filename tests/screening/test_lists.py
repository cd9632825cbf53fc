"""Case 1 of the screening issue: an unknown list code is an error naming the valid ones, and
`chokepoint lists` (or `sources --lists`) shows the lists with their counts and last crawl."""

import json

import pytest

from tests.kit.cli import FROZEN_NOW, run_cli
from tests.kit.published import build_published

VENDORS = "name,country,id\nHuawei Technologies Co Ltd,CN,V0001\nRosneft Trading SA,CH,V0002\n"


@pytest.fixture
def published(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    db, _ = build_published(db_path)
    db.conn.close()
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")
    return db_path, vendors


def screen(tmp_path, db_path, vendors, *args):
    return run_cli("screen", str(vendors), "--db", str(db_path), "--private-db", str(tmp_path / "private.db"), *args)


@pytest.mark.parametrize("lists", ["XYZ", "Entity List", "EL,XYZ"])
def test_an_unknown_list_code_is_an_error_naming_the_valid_codes(published, tmp_path, lists):
    db_path, vendors = published
    result = screen(tmp_path, db_path, vendors, "--lists", lists)
    assert result.returncode == 1, result.stdout
    assert result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    unknown = [code for code in lists.split(",") if code != "EL"]
    assert line.startswith(f"Error: unknown list {', '.join(repr(code) for code in unknown)}")
    assert "Lists: CAP, CMIC, DPL, DTC, EL, FSE, ISN, MEU, NS-MBS, PLC, SDN, SSI, UVL; sources: csl" in line
    assert "`chokepoint lists`" in line
    if lists == "Entity List":
        assert ": did you mean EL (Entity List (EL) - Bureau of Industry and Security)? Lists:" in line
    assert not (tmp_path / "private.db").exists()  # nothing was screened, so no receipt


def test_list_codes_and_sources_are_read_whatever_their_case(published, tmp_path):
    db_path, vendors = published
    result = screen(tmp_path, db_path, vendors, "--lists", "el,Csl")
    assert result.returncode == 0, result.stderr


def test_the_lists_command_shows_codes_names_sources_counts_and_last_crawl(published):
    db_path, _ = published
    result = run_cli("lists", "--db", str(db_path), check=True)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["list", "name", "source", "listings", "last", "success", "status"]
    el = next(line for line in lines if line.startswith("EL "))
    assert el.split()[-4:] == ["csl", "43", FROZEN_NOW, "ok"]
    assert "Entity List (EL) - Bureau of Industry and Security" in el
    rows = [json.loads(line) for line in run_cli("lists", "--db", str(db_path), "--format", "json").stdout.splitlines()]
    assert {row["list"] for row in rows} >= {"EL", "SDN", "SSI", "CMIC"}
    el_row = next(row for row in rows if row["list"] == "EL")
    assert el_row == {
        "list": "EL",
        "name": "Entity List (EL) - Bureau of Industry and Security",
        "source": "csl",
        "listings": 43,  # the sample's 42 and one more real entry (tests/kit/published.py)
        "last_success": FROZEN_NOW,
        "status": "ok",
    }


def test_sources_lists_is_the_same_table(published):
    db_path, _ = published
    assert (
        run_cli("sources", "--lists", "--db", str(db_path), check=True).stdout
        == run_cli("lists", "--db", str(db_path), check=True).stdout
    )


def test_a_registered_source_never_crawled_is_named_as_such(published, tmp_path):
    from sqlite_utils import Database

    from pipeline.crawl.registry import register_sources

    db_path, vendors = published
    register_sources(Database(db_path))
    result = screen(tmp_path, db_path, vendors, "--lists", "ofac_sdn")
    assert result.returncode == 1
    assert "unknown list 'ofac_sdn': 'ofac_sdn' has no listings yet (`chokepoint crawl ofac_sdn`)." in result.stderr
    screened = screen(tmp_path, db_path, vendors)
    assert "Never crawled, so not screened against: bis_denied, fcc_covered, meti_end_user, mofcom" in screened.stderr
    assert (
        "Never crawled, so nothing of theirs is screened: bis_denied" in run_cli("lists", "--db", str(db_path)).stderr
    )
