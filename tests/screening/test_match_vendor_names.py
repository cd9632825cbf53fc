"""Names as vendor masters really hold them, against real listed names (the screening issue's matching cases).

Each test reproduces a case the matcher got wrong: generic words that agreed alone, a
Chinese province in front of a listed name, Chinese registered names, and the noise
ERP exports put into a name field.
"""

import pytest

from pipeline.screening.match import name_field
from pipeline.screening.match.fuzzy import english_transliteration
from pipeline.screening.match.index import NameIndex
from pipeline.screening.match.normalise import analyse
from pipeline.screening.match.score import align, prepare_query
from pipeline.screening.match.screener import Query, Screener
from spiders.kit.items import Listing
from tests.kit.published import csl_listing, sample_listings, sample_records
from tests.kit.screening import best


def _listing(list_code: str, entry_id: str, name: str, alt_names=(), countries=(), entity_type="Entity") -> Listing:
    return csl_listing(list_code, entry_id, name, alt_names, countries, entity_type)


# Real entries of the May 2022 Consolidated Screening List, as the CSL spider stores them.
LISTED = [
    _listing(
        "SDN",
        "28178",
        "PAIN VICTOIRE",
        [
            "PAINS VICTOIRE",
            "SOCIETE GENERALE DE PAIN",
            "SOCIETE GENERALE DES PAINS",
            "PAN VICTOIRE",
            "SOCIETE GENERAL DES PAINS SPRL",
        ],
        ["CD"],
    ),
    _listing("EL", "f85aef98e839", "Dahua Technology", countries=["CN"]),
    _listing(
        "EL", "intellifusion", "Intellifusion", ["Shenzhen Yuntian Lifei Technology Co., Ltd.", "Yuntian Lifei"], ["CN"]
    ),
    _listing("EL", "harbin-it", "Harbin Institute of Technology", countries=["CN"]),
    _listing("SDN", "shen-zhong", "SHEN ZHONG INTERNATIONAL SHPG", countries=["CN"]),
    _listing("SDN", "toyo-shinyo", "TOYO SHINYO JITSUGYO K.K.", countries=["JP"]),
    _listing("SDN", "yamaki", "YAMAKI, K.K.", ["KK YAMATERU"], ["JP"]),
    _listing(
        "SDN",
        "mulberry",
        "MULBERRY PROJE YATIRIM ANONIM SIRKETI",
        ["MULBERRY PROJE YATIRIM A.S.", "MULBERRY PROJE YATIRIM"],
        ["TR"],
    ),
    _listing("SDN", "adoon", "ADOON GENERAL TRADING GIDA SANAYI VE TICARET ANONIM SIRKETI", countries=["TR"]),
    _listing("SDN", "otik", "OTIK AVIATION", ["OTIK HAVACILIK SANAYI VE TICARET LIMITED SIRKETI"], ["TR"]),
    _listing(
        "SDN",
        "rosoboronexport",
        "ROSOBORONEKSPORT OAO",
        ["RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT", "ROSOBORONEXPORT JSC", "ROSOBORONEXPORT"],
        ["RU"],
    ),
    _listing("SDN", "mahan", "MAHAN AIR", ["MAHAN AIR CO."], ["IR"]),
    _listing("EL", "aeroflot", "PJSC AEROFLOT", countries=["RU"]),
    _listing("EL", "tupolev", "Tupolev JSC", countries=["RU"]),
    _listing("CMIC", "inspur", "INSPUR GROUP CO., LTD.", ["INSPUR GROUP"], ["CN"]),
    _listing("SDN", "irisl", "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES", ["IRISL"], ["IR"]),
    _listing("SDN", "uvz", "URALVAGONZAVOD", ["UVZ", "URALVAGONZAVOD CORPORATION"], ["RU"]),
    _listing("SDN", "prigozhin", "PRIGOZHIN, Yevgeniy Viktorovich", ["PRIGOZHIN, Evgeny"], ["RU"], "Individual"),
    _listing(
        "SDN", "psb", "PROMSVYAZBANK PUBLIC JOINT STOCK COMPANY", ["PROMSVYAZBANK PJSC", "PROMSVYAZBANK PAO"], ["RU"]
    ),
]


@pytest.fixture(scope="module")
def screener():
    return Screener(NameIndex(sample_records(sample_listings() + LISTED)), limit=10)


