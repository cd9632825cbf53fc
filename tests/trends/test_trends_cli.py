"""`chokepoint trends` and `chokepoint surges`, run as installed, on real databases."""

import csv
import io
import json

from sqlite_utils import Database

from pipeline.store import ensure_schema
from pipeline.store.registry import replace_sources
from tests.kit.cli import run_cli
from tests.trends.conftest import SOURCES


def test_trends_as_a_table_states_the_window_and_what_was_counted(stored):
    result = run_cli("trends", "--db", str(stored), "--since", "2023-10", "--until", "2023-10", check=True)
    assert result.stdout.splitlines() == [
        "month    industry        new measures  new listings",
        "2023-10  semiconductors  2             0",
    ]
    assert "Counted 2 new measures and 0 new listings from 2023-10-01 to 2023-10-31, per month, by industry" in (
        result.stderr
    )
    assert "Not counted: 1 copy/copies of a document already counted" in result.stderr
    assert "Not counted: 1 listing(s) that came with their list's first crawl" in result.stderr


def test_trends_as_json_and_csv(stored):
    args = ("--by", "list", "--period", "week", "--since", "2026-11-23", "--until", "2026-11-30")
    shown = json.loads(run_cli("trends", "--db", str(stored), *args, "--format", "json", check=True).stdout)
    assert shown["window"] == {"since": "2026-11-23", "until": "2026-11-30"}
    assert shown["counted"]["new_listings"] == 1
    # Only groups with something counted are rows; the week before has none.
    assert shown["rows"] == [
        {"period": "2026-W49", "start": "2026-11-30", "list": "csl:EL", "new_measures": 0, "new_listings": 1}
    ]
    text = run_cli(
        "trends",
        "--db",
        str(stored),
        "--by",
        "jurisdiction",
        "--since",
        "2022",
        "--until",
        "2023",
        "--format",
        "csv",
        check=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["period"], r["jurisdiction"], r["new_measures"]) for r in rows if r["jurisdiction"]] == [
        ("2022-10", "US", "1"),
        ("2023-10", "US", "2"),
    ]
    assert len(rows) == 24  # every month of the two years


def test_nothing_new_in_the_window_is_said_not_implied(stored):
    result = run_cli("trends", "--db", str(stored), "--since", "2021-01-01", "--until", "2021-12-31", check=True)
    assert "Warning: nothing new from 2021-01-01 to 2021-12-31; stored items are dated from 2020-12-18" in result.stderr


def test_a_missing_database_is_an_error_and_is_not_created(tmp_path):
    path = tmp_path / "none.db"
    for command in ("trends", "surges"):
        result = run_cli(command, "--db", str(path))
        assert result.returncode == 1 and "no such database" in result.stderr
    assert not path.exists()


def test_a_never_crawled_database_is_an_error(tmp_path):
    path = tmp_path / "chokepoint.db"
    db = Database(path)
    ensure_schema(db)
    replace_sources(db, SOURCES)
    db.conn.close()
    for command in ("trends", "surges"):
        result = run_cli(command, "--db", str(path))
        assert result.returncode == 1 and "no source has ever been crawled" in result.stderr


def test_surges_on_the_stored_rules(stored):
    result = run_cli("surges", "--db", str(stored), "--since", "2023-10-23", "--until", "2023-10-29", check=True)
    # Two rules in one week, but the Federal Register history here starts in October 2022 with one rule:
    # 52 known weeks, one measure in them.
    assert result.stdout.splitlines()[0].startswith(
        "semiconductors, US: 2 new measures in the week of 2023-10-23 against 0.0 a week over the last six months"
    )
    assert "federal_register:2023-23049, federal_register:2023-23055" in result.stdout
    assert "1 surge(s) in the weeks from 2023-10-23 to 2023-10-29" in result.stderr
    shown = [
        json.loads(line)
        for line in run_cli(
            "surges",
            "--db",
            str(stored),
            "--since",
            "2023-10-23",
            "--until",
            "2023-10-29",
            "--format",
            "json",
            check=True,
        ).stdout.splitlines()
    ]
    assert [(s["industry"], s["jurisdiction"], s["count"]) for s in shown] == [("semiconductors", "US", 2)]


def test_trends_on_the_demo(demo_db):
    result = run_cli("trends", "--db", str(demo_db), "--since", "2024-01", "--until", "2024-01", check=True)
    assert "2024-01  cross_sector" in result.stdout
    assert "Not counted: 7 copy/copies of a document already counted" in result.stderr
    # The demo's Federal Register sample is mostly the first weeks of January 2024, against a US history that
    # starts with NIST CHIPS' first notice (2023-09-25): the week of 2024-01-08 stands out, and each surge
    # names the documents it counted, which are exactly the stored ones of that week.
    found = run_cli("surges", "--db", str(demo_db), "--since", "2024-01-01", "--until", "2024-01-14", check=True)
    [line] = [line for line in found.stdout.splitlines() if line.startswith("cross_sector, US: ")]
    stored = (
        Database(demo_db)
        .execute(
            "SELECT count(DISTINCT document_number) FROM documents WHERE jurisdiction = 'US' "
            "AND publication_date BETWEEN '2024-01-08' AND '2024-01-14' AND industries LIKE '%cross_sector%'"
        )
        .fetchone()[0]
    )
    assert line.startswith(f"cross_sector, US: {stored} new measures in the week of 2024-01-08 against ")
    assert "surge(s) in the weeks from 2024-01-01 to 2024-01-14" in found.stderr
