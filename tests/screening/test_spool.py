"""A screened file's results go to disk as they come back and are read from there for the receipt and
the output: a bank's millions of names never sit in memory at once, and the output is the same."""

import csv
import io
import json

from sqlite_utils import Database

from pipeline.screening.match.screener import Match, Query
from pipeline.screening.private.receipts import ScreenedRow
from pipeline.screening.spool import SpooledRows, batches
from tests.kit.cli import run_cli
from tests.kit.published import build_published


def screened(number: int, matched: bool) -> ScreenedRow:
    match = Match("csl:EL:1", "HUAWEI", None, "csl", "EL", "CN", 0.9 if matched else 0.5, matched, "why")
    return ScreenedRow(number, Query(f"name {number}", None, None, None), [match])


def test_spooled_rows_come_back_in_order_as_often_as_asked_and_interleaved():
    rows = SpooledRows()
    first, second = [screened(n, n % 3 == 0) for n in range(2, 7)], [screened(n, False) for n in range(7, 9)]
    rows.extend(first)
    rows.extend([])
    rows.extend(second)
    assert [row.row_number for row in rows] == list(range(2, 9))
    assert list(rows) == first + second  # read again from the start
    outer = iter(rows)
    pairs = [(a.row_number, b.row_number) for a, b in zip(outer, rows)]
    assert pairs == [(n, n) for n in range(2, 9)]  # two readers do not move each other
    assert len(rows) == 7 and rows.matched == 2  # rows 3 and 6
    rows.close()


def test_batches_cut_any_iterable_and_keep_the_tail():
    assert list(batches(iter(range(5)), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batches([], 2)) == []


def test_a_file_past_one_batch_and_the_parallel_threshold_prints_every_row_once_in_file_order(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    build_published(db_path)[0].conn.close()
    lines, bad = ["name,country,id"], set()
    for row in range(2, 2_602):  # 2,600 rows: three spool batches, and the forked workers' path
        if row in (2, 1_001, 1_002, 2_601) or row % 500 == 0:
            lines.append(f"Rosneft,RU,V{row},extra")  # a ragged row: not screened, kept in its place
            bad.add(row)
        elif row % 7 == 0:
            lines.append(f"Huawei Technologies Co Ltd,CN,V{row}")
        else:
            lines.append(f"Meadowlark Joinery {row},GB,V{row}")
    path = tmp_path / "vendors.csv"
    path.write_text("\n".join(lines) + "\n")
    private = tmp_path / "private.db"

    def screen(output: str):
        result = run_cli("screen", str(path), "--db", str(db_path), "--private-db", str(private), "--format", output)
        assert result.returncode == 0, result.stderr
        return result

    as_json = [json.loads(line) for line in screen("json").stdout.splitlines()]
    assert [row["row"] for row in as_json] == list(range(2, 2_602))
    assert {row["row"] for row in as_json if "not_screened" in row} == bad
    matched = {row["row"] for row in as_json if any(m["match"] for m in row["matches"])}
    assert matched == {row for row in range(2, 2_602) if row % 7 == 0 and row not in bad}

    first = screen("csv")
    assert first.stdout.count("row,query,country,id,") == 1  # one header, not one per batch
    table = list(csv.DictReader(io.StringIO(first.stdout)))
    assert list(dict.fromkeys(int(line["row"]) for line in table)) == list(range(2, 2_602))
    assert len(table) == sum(max(1, len(row["matches"])) for row in as_json)
    assert f"Screened {2_600 - len(bad):,} of 2,600 row(s)" in first.stderr
    assert f"{len(matched):,} with a match, {len(bad)} not read" in first.stderr
    assert screen("csv").stdout == first.stdout  # same input, same output, byte for byte

    receipt = json.loads(run_cli("receipt", "1", "--private-db", str(private), check=True).stdout)
    assert receipt["queries"] == 2_600 - len(bad) and receipt["matches"] == sum(
        1 for row in as_json for m in row["matches"] if m["match"]
    )


def test_a_full_temporary_folder_is_one_named_error_and_nothing_is_recorded(monkeypatch, tmp_path):
    import errno
    import pickle

    from pipeline.screening import run
    from pipeline.screening.errors import SpoolFailed

    db_path = tmp_path / "chokepoint.db"
    build_published(db_path)[0].conn.close()
    path = tmp_path / "vendors.csv"
    path.write_text("name,country\nHuawei Technologies Co Ltd,CN\n")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pickle, "dump", full)
    private = tmp_path / "private.db"
    try:
        run.screen_file(db_path, private, path)
    except SpoolFailed as error:
        assert "(No space left on device); nothing recorded" in str(error)
    else:
        raise AssertionError("a screening that could not keep its results must fail")
    assert not private.exists() or Database(private)["screening_runs"].count == 0