@pytest.mark.parametrize(
    "written, country",
    [
        ("Société Générale", "FR"),  # scored 0.823 against SOCIETE GENERALE DE PAIN
        ("SOCIETE GENERALE SA", "FR"),
        ("Societe Generale", None),
        (
            "Massachusetts Institute of Technology",
            "US",
        ),  # Institute of Technology, as the listed Beijing and Harbin ones
        ("General Trading Company Limited", None),
    ],
)
def test_generic_words_alone_do_not_make_a_match(screener, written, country):
    matches = screener.screen(Query(written, country))
    assert not any(m.match for m in matches), [(m.alias, m.score) for m in matches if m.match]
    for match in matches:
        if "societe" in match.alias.casefold():
            assert "only generic words agree" in match.explanation


def test_a_name_made_only_of_generic_words_still_matches_itself(screener):
    match = best(screener, "Harbin Institute of Technology", listed="Harbin Institute of Technology")
    assert match.match and match.score == 1.0


@pytest.mark.parametrize(
    "written, listed",
    [
        ("TOYO SHINYO JITSUGYO KABUSHIKI KAISHA", "TOYO SHINYO JITSUGYO K.K."),
        ("Kabushiki Kaisha Yamaki", "YAMAKI, K.K."),  # the legal form in front, as Japanese names often have it
        ("Mulberry Proje Yatırım A.Ş.", "MULBERRY PROJE YATIRIM ANONIM SIRKETI"),
        ("Adoon General Trading Gıda San. ve Tic. A.Ş.", "ADOON GENERAL TRADING GIDA SANAYI VE TICARET ANONIM SIRKETI"),
        ("Otik Havacılık San. ve Tic. Ltd. Şti.", "OTIK AVIATION"),
    ],
)
def test_japanese_and_turkish_legal_forms_and_abbreviations(screener, written, listed):
    match = best(screener, written, listed=listed)
    assert match and match.match, match
    assert "only in query" not in match.explanation and "only in listing" not in match.explanation


def test_san_alone_is_not_sanayi(screener):
    assert [token.text for token in analyse("San Jose Trading").tokens] == ["san", "jose", "trading"]


@pytest.mark.parametrize(
    "written",
    [
        "Shenzhong International Shipping Co Ltd",  # the list prints "Shen Zhong": two words
        "沈忠國際海運有限公司",
        "Hikvision Digital Technology",
        "Zhejiang Dahua Technology Co., Ltd.",
        "Toyo Shinyo Jitsugyo Kabushiki Kaisha",
        "ISLAMIC REPUBLIC OF IRAN SHIPPING L",  # cut at 35 characters: "L" may be any word
    ],
)
def test_the_bound_that_stops_scoring_early_is_never_below_a_score(screener, written):
    """Scoring stops once no remaining name can reach the minimum score: the most each name
    could score must hold, or a name the lists split in two ("Shen Zhong") is never scored."""
    index = screener.index
    query = prepare_query(
        analyse(written).tokens,
        index.words.similar,
        index.weights,
        index.words.vocabulary,
        name_field.cut_at_width(written),
    )
    candidates = index.candidates(query)
    assert candidates
    for number, bound in candidates:
        assert align(query, index.prepared(number)).score <= bound + 1e-9, index.names[number].text


@pytest.mark.parametrize(
    "field, name",
    [
        ("ROSOBORONEXPORT C/O ATTN ACCOUNTS PAYABLE", "ROSOBORONEXPORT"),
        ("Mahan Air c/o Cargo Department", "Mahan Air"),
        ("John Smith c/o Mahan Air", "Mahan Air"),  # the party in care of another is screened too
        ("ATTN: PURCHASING - PJSC AEROFLOT", "PJSC AEROFLOT"),
        ("Dahua Technology 1199 Bin'an Road Binjiang Hangzhou", "Dahua Technology"),
        ("SHAHID HEMMAT INDUSTRIAL GROUP, DAMAVAND TEHRAN HWY", "SHAHID HEMMAT INDUSTRIAL GROUP"),
        ("Ascotec Steel Trading GmbH Tersteegenstr. 10 Dusseldorf", "Ascotec Steel Trading GmbH"),
        (
            "Hangzhou Hikvision Digital Technology Co Ltd No 555 Qianmo Road",
            "Hangzhou Hikvision Digital Technology Co Ltd",
        ),
        ("ROSNEFT TRADING SA - BR02", "ROSNEFT TRADING SA"),
    ],
)
def test_a_name_field_is_also_read_without_care_of_attention_address_and_codes(field, name):
    assert name_field.readings(field)[0] == field and name in name_field.readings(field)


@pytest.mark.parametrize(
    "field",
    [
        "PUTIN, Vladimir Vladimirovich",
        "YAMAKI, K.K.",
        "Almaz-Antey",
        "33rd Scientific Research and Testing Institute",
        "Huawei Technologies Co., Ltd.",
        "St. Petersburg Bank",
    ],
)
def test_a_plain_name_is_read_only_as_itself(field):
    assert name_field.readings(field) == [field]


