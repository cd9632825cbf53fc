"""Bad counterparty files: one clear line naming file and row; valid rows are still screened."""

import pytest

from pipeline.screening.counterparties import read_counterparties
from pipeline.screening.errors import ScreeningInputError
from tests.kit.cli import run_cli
from tests.kit.published import build_published


def write(tmp_path, content: bytes, name="counterparties.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_a_file_without_a_name_column_is_refused_by_name(tmp_path):
    path = write(tmp_path, b"company,country\nHuawei,CN\n")
    with pytest.raises(
        ScreeningInputError, match=rf"{path.name} row 1: no 'name' column \(columns: company, country\)"
    ):
        read_counterparties(path)


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ScreeningInputError, match="counterparties.csv: the file is empty"):
        read_counterparties(write(tmp_path, b""))


def test_a_header_alone_has_nothing_to_screen(tmp_path):
    with pytest.raises(ScreeningInputError, match="no rows under the header"):
        read_counterparties(write(tmp_path, b"name,country\n"))


def test_a_row_in_another_encoding_is_skipped_and_named(tmp_path):
    path = write(
        tmp_path,
        "name,country\nHuawei Technologies,CN\n".encode() + "Société Générale,FR\n".encode("latin-1") + b"Rosneft,RU\n",
    )
    parsed = read_counterparties(path)
    assert [row.query.name for row in parsed.rows] == ["Huawei Technologies", "Rosneft"]
    assert parsed.problems == [f"{path} row 3: not UTF-8 text (save the file as UTF-8); skipped"]


def test_a_ragged_row_is_skipped_and_named(tmp_path):
    path = write(tmp_path, b"name,country,id\nHuawei Technologies,CN,V1\nRosneft,RU,V2,extra\nSMIC,CN,V3\n")
    parsed = read_counterparties(path)
    assert [row.query.id for row in parsed.rows] == ["V1", "V3"]
    assert parsed.problems == [f"{path} row 3: 4 cells where the header has 3 (a stray separator or quote?); skipped"]


def test_excel_habits_are_accepted(tmp_path):
    path = write(tmp_path, "\ufeffName;Country;ID;Address\nHuawei Technologies;CN;V1;Shenzhen\n".encode())
    [row] = read_counterparties(path).rows
    assert (row.row, row.query.name, row.query.country, row.query.id, row.query.address) == (
        2,
        "Huawei Technologies",
        "CN",
        "V1",
        "Shenzhen",
    )


def test_the_cli_names_the_bad_row_and_screens_the_rest(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    build_published(db_path)
    path = write(tmp_path, b"name,country\nHuawei Technologies Co Ltd,CN\nRosneft,RU,oops\n")
    result = run_cli("screen", str(path), "--db", str(db_path), "--private-db", str(tmp_path / "private.db"))
    assert result.returncode == 0, result.stderr
    assert f"Warning: {path} row 3: 3 cells where the header has 2" in result.stderr
    assert '"query": "Huawei Technologies Co Ltd"' in result.stdout
    assert "Rosneft" not in result.stdout


def test_the_cli_refuses_a_file_without_names_in_one_line(tmp_path):
    path = write(tmp_path, b"vendor\nHuawei\n")
    result = run_cli("screen", str(path), "--db", str(tmp_path / "x.db"), "--private-db", str(tmp_path / "p.db"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: {path} row 1: no 'name' column (columns: vendor); the first row must name the columns, one of them 'name'"
    )
