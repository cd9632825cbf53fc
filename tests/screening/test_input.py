"""Bad counterparty files: one clear line naming file and row; valid rows are still screened, and
every row of the file appears in the output, screened or with the reason it was not."""

import csv
import io
import json

import pytest

from pipeline.screening.counterparties import read_counterparties
from pipeline.screening.errors import ScreeningInputError
from tests.kit.cli import run_cli
from tests.kit.published import build_published


def write(tmp_path, content: bytes, name="counterparties.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def screen(tmp_path, content: bytes, *args):
    """`chokepoint screen` of a file holding `content`, against the test listings."""
    db_path = tmp_path / "chokepoint.db"
    if not db_path.exists():
        build_published(db_path)[0].conn.close()
    path = write(tmp_path, content)
    private = tmp_path / "private.db"
    return path, run_cli("screen", str(path), "--db", str(db_path), "--private-db", str(private), *args)


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


# Case 4 of the screening issue: a Latin-1 file lost its rows with only a warning. Files are read
# the way spreadsheets save them: UTF-8 (with or without a byte-order mark), UTF-16 with its mark
# (Excel's "Unicode Text"), and otherwise Windows-1252, said so in a notice naming the file.
WESTERN = "name,country\nHuawei Technologies,CN\nMüller Maschinenbau GmbH,DE\nSociété Générale,FR\nRosneft,RU\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_files_are_decoded_as_spreadsheets_save_them(tmp_path, encoding):
    content = WESTERN.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # with their byte-order mark, as Excel writes them
        content = "\ufeff".encode(encoding) + content
    path = write(tmp_path, content)
    parsed = read_counterparties(path)
    assert [row.query.name for row in parsed.rows] == [
        "Huawei Technologies",
        "Müller Maschinenbau GmbH",
        "Société Générale",
        "Rosneft",
    ]
    assert parsed.skipped == []
    if encoding == "cp1252":
        assert parsed.notices == [
            f"{path}: not UTF-8; read as Windows-1252 (Western European), as Excel saves CSV on Windows"
        ]
    else:
        assert parsed.notices == []


def test_excel_unicode_text_is_read_with_its_tabs(tmp_path):
    content = "\ufeffname\tcountry\tid\n华为技术有限公司\tCN\tV1\n".encode("utf-16-le")
    [row] = read_counterparties(write(tmp_path, content)).rows
    assert (row.query.name, row.query.country, row.query.id) == ("华为技术有限公司", "CN", "V1")


def test_a_byte_windows_1252_leaves_undefined_keeps_its_row_with_the_reason(tmp_path):
    path = write(tmp_path, b"name,country\nM\xfcller AG,DE\nBad\x81Name Ltd,GB\n")
    parsed = read_counterparties(path)
    assert [row.query.name for row in parsed.rows] == ["Müller AG"]
    [skipped] = parsed.skipped
    assert (skipped.row, skipped.name, skipped.reason) == (
        3,
        "Bad\\x81Name Ltd",
        "byte 0x81 is not text in UTF-8 or Windows-1252",
    )


def test_utf_16_without_its_byte_order_mark_is_refused_by_name(tmp_path):
    path = write(tmp_path, "name,country\nSiemens AG,DE\n".encode("utf-16-le"))
    with pytest.raises(ScreeningInputError, match=rf"{path.name}: NUL bytes: UTF-16 without a byte-order mark\?"):
        read_counterparties(path)


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
    path, result = screen(tmp_path, b"name,country\nHuawei Technologies Co Ltd,CN\nRosneft,RU,oops\n")
    assert result.returncode == 0, result.stderr
    assert f"Warning: {path} row 3: 3 cells where the header has 2" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["row"], row["query"]) for row in rows] == [(2, "Huawei Technologies Co Ltd"), (3, "Rosneft")]
    assert "not_screened" not in rows[0]
    assert rows[1]["not_screened"] == "3 cells where the header has 2 (a stray separator or quote?)"
    assert rows[1]["matches"] == []


