"""The METI spider on text extracted from the real export-ban list PDFs (2022-07 Belarus, 2025-09 Russia and third countries).

Counts checked by hand against the files: the Russia list numbers its entries 1..561,
the third-country list 1..56, the Belarus list 1..27 (the last numbered line of each).
"""

import json

import pytest

from tests.kit.crawls import assert_crawls_twice_without_changes, crawl, last_run, stored
from tests.kit.files import ROOT

pytestmark = pytest.mark.acceptance

METI = ROOT.parent / "shared" / "corpus" / "meti"


@pytest.mark.parametrize(
    "name, list_code, count",
    [
        ("250912_list_russia_tokutei.pdf.txt", "METI-RU", 561),
        ("250912_list_daisangoku_tokutei.pdf.txt", "METI-TC", 56),
        ("list_belarus_tokutei.pdf.txt", "METI-BY", 27),
    ],
)
def test_each_recorded_list(db_path, name, list_code, count):
    result = crawl("meti_end_user", (METI / name).as_uri(), db_path)
    assert result.returncode == 0, result.stderr
    assert last_run(db_path)["added"] == count
    rows = stored(db_path, "meti_end_user")
    assert {row["list_code"] for row in rows} == {list_code}
    assert all(row["name"] and json.loads(row["alt_names"]) for row in rows)  # every entry has its Japanese name


def test_the_recorded_directory_twice_without_changes(db_path):
    run = assert_crawls_twice_without_changes("meti_end_user", METI.as_uri() + "/", db_path)
    assert run["added"] == 561 + 56 + 27
    assert json.loads(run["list_counts"]) == {"METI-RU": 561, "METI-TC": 56, "METI-BY": 27}
    rows = {row["name"]: row for row in stored(db_path, "meti_end_user")}
    # Entries that start mid-line in the extraction, or share a line with their Japanese name.
    assert json.loads(rows["Foreign Intelligence Service (SVR)"]["alt_names"]) == ["対外諜報庁"]
    assert json.loads(rows["JSC Rocket and Space Centre – Progress"]["alt_names"]) == [
        "株式会社ロケット・宇宙センター「プログレス」"
    ]
    qisu = rows["Hong Kong Qisu Electronic Technology Co Ltd"]
    assert json.loads(qisu["alt_names"])[1:] == ["香港旗速電子有限公司", "香港旗速電子科技有限公司"]
    assert json.loads(qisu["countries"]) == ["CN", "HK"]
    assert json.loads(rows["Tako LLC"]["countries"]) == ["AM"]
    belarus = [row for row in rows.values() if row["list_code"] == "METI-BY"]
    assert {tuple(json.loads(row["programs"])) for row in belarus} == {("令和四年外務省告示第百四号",)}
