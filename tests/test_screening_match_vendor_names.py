"""Names as vendor masters really hold them, against real listed names (the screening issue's matching cases).

Each test reproduces a case the matcher got wrong: generic words that agreed alone, a
Chinese province in front of a listed name, Chinese registered names, and the noise
ERP exports put into a name field.
"""

import pytest

from pipeline.screening.index import NameIndex
from pipeline.screening.normalise import analyse
from pipeline.screening.score import align, prepare_query
from pipeline.screening.screener import Query, Screener
from spiders.items import Listing
from tests.screening_fixtures import sample_listings, sample_records


def _listing(list_code: str, entry_id: str, name: str, alt_names=(), countries=(), entity_type="Entity") -> Listing:
    return Listing(source="csl", list_code=list_code, list_name=f"({list_code})", entry_id=entry_id, name=name,
                   alt_names=list(alt_names), countries=list(countries), entity_type=entity_type)


# Real entries of the May 2022 Consolidated Screening List, as the CSL spider stores them.
LISTED = [
    _listing("SDN", "28178", "PAIN VICTOIRE", ["PAINS VICTOIRE", "SOCIETE GENERALE DE PAIN", "SOCIETE GENERALE DES PAINS",
                                               "PAN VICTOIRE", "SOCIETE GENERAL DES PAINS SPRL"], ["CD"]),
    _listing("EL", "f85aef98e839", "Dahua Technology", countries=["CN"]),
    _listing("EL", "intellifusion", "Intellifusion", ["Shenzhen Yuntian Lifei Technology Co., Ltd.", "Yuntian Lifei"], ["CN"]),
    _listing("EL", "harbin-it", "Harbin Institute of Technology", countries=["CN"]),
    _listing("SDN", "shen-zhong", "SHEN ZHONG INTERNATIONAL SHPG", countries=["CN"]),
    _listing("SDN", "toyo-shinyo", "TOYO SHINYO JITSUGYO K.K.", countries=["JP"]),
    _listing("SDN", "yamaki", "YAMAKI, K.K.", ["KK YAMATERU"], ["JP"]),
    _listing("SDN", "mulberry", "MULBERRY PROJE YATIRIM ANONIM SIRKETI", ["MULBERRY PROJE YATIRIM A.S.",
                                                                      "MULBERRY PROJE YATIRIM"], ["TR"]),
    _listing("SDN", "adoon", "ADOON GENERAL TRADING GIDA SANAYI VE TICARET ANONIM SIRKETI", countries=["TR"]),
    _listing("SDN", "otik", "OTIK AVIATION", ["OTIK HAVACILIK SANAYI VE TICARET LIMITED SIRKETI"], ["TR"]),
]


@pytest.fixture(scope="module")
def screener():
    return Screener(NameIndex(sample_records(sample_listings() + LISTED)), limit=10)


def best(screener, name, country=None, listed=None):
    matches = screener.screen(Query(name, country))
    if listed:
        matches = [m for m in matches if m.name == listed]
    return matches[0] if matches else None


@pytest.mark.parametrize("written, country", [
    ("Société Générale", "FR"),  # scored 0.823 against SOCIETE GENERALE DE PAIN
    ("SOCIETE GENERALE SA", "FR"),
    ("Societe Generale", None),
    ("Massachusetts Institute of Technology", "US"),  # Institute of Technology, as the listed Beijing and Harbin ones
    ("General Trading Company Limited", None),
])
def test_generic_words_alone_do_not_make_a_match(screener, written, country):
    matches = screener.screen(Query(written, country))
    assert not any(m.match for m in matches), [(m.alias, m.score) for m in matches if m.match]
    for match in matches:
        if "societe" in match.alias.casefold():
            assert "only generic words agree" in match.explanation


def test_a_name_made_only_of_generic_words_still_matches_itself(screener):
    match = best(screener, "Harbin Institute of Technology", listed="Harbin Institute of Technology")
    assert match.match and match.score == 1.0


@pytest.mark.parametrize("written, listed", [
    ("TOYO SHINYO JITSUGYO KABUSHIKI KAISHA", "TOYO SHINYO JITSUGYO K.K."),
    ("Kabushiki Kaisha Yamaki", "YAMAKI, K.K."),  # the legal form in front, as Japanese names often have it
    ("Mulberry Proje Yatırım A.Ş.", "MULBERRY PROJE YATIRIM ANONIM SIRKETI"),
    ("Adoon General Trading Gıda San. ve Tic. A.Ş.", "ADOON GENERAL TRADING GIDA SANAYI VE TICARET ANONIM SIRKETI"),
    ("Otik Havacılık San. ve Tic. Ltd. Şti.", "OTIK AVIATION"),
])
def test_japanese_and_turkish_legal_forms_and_abbreviations(screener, written, listed):
    match = best(screener, written, listed=listed)
    assert match and match.match, match
    assert "only in query" not in match.explanation and "only in listing" not in match.explanation


def test_san_alone_is_not_sanayi(screener):
    assert [token.text for token in analyse("San Jose Trading").tokens] == ["san", "jose", "trading"]


@pytest.mark.parametrize("written", [
    "Shenzhong International Shipping Co Ltd",  # the list prints "Shen Zhong": two words
    "沈忠國際海運有限公司",
    "Hikvision Digital Technology",
    "Zhejiang Dahua Technology Co., Ltd.",
    "Toyo Shinyo Jitsugyo Kabushiki Kaisha",
])
def test_the_bound_that_stops_scoring_early_is_never_below_a_score(screener, written):
    """Scoring stops once no remaining name can reach the minimum score: the most each name
    could score must hold, or a name the lists split in two ("Shen Zhong") is never scored."""
    index = screener.index
    query = prepare_query(analyse(written).tokens, index.words.similar, index.weights, index.words.vocabulary)
    candidates = index.candidates(query)
    assert candidates
    for number, bound in candidates:
        assert align(query, index.prepared(number)).score <= bound + 1e-9, index.names[number].text