def test_the_cli_refuses_a_file_without_names_in_one_line(tmp_path):
    path = write(tmp_path, b"vendor\nHuawei\n")
    result = run_cli("screen", str(path), "--db", str(tmp_path / "x.db"), "--private-db", str(tmp_path / "p.db"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: {path} row 1: no 'name' column (columns: vendor); the first row must name the columns, one of them 'name'"
    )


# Case 5 of the screening issue: a row shorter than the header was skipped, and a run that
# screened nothing said "Screened 0 row(s)" and exited 0.
def test_a_row_shorter_than_the_header_has_empty_optional_cells(tmp_path):
    path = write(tmp_path, b"name,country,address\nHuawei Technologies Co Ltd,CN\nRosneft\n")
    parsed = read_counterparties(path)
    assert [(row.query.name, row.query.country, row.query.address) for row in parsed.rows] == [
        ("Huawei Technologies Co Ltd", "CN", None),
        ("Rosneft", None, None),
    ]
    assert parsed.skipped == []


def test_trailing_empty_cells_are_not_a_problem(tmp_path):
    parsed = read_counterparties(write(tmp_path, b"name,country\nHuawei Technologies Co Ltd,CN,,\n"))
    assert [row.query.name for row in parsed.rows] == ["Huawei Technologies Co Ltd"] and parsed.skipped == []


def test_the_cli_screens_a_short_row(tmp_path):
    _, result = screen(tmp_path, b"name,country,address\nHuawei Technologies Co Ltd,CN\n")
    assert result.returncode == 0, result.stderr
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["query"] == "Huawei Technologies Co Ltd" and any(m["match"] for m in row["matches"])
    assert "Screened 1 of 1 row(s)" in result.stderr


def test_a_run_that_screened_nothing_exits_non_zero_and_shows_every_row(tmp_path):
    for output in ("json", "csv"):
        path, result = screen(tmp_path, b"name,country,id\n,CN,V1\nRosneft,RU,V2,extra\n", "--format", output)
        assert result.returncode == 1
        assert f"Error: nothing screened: all 2 row(s) of {path} were not read (reasons above)" in result.stderr
        if output == "json":
            rows = [json.loads(line) for line in result.stdout.splitlines()]
            assert [(row["row"], row["id"], row["not_screened"]) for row in rows] == [
                (2, "V1", "empty name"),
                (3, "V2", "4 cells where the header has 3 (a stray separator or quote?)"),
            ]
        else:
            rows = list(csv.DictReader(io.StringIO(result.stdout)))
            assert [(row["row"], row["query"], row["not_screened"]) for row in rows] == [
                ("2", "", "empty name"),
                ("3", "Rosneft", "4 cells where the header has 3 (a stray separator or quote?)"),
            ]
    assert not (tmp_path / "private.db").exists()


def test_a_latin_1_file_is_screened_whole_with_a_notice(tmp_path):
    path, result = screen(tmp_path, WESTERN.encode("latin-1"))
    assert result.returncode == 0, result.stderr
    queries = [json.loads(line)["query"] for line in result.stdout.splitlines()]
    assert queries == ["Huawei Technologies", "Müller Maschinenbau GmbH", "Société Générale", "Rosneft"]
    assert f"Warning: {path}: not UTF-8; read as Windows-1252" in result.stderr
    receipt = json.loads(run_cli("receipt", "1", "--private-db", str(tmp_path / "private.db"), check=True).stdout)
    assert receipt["warnings"] == [
        f"{path}: not UTF-8; read as Windows-1252 (Western European), as Excel saves CSV on Windows"
    ]


# An unclosed quote made the rest of the file one cell: "Screened 2 of 2 row(s)", exit 0, and the
# listed parties after it were never screened.
BROKEN_QUOTE = (
    b'name,country,id\nA Co,CN,V1\n"Broken Co,CN,V2\nHuawei Technologies Co Ltd,CN,V3\n'
    b"Rosneft Trading SA,CH,V4\nSiemens AG,DE,V5\n"
)


def test_a_quote_left_open_to_the_end_of_the_file_names_every_line_it_swallowed(tmp_path):
    parsed = read_counterparties(write(tmp_path, BROKEN_QUOTE))
    assert [row.query.name for row in parsed.rows] == ["A Co"]
    assert [(row.row, row.name, row.id) for row in parsed.skipped] == [
        (3, "Broken Co", "V2"),
        (4, "Huawei Technologies Co Ltd", "V3"),
        (5, "Rosneft Trading SA", "V4"),
        (6, "Siemens AG", "V5"),
    ]
    assert (
        parsed.skipped[0].reason == "a quote opened here is not closed (lines 3-6 were read as one cell); fix the quote"
    )
    assert {row.reason for row in parsed.skipped[1:]} == {"inside the unclosed quote of line 3"}
    assert parsed.file_rows == 5


def test_a_quote_closed_rows_later_is_caught_too(tmp_path):
    content = b'name,country,id\n"Broken Co,CN,V2\nHuawei Technologies Co Ltd,CN,V3\nOther "Quoted" Co,DE,V4\nSiemens AG,DE,V5\n'
    parsed = read_counterparties(write(tmp_path, content))
    assert [(row.row, row.query.name) for row in parsed.rows] == [(5, "Siemens AG")]
    assert [(row.row, row.name) for row in parsed.skipped] == [
        (2, "Broken Co"),
        (3, "Huawei Technologies Co Ltd"),
        (4, 'Other "Quoted" Co'),
    ]


def test_an_address_typed_with_line_breaks_is_still_one_row(tmp_path):
    content = (
        b'name,address,country\n"Acme Ltd","Room 5, Building 2,\nNo. 8 Road, Haidian, Beijing",CN\n'
        b'Siemens AG,"Werner-von-Siemens-Str. 1",DE\n'
    )
    parsed = read_counterparties(write(tmp_path, content))
    assert [(row.query.name, row.query.address) for row in parsed.rows] == [
        ("Acme Ltd", "Room 5, Building 2,\nNo. 8 Road, Haidian, Beijing"),
        ("Siemens AG", "Werner-von-Siemens-Str. 1"),
    ]
    assert parsed.skipped == []


def test_the_cli_shows_the_swallowed_rows_and_never_says_all_clear(tmp_path):
    path, result = screen(tmp_path, BROKEN_QUOTE)
    assert result.returncode == 0, result.stderr
    assert f"Warning: {path} row 4: inside the unclosed quote of line 3; skipped" in result.stderr
    assert "Screened 1 of 5 row(s)" in result.stderr and "4 not read" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["row"], "not_screened" in row) for row in rows] == [
        (2, False),
        (3, True),
        (4, True),
        (5, True),
        (6, True),
    ]


def test_a_quote_left_open_on_the_last_line_is_named(tmp_path):
    parsed = read_counterparties(write(tmp_path, b'name,country,id\nA Co,CN,V1\n"Broken Co,CN,V2\n'))
    assert [row.query.name for row in parsed.rows] == ["A Co"]
    assert [(row.row, row.name, row.reason) for row in parsed.skipped] == [
        (3, "Broken Co", "a quote opened here is not closed (the file ends inside it); fix the quote")
    ]
