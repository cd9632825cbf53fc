"""The MOFCOM recognisers against the real designations curated in the corpus (610 measures, 273 by MOFCOM).

No MOFCOM page is recorded offline, so this checks the parts that real data can check:
the article URL families the spider knows, and the bilingual name parsing on every
Chinese/English name pair MOFCOM published, written both as numbered entries
("1.斯凯迪奥公司（Skydio Inc.）") and as an inline list ("…的A公司（A Inc.）、B公司（B LLC）列入…").
The corpus table is non-commercial (OpenSanctions): it is read here, never copied.
"""

import csv
from collections import defaultdict
from urllib.parse import urlsplit

import pytest

from spiders.mofcom.mofcom import ARTICLE_PATHS
from spiders.mofcom.notices import LISTS, parse_parties
from tests.kit.files import ROOT

pytestmark = pytest.mark.acceptance

TABLE = ROOT.parent / "shared" / "corpus" / "mofcom" / "opensanctions_cn_sanctions.csv"
# The corpus's list names and the list codes the spider gives them.
LIST_CODES = {
    "UEL": "UEL",
    "List of Export Controls": "ECCL",
    "Export Control Watch List": "ECWL",
    "List of Targets of Countermeasures": "CM",
}


@pytest.fixture(scope="module")
def mofcom_rows():
    with TABLE.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Body"] == "Ministry of Commerce"]
    assert len(rows) == 273
    return rows


def by_notice(rows):
    notices = defaultdict(list)
    for row in rows:
        if row["Chinese name"] and row["Name"]:
            notices[row["Source URL"]].append((row["Chinese name"], row["Name"]))
    return notices


def test_every_mofcom_source_address_is_a_known_article_family(mofcom_rows):
    addresses = {row["Source URL"] for row in mofcom_rows if "mofcom.gov.cn" in row["Source URL"]}
    assert len(addresses) == 27
    assert [address for address in addresses if not ARTICLE_PATHS.search(urlsplit(address).path)] == []


def test_every_list_has_a_code(mofcom_rows):
    assert {row["List"] for row in mofcom_rows} == set(LIST_CODES)
    assert set(LIST_CODES.values()) == set(LISTS)


def test_numbered_entries_give_back_every_name_pair(mofcom_rows):
    notices = by_notice(mofcom_rows)
    assert sum(len(pairs) for pairs in notices.values()) == 257
    for pairs in notices.values():
        text = "\n".join(f"{number}.{zh}（{en}）" for number, (zh, en) in enumerate(pairs, start=1))
        assert [(party.name_zh, party.name_en) for party in parse_parties(text)] == pairs


def test_inline_lists_give_back_every_name_pair(mofcom_rows):
    # A Chinese name holding "、" (波音防务、空间与安全集团) cannot be told apart from two names inline.
    for pairs in by_notice(mofcom_rows).values():
        pairs = [(zh, en) for zh, en in pairs if "、" not in zh]
        text = "决定将参与对台湾地区军售的" + "、".join(f"{zh}（{en}）" for zh, en in pairs) + "列入不可靠实体清单。"
        assert [(party.name_zh, party.name_en) for party in parse_parties(text)] == pairs
