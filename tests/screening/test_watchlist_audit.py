"""Cases 3 and 7 of the screening issue: nothing a team entered is lost. Replacing a watchlist
with an empty or shorter-than-its-file one is refused unless asked for, every version is kept;
removing a watchlist keeps its alerts and reviews and asks first."""

import json

import pytest
from sqlite_utils import Database

from tests.kit.cli import run_cli
from tests.kit.published import build_published

VENDORS = (
    "name,country,id\n"
    "Huawei Technologies Co Ltd,CN,V0001\n"
    "Acme Widgets Secret Supplier,US,V0002\n"
    "Rosneft Trading SA,CH,V0003\n"
)
# Every row has an extra cell and none has a name: nothing of it can be read.
UNREADABLE = "name,country,id\n,CN,V0001,x\n,US,V0002,y\n"
PARTLY = "name,country,id\nHuawei Technologies Co Ltd,CN,V0001\n,US,V0002\n"


@pytest.fixture
def setup(tmp_path):
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    build_published(db_path)[0].conn.close()
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")

    def chokepoint(*args, **kwargs):
        return run_cli(*args, "--private-db", str(private_path), **kwargs)

    def add(path, *extra):
        return chokepoint("watchlist", "add", "vendors", str(path), "--db", str(db_path), *extra)

    assert add(vendors).returncode == 0
    return tmp_path, private_path, chokepoint, add


def entries(private_path):
    return run_cli("watchlist", "list", "--private-db", str(private_path), check=True).stdout


def written(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("content", [UNREADABLE, PARTLY], ids=["empty", "rows-skipped"])
def test_replacing_a_watchlist_with_fewer_rows_than_its_file_is_refused(setup, content):
    tmp_path, private_path, _, add = setup
    result = add(written(tmp_path, "ragged.csv", content))
    assert result.returncode == 1, result.stdout
    assert "Error: watchlist 'vendors' not replaced:" in result.stderr
    assert "--replace-with-fewer" in result.stderr
    assert "vendors\t3 counterparties" in entries(private_path)
    assert Database(private_path).execute("SELECT count(*) FROM watchlist_versions").fetchone()[0] == 1


def test_replacing_with_fewer_when_asked_keeps_every_version(setup):
    tmp_path, private_path, chokepoint, add = setup
    result = add(written(tmp_path, "ragged.csv", PARTLY), "--replace-with-fewer")
    assert result.returncode == 0, result.stderr
    assert "vendors\t1 counterparties" in entries(private_path)
    history = chokepoint("watchlist", "history", "vendors", check=True).stdout.splitlines()
    assert [line.split()[:3] for line in history] == [["v1", "3", "counterparties"], ["v2", "1", "counterparties"]]
    assert "1 row(s) not read" in history[1] and "current" in history[1]
    first = chokepoint("watchlist", "history", "vendors", "--version", "1", check=True).stdout
    assert (
        first
        == "row,name,country,id,address\n2,Huawei Technologies Co Ltd,CN,V0001,\n3,Acme Widgets Secret Supplier,US,V0002,\n4,Rosneft Trading SA,CH,V0003,\n"
    )


def test_removing_a_watchlist_keeps_its_alerts_and_reviews_and_asks_first(setup):
    _, private_path, chokepoint, _ = setup
    alert = json.loads(chokepoint("alerts", "--format", "json", check=True).stdout.splitlines()[0])["alerts"][0]
    chokepoint("review", str(alert["id"]), "--confirmed", "--note", "it is them", "--by", "anna", check=True)

    refused = chokepoint("watchlist", "remove", "vendors", input="n\n")
    assert refused.returncode == 1
    assert "Remove watchlist 'vendors' (3 counterparties, " in refused.stdout
    assert "vendors\t3 counterparties" in entries(private_path)

    chokepoint("watchlist", "remove", "vendors", input="y\n", check=True)
    private = Database(private_path)
    assert private["alerts"].count > 0 and private["reviews"].count == 1
    assert private["watchlist_entries"].count == 3
    assert "vendors\t3 counterparties" in entries(private_path) and "removed 2026-11-28T12:00:00Z" in entries(
        private_path
    )
    assert chokepoint("alerts", check=True).stdout == ""  # a removed watchlist's alerts are not worked on
    kept = chokepoint("alerts", "--status", "all", "--include-removed", "--format", "json", check=True).stdout
    groups = [json.loads(line) for line in kept.splitlines()]
    assert groups and all(group["watchlist_removed"] == "2026-11-28T12:00:00Z" for group in groups)
    assert alert["id"] in [a["id"] for group in groups for a in group["alerts"]]
    receipt = chokepoint("receipt", "1", check=True)
    assert json.loads(receipt.stdout)["kind"] == "watchlist"


def test_remove_yes_does_not_ask(setup):
    _, private_path, chokepoint, _ = setup
    result = chokepoint("watchlist", "remove", "vendors", "--yes", check=True)
    assert "Remove watchlist" not in result.stdout
    assert "\tremoved 2026-11-28T12:00:00Z" in entries(private_path)


def test_adding_a_removed_watchlist_again_brings_it_back_with_its_history(setup):
    tmp_path, private_path, chokepoint, add = setup
    chokepoint("watchlist", "remove", "vendors", "--yes", check=True)
    assert add(tmp_path / "vendors.csv").returncode == 0
    assert "\tremoved " not in entries(private_path)
    history = chokepoint("watchlist", "history", "vendors", check=True).stdout.splitlines()
    assert len(history) == 1  # the same file again is the same version


def test_a_private_database_from_before_versions_keeps_everything(tmp_path):
    """The migrations make what was stored version 1 and give its alerts the firm's ids."""
    from pipeline.screening.private.database import migrations, open_private

    path = tmp_path / "private.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_watchlist_versions")
    old["watchlists"].insert(
        {
            "id": 1,
            "name": "vendors",
            "created": "t",
            "updated": "t",
            "source_file": "v.csv",
            "input_sha256": "abc",
            "entries": 1,
        }
    )
    old["watchlist_entries"].insert(
        {
            "watchlist_id": 1,
            "row_number": 2,
            "entry_key": "k",
            "name": "Rosneft Trading SA",
            "country": "CH",
            "counterparty_id": "V0003",
        }
    )
    old["alerts"].insert(
        {"id": 7, "watchlist_id": 1, "entry_key": "k", "counterparty": "Rosneft Trading SA", "status": "open"}
    )
    old.conn.close()

    private = open_private(path)
    [version] = private["watchlist_versions"].rows
    assert (version["version"], version["entries"], version["source_file"]) == (1, 1, "v.csv")
    assert private["watchlists"].get(1)["version_id"] == version["id"]
    assert private["watchlist_entries"].get(1)["version_id"] == version["id"]
    alert = private["alerts"].get(7)
    assert (alert["counterparty_id"], alert["kind"], alert["delisted_on"]) == ("V0003", "listed", None)
