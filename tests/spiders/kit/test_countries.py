"""Country names as OFAC, the UN and BIS print them, to ISO codes (None rather than a guess)."""

import pytest

from spiders.kit.countries import code_or_country, country_code, has_no_code


@pytest.mark.parametrize(
    "name, code",
    [
        ("Korea, North", "KP"),  # OFAC
        ("Burma", "MM"),
        ("Congo, Democratic Republic of the", "CD"),
        ("Turkey", "TR"),
        ("Kosovo", "XK"),
        ("Region: Gaza", "PS"),
        ("Iran (Islamic Republic of)", "IR"),  # UN
        ("Democratic People's Republic of Korea", "KP"),
        ("United Kingdom of Great Britain and Northern Ireland", "GB"),
        ("Indonesia (as at Dec. 2003)", "ID"),
        ("China, Hong Kong Special Administrative Region", "HK"),
        ("Türkiye", "TR"),
        ("PRC", "CN"),  # BIS
        ("germany", "DE"),
    ],
)
def test_known_spellings(name, code):
    assert country_code(name) == code


@pytest.mark.parametrize("value, code", [("DE", "DE"), ("XK", "XK"), ("PRC", "CN"), ("NM", None), ("de", None)])
def test_columns_of_codes(value, code):
    assert code_or_country(value) == code


@pytest.mark.parametrize("name", ["na", "NM", "undetermined", "former Soviet Union", "Atlantis", "", None])
def test_unknown_or_codeless_places_give_none(name):
    assert country_code(name) is None


def test_codeless_places_are_known_as_such():
    assert has_no_code("Region: Kafia Kingi") and has_no_code("undetermined")
    assert not has_no_code("Atlantis")