@pytest.mark.parametrize(
    "field, words",
    [
        ("Tupolev JSC Academician Tupolev Embankment 17 Moscow", "tupolev jsc"),  # the name ends with its legal form
        ("INSPUR GROUP CO LTD PLANT 03", "inspur group co ltd"),
        ("SMIC SHANGHAI 2100", "smic shanghai"),  # a plant code
        (
            "China Electronics Technology Group Corporation 13th Research Institute",  # "Group Corporation" is no end,
            "china electronics technology group corporation 13th research institute",
        ),  # and 13th is no code
    ],
)
def test_words_after_a_legal_form_and_trailing_codes_are_left_out(field, words):
    assert " ".join(token.word for token in name_field.trimmed(analyse(field).tokens)) == words


@pytest.mark.parametrize(
    "written, listed",
    [
        ("ROSOBORONEXPORT C/O ATTN ACCOUNTS PAYABLE", "ROSOBORONEKSPORT OAO"),  # 0.31 before
        ("Mahan Air c/o Cargo Department", "MAHAN AIR"),
        ("ATTN: PURCHASING - PJSC AEROFLOT", "PJSC AEROFLOT"),
        ("Tupolev JSC Academician Tupolev Embankment 17 Moscow", "Tupolev JSC"),
        ("INSPUR GROUP CO LTD PLANT 03", "INSPUR GROUP CO., LTD."),
        ("HUAWEI TECHNOLOGIES CO LTD / 1000", "HUAWEI TECHNOLOGIES CO., LTD."),
        ("ROSNEFT TRADING SA - BR02", "ROSNEFT TRADING S.A."),
    ],
)
def test_names_in_noisy_name_fields_match(screener, written, listed):
    match = best(screener, written, listed=listed)
    assert match and match.match, match
    assert 'name field read as "' in match.explanation


def test_the_other_party_of_a_care_of_line_is_no_match_by_itself(screener):
    assert not any(m.match for m in screener.screen(Query("Siemens AG c/o Accounts Payable", "DE")))


@pytest.mark.parametrize(
    "field, listed",
    [
        ("HANGZHOU HIKVISION DIGITAL TECHNOLO", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD."),
        ("SEMICONDUCTOR MANUFACTURING INTERNA", "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"),
        ("ISLAMIC REPUBLIC OF IRAN SHIPPING L", "ISLAMIC REPUBLIC OF IRAN SHIPPING LINES"),
    ],
)
def test_a_name_cut_at_the_35_characters_of_an_sap_name_field_matches(screener, field, listed):
    assert len(field) == 35 and name_field.cut_at_width(field)
    match = best(screener, field, listed=listed)
    assert match and match.match, match
    assert "(cut off at the end of the name field)" in match.explanation


def test_a_shorter_name_is_not_taken_for_a_cut_one(screener):
    field = "SEMICONDUCTOR MANUFACTURING INTERN"  # 34 characters: "intern" is a word as written
    assert not name_field.cut_at_width(field)
    listed = "SEMICONDUCTOR MANUFACTURING INTERNATIONAL CORPORATION"
    as_written, cut = best(screener, field, listed=listed), best(screener, field + "A", listed=listed)
    assert cut.match and (
        as_written is None or ("cut off" not in as_written.explanation and as_written.score < cut.score)
    )


@pytest.mark.parametrize(
    "german, english",
    [
        ("uralwagonsawod", "uralvagonzavod"),  # w, and the voiced s of Sawod
        ("prigoschin", "prigoshin"),  # one letter from Prigozhin: sch is both ш and ж
        ("jewgeni", "yevgeni"),
        ("sowkomflot", "sovkomflot"),  # the s of Sowkomflot is not voiced
        ("chruschtschow", "khrushchov"),
        ("rosneft", "rosneft"),  # nothing German about it
    ],
)
def test_german_transliterations_of_russian_are_read_in_english(german, english):
    assert english_transliteration(german) == english


@pytest.mark.parametrize(
    "written, listed",
    [
        ("Uralwagonsawod", "URALVAGONZAVOD"),
        ("Jewgeni Wiktorowitsch Prigoschin", "PRIGOZHIN, Yevgeniy Viktorovich"),
        ("Promswjasbank PAO", "PROMSVYAZBANK PUBLIC JOINT STOCK COMPANY"),
    ],
)
def test_russian_names_in_german_transliteration_match(screener, written, listed):
    match = best(screener, written, listed=listed)
    assert match and match.match, match
