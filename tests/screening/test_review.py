"""Reviewing alerts: conflicting flags are an error (case 6 of the screening issue); one decision
can cover every open alert of a counterparty; the reviewer is named; the note is required."""

import getpass
import json

import pytest
from sqlite_utils import Database

from pipeline.screening import run
from tests.kit.cli import run_cli
from tests.kit.published import build_published

VENDORS = "name,country,id\nHuawei Technologies Co Ltd,CN,V0001\nRosneft Trading SA,CH,V0003\n"


@pytest.fixture
def private_path(tmp_path):
    db_path, private_path = tmp_path / "chokepoint.db", tmp_path / "private.db"
    build_published(db_path)
    vendors = tmp_path / "vendors.csv"
    vendors.write_text(VENDORS, encoding="utf-8")
    run.add_watchlist(db_path, private_path, "vendors", vendors)
    return private_path


def review(private_path, *args, env=None):
    return run_cli("review", *args, "--private-db", str(private_path), env=env)


def statuses(private_path):
    return {row["id"]: row["status"] for row in Database(private_path).query("SELECT id, status FROM alerts")}


@pytest.mark.parametrize(
    "args, message",
    [
        (["1", "--confirmed", "--false-positive"], "--confirmed and --false-positive contradict each other"),
        (["1"], "say --false-positive or --confirmed"),
        (["--confirmed"], "name an ALERT_ID or --all-for COUNTERPARTY_ID"),
        (["1", "--all-for", "V0001", "--confirmed"], "name an ALERT_ID or --all-for COUNTERPARTY_ID, not both"),
        (["1", "--confirmed", "--note", "  "], "--note must say why"),
    ],
)
def test_conflicting_or_missing_flags_are_an_error_and_record_nothing(private_path, args, message):
    before = statuses(private_path)
    note = [] if "--note" in args else ["--note", "checked"]
    result = review(private_path, *args, *note)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert statuses(private_path) == before
    assert Database(private_path)["reviews"].count == 0


def test_the_reviewer_comes_from_by_or_the_environment_or_the_user(private_path):
    ids = sorted(statuses(private_path))
    review(private_path, str(ids[0]), "--confirmed", "--note", "n", "--by", "anna")
    review(private_path, str(ids[1]), "--confirmed", "--note", "n", env={"CHOKEPOINT_REVIEWER": "bob"})
    review(private_path, str(ids[2]), "--confirmed", "--note", "n", env={"CHOKEPOINT_REVIEWER": ""})
    reviewers = [row["reviewer"] for row in Database(private_path).query("SELECT reviewer FROM reviews ORDER BY id")]
    assert reviewers == ["anna", "bob", getpass.getuser()]


def test_all_for_a_counterparty_reviews_its_open_alerts_at_once(private_path):
    huawei = [
        row["id"]
        for row in Database(private_path).query("SELECT id FROM alerts WHERE counterparty_id = 'V0001' ORDER BY id")
    ]
    assert len(huawei) > 1
    result = review(
        private_path, "--all-for", "V0001", "--false-positive", "--note", "our Huawei is a reseller", "--by", "anna"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{len(huawei)} alert(s) of V0001 Huawei Technologies Co Ltd in watchlist 'vendors': "
        f"false positive by anna [reviews 1-{len(huawei)}]"
    )
    after = statuses(private_path)
    assert {after[i] for i in huawei} == {"false_positive"}
    assert {status for i, status in after.items() if i not in huawei} == {"open"}
    again = review(private_path, "--all-for", "V0001", "--confirmed", "--note", "x")
    assert again.returncode == 1 and "no open alerts for counterparty 'V0001'" in again.stderr
    groups = run_cli(
        "alerts", "--status", "false_positive", "--format", "json", "--private-db", str(private_path), check=True
    )
    [group] = [json.loads(line) for line in groups.stdout.splitlines()]
    assert group["counterparty_id"] == "V0001" and len(group["alerts"]) == len(huawei)
