"""Name matching on real listed names: each case the screening issue lists, and near misses that must not match."""

import pytest

from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.screener import DEFAULT_THRESHOLD, Query, Screener
from tests.kit.published import sample_records
from tests.kit.screening import best


@pytest.fixture(scope="module")
def screener():
    return Screener(NameIndex(sample_records()), limit=10)


@pytest.mark.parametrize(
    "written, listed",
    [
        ("Huawei Technologies Company Limited", "HUAWEI TECHNOLOGIES CO., LTD."),  # Co., Ltd. / Company Limited
        ("Gazprom Neft PJSC", "PUBLIC JOINT STOCK COMPANY GAZPROM NEFT"),
        ("ПАО Газпром нефть", "PUBLIC JOINT STOCK COMPANY GAZPROM NEFT"),  # ПАО = PJSC
        ("Sberbank Capital OOO", "LIMITED LIABILITY COMPANY SBERBANK CAPITAL"),  # OOO = LLC
        ("Novatek JSC", "OAO NOVATEK"),  # JSC = OAO
        ("Rosneft Trading SA", "ROSNEFT TRADING S.A."),
    ],
)
def test_legal_forms_in_other_languages_and_abbreviations_match(screener, written, listed):
    match = best(screener, written, listed=listed)
    assert match and match.match, f"{written} should match {listed}"


def test_legal_forms_are_down_weighted_not_ignored(screener):
    same = best(screener, "Rosneft Trading S.A.", listed="ROSNEFT TRADING S.A.")
    other = best(screener, "Rosneft Trading GmbH", listed="ROSNEFT TRADING S.A.")
    missing = best(screener, "Rosneft Trading", listed="ROSNEFT TRADING S.A.")
    assert same.score == 1.0
    assert missing.match and other.match  # a legal form never hides a name match...
    assert other.score < same.score  # ...but a different one is noticed
    assert "other legal form" in other.explanation


def test_a_legal_form_alone_does_not_make_a_match(screener):
    assert not any(m.match for m in screener.screen(Query("Trading Company Limited")))


def test_person_names_in_either_order(screener):
    for written in ("Vladimir Putin", "PUTIN, Vladimir", "Putin Vladimir Vladimirovich"):
        match = best(screener, written, listed="PUTIN, Vladimir Vladimirovich")
        assert match and match.match, written


@pytest.mark.parametrize(
    "written, listed, why",
    [
        ("Huawei Technolgies Co Ltd", "HUAWEI TECHNOLOGIES CO., LTD.", "typo"),
        ("HUAWEI TECHNOLOGIES CO LTD", "HUAWEI TECHNOLOGIES CO., LTD.", "missing punctuation"),
        ("Huawei Investment and Holding Co Ltd", "HUAWEI TECHNOLOGIES CO., LTD.", "ampersand in the alias"),
        ("Semiconductor Mfg Intl Corp", "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION", "Mfg, Intl"),
        ("Hangzhou Hikvision Digital Tech Co Ltd", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", "Tech"),
        ("Megvii Tech", "Megvii Technology", "Tech"),
        ("SMIC", "Semiconductor Manufacturing International Corporation (SMIC)", "acronym in brackets"),
        ("JHICC", "Fujian Jinhua Integrated Circuit Company, Ltd.", "acronym alias"),
        ("AVIC", "AVIATION INDUSTRY CORPORATION OF CHINA, LTD.", "acronym alias"),
        ("Dawning Information Industry", "Sugon", "alternate name"),
        ("Hik Vision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.", "word split in two"),
        ("Sense Time Group Ltd", "SENSETIME GROUP LIMITED", "word split in two"),
    ],
)
def test_typos_punctuation_abbreviations_acronyms_and_aliases(screener, written, listed, why):
    match = best(screener, written, listed=listed)
    assert match and match.match, f"{written} ({why}) should match {listed}"


@pytest.mark.parametrize(
    "written, listed",
    [
        ("华为技术有限公司", "HUAWEI TECHNOLOGIES CO., LTD."),
        ("中国移动通信集团有限公司", "CHINA MOBILE COMMUNICATIONS GROUP CO., LTD."),
        ("中国航空工业集团有限公司", "AVIATION INDUSTRY CORPORATION OF CHINA, LTD."),
        ("Роснефть", "Rosneft"),
        ("ПАО «Газпром нефть»", "PUBLIC JOINT STOCK COMPANY GAZPROM NEFT"),
    ],
)
def test_chinese_and_cyrillic_names_match_the_latin_listing(screener, written, listed):
    match = best(screener, written, listed=listed)
    assert match and match.match, f"{written} should match {listed}"


def test_country_is_evidence_that_never_hides_a_name_match(screener):
    plain = best(screener, "Rosneft Trade Limited", listed="ROSNEFT TRADE LIMITED")
    agrees = best(screener, "Rosneft Trade Limited", "Cyprus", listed="ROSNEFT TRADE LIMITED")
    differs = best(screener, "Rosneft Trade Limited", "US", listed="ROSNEFT TRADE LIMITED")
    assert differs.score < plain.score <= agrees.score
    assert differs.match  # a different country lowers confidence but the name still matches
    assert "country CY agrees" in agrees.explanation
    assert "country US differs" in differs.explanation


@pytest.mark.parametrize(
    "written, country",
    [
        ("ZTE Corporation", "CN"),  # shares only "ZTE" with ZTE Parsian (Iran)
        ("Novatek Microelectronics Corp.", "TW"),  # Taiwanese chip designer, shares "Novatek"
        ("Massachusetts Institute of Technology", "US"),  # shares "Institute of Technology" with a listed one
        ("Hangzhou Wahaha Group Co., Ltd.", "CN"),  # food and drinks maker, shares "Hangzhou" with Hikvision
        ("Huawei Foods Trading Co Ltd", None),  # a food trader sharing the one distinctive word
        ("Taiwan Semiconductor Manufacturing Company Limited", "TW"),
        ("Bank of China Limited", "CN"),
    ],
)
def test_a_different_company_sharing_a_word_does_not_match(screener, written, country):
    matches = screener.screen(Query(written, country))
    assert not any(m.match for m in matches), [(m.alias, m.score) for m in matches if m.match]


def test_a_different_number_is_a_different_institute(screener):
    same = best(screener, "33rd Scientific Research and Testing Institute")
    other = best(screener, "34th Scientific Research and Testing Institute")
    assert same.match
    assert not (other and other.match)


def test_the_explanation_says_what_agreed_and_what_did_not(screener):
    match = best(screener, "Huawei Technolgies Company Limited")
    assert match.alias.casefold().startswith("huawei technologies")
    assert "agree: huawei" in match.explanation
    assert "technolgies ~ technologies" in match.explanation
    assert "limited = co ltd" in match.explanation
    assert "only in query: company" in match.explanation


def test_scores_are_between_zero_and_one_and_match_follows_the_threshold(screener):
    for match in screener.screen(Query("Huawei")) + screener.screen(Query("Rosneft Trading")):
        assert 0.0 <= match.score <= 1.0
        assert match.match == (match.score >= DEFAULT_THRESHOLD)


def test_an_affiliate_listed_under_its_parent_is_found_by_its_own_name_only(screener):
    # "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: X" lists X, not Huawei itself.
    for written in ("Huawei Technologies Co Ltd", "Huawei"):
        for match in Screener(screener.index, limit=30).screen(Query(written)):
            if "Affiliated Entity" in match.name:
                assert match.score < 1.0 and match.alias != "Huawei", match
    marine = best(screener, "Huawei Marine Networks Co Ltd")
    assert marine.match and "Huawei Marine Networks" in marine.name
