"""Chinese company names: the place in front, names in Chinese characters, and the data behind both."""

import csv
from collections import Counter

import pytest

from pipeline.screening.match import chinese
from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.normalise import analyse
from pipeline.screening.match.screener import Query, Screener
from spiders.kit.items import Listing
from tests.kit.published import sample_listings, sample_records
from tests.kit.screening import best


def _el(entry_id: str, name: str, alt_names=()) -> Listing:
    return Listing(
        source="csl",
        list_code="EL",
        list_name="(EL)",
        entry_id=entry_id,
        name=name,
        alt_names=list(alt_names),
        countries=["CN"],
    )


# Real Entity List entries of the May 2022 Consolidated Screening List.
LISTED = [
    _el("f85aef98e839", "Dahua Technology"),
    _el("intellifusion", "Intellifusion", ["Shenzhen Yuntian Lifei Technology Co., Ltd.", "Yuntian Lifei"]),
    _el(
        "sensetime-beijing",
        "Beijing Sensetime Technology Development Co., Ltd.",
        ["Beijing Shangtang Technology Development Co., Ltd., and Sense Time"],
    ),
]


@pytest.fixture(scope="module")
def screener():
    return Screener(NameIndex(sample_records(sample_listings() + LISTED)), limit=10)


# The data files


def read(name):
    with open(chinese.DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_places_are_every_province_and_prefecture_level_city_of_gb_t_2260():
    places = read("chinese_places.csv")
    levels = Counter(row["level"] for row in places)
    assert levels["province"] == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs
    assert levels["city"] >= 290
    assert len({(row["code"], row["level"]) for row in places}) == len(places)
    by_code = {row["code"]: row for row in places}
    assert (by_code["330000"]["short_name"], by_code["330000"]["latin"]) == ("浙江", "zhejiang")
    assert (by_code["330100"]["short_name"], by_code["330100"]["latin"]) == ("杭州", "hangzhou")
    assert (by_code["610000"]["latin"], by_code["140000"]["latin"]) == ("shaanxi", "shanxi")  # 陕西, 山西
    assert by_code["230100"]["latin"] == "harbin" and "haerbin" in by_code["230100"]["other_spellings"]
    assert by_code["140400"]["latin"] == "changzhi"  # 长治: pypinyin reads 长 as zhang here


def test_the_glossary_holds_legal_forms_translated_words_and_sourced_brands():
    glossary = read("chinese_glossary.csv")
    assert all(row["kind"] in {"legal", "word", "brand"} for row in glossary)
    assert max(Counter(row["chinese"] for row in glossary).values()) == 1
    english = {row["chinese"]: row["english"] for row in glossary}
    assert english["数字"] == "digital" and english["技术"] == "technology"
    assert english["集成电路"] == "integrated circuit" and english["制造"] == "manufacturing"
    assert english["国际"] == "international" == english["國際"]
    assert all(row["source"] for row in glossary if row["kind"] == "brand")  # every brand says where it is from


@pytest.mark.parametrize(
    "written, words",
    [
        ("杭州海康威视数字技术股份有限公司", "hangzhou hikvision digital technology co ltd"),
        ("中芯国际集成电路制造有限公司", "smic integrated circuit manufacturing co ltd"),
        ("浙江大华技术股份有限公司", "zhejiang dahua technology co ltd"),
        (
            "華信船務(香港)有限公司",
            "huaxin shipping hong kong co ltd",
        ),  # traditional characters, as the UN list prints them
        ("新疆维吾尔自治区", "xinjiang"),  # the registered name of a region, suffix and all
    ],
)
def test_chinese_names_are_written_the_way_lists_print_them(written, words):
    assert chinese.to_latin(written).replace("(", " ").replace(")", " ").split() == words.split()


# Matching


@pytest.mark.parametrize(
    "written, listed",
    [
        ("Zhejiang Dahua Technology Co., Ltd.", "Dahua Technology"),  # scored 0.79 and was missed
        ("浙江大华技术股份有限公司", "Dahua Technology"),
        ("Guangdong Shenzhen Intellifusion Co Ltd", "Intellifusion"),  # a province, then a city
    ],
)
def test_a_province_or_city_in_front_of_a_listed_name_does_not_hide_it(screener, written, listed):
    match = best(screener, written, "CN", listed=listed)
    assert match and match.match, match


def test_a_place_in_front_costs_no_more_than_a_legal_form(screener):
    without = best(screener, "Intellifusion Technologies Co., Ltd.", listed="Intellifusion")
    with_place = best(screener, "Shenzhen Intellifusion Technologies Co., Ltd.", listed="Intellifusion")
    with_legal_form = best(screener, "Intellifusion Technologies Co., Ltd. GmbH", listed="Intellifusion")
    assert with_legal_form.score <= with_place.score < without.score


def test_a_different_place_is_still_a_different_party(screener):
    listed = "Beijing Sensetime Technology Development Co., Ltd."
    same = best(screener, "Sensetime Technology Development Co Ltd", listed=listed)
    elsewhere = best(screener, "Shanghai Sensetime Technology Development Co Ltd", listed=listed)
    assert same.match and elsewhere.score < same.score
    assert "only in query: shanghai" in elsewhere.explanation


def test_a_place_alone_is_not_a_prefix():
    assert not any(token.optional for token in analyse("Harbin Wang").tokens)  # could be a person
    assert [token.optional for token in analyse("Zhejiang Dahua Technology").tokens] == [True, False, False]


@pytest.mark.parametrize(
    "written, listed",
    [
        ("杭州海康威视数字技术股份有限公司", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."),  # scored 0.71
        ("商湯集團有限公司", "SENSETIME GROUP LIMITED"),  # as OFAC prints it
        ("曙光信息产业股份有限公司", "Sugon"),  # as OFAC prints it; the Entity List has Dawning Information Industry
    ],
)
def test_chinese_registered_names_match_their_english_listing(screener, written, listed):
    match = best(screener, written, "CN", listed=listed)
    assert match and match.match, match


def test_smic_registered_name_is_found_through_its_brand(screener):
    # 中芯国际 is SMIC; the rest (integrated circuit manufacturing) the listing does not translate. On the whole
    # list this is a match (tests/acceptance/test_screening_quality.py); this small sample weighs "SMIC" less.
    [best] = screener.screen(Query("中芯国际集成电路制造有限公司", "CN"))[:1]
    assert best.name == "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION" and best.alias == "SMIC"
    assert best.explanation.startswith("agree: smic") and best.score > 0.65  # was 0.44, through the shared words


@pytest.mark.parametrize(
    "written",
    [
        "台灣積體電路製造股份有限公司",  # TSMC: integrated circuit manufacturing, like SMIC's registered name
        "华虹半导体有限公司",  # Hua Hong Semiconductor
        "浙江大学",  # Zhejiang University
        "杭州娃哈哈集团有限公司",  # Wahaha, sharing Hangzhou with Hikvision
        "中国建设银行股份有限公司",  # China Construction Bank
    ],
)
def test_unlisted_chinese_names_do_not_match(screener, written):
    matches = screener.screen(Query(written, "CN"))
    assert not any(m.match for m in matches), [(m.alias, m.score) for m in matches if m.match]
