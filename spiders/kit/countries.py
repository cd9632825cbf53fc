"""Country names and codes, to ISO 3166-1 alpha-2 codes (pycountry, plus the names it lacks): the one lookup.

Sources name countries their own way: OFAC writes "Korea, North" and "Burma",
the UN "Iran (Islamic Republic of)" and "Indonesia (as at Dec. 2003)", BIS
"PRC". A name we cannot place gives None (the caller decides whether that is
worth a warning), never a guess. Screening reads a counterparty file's `country`
column through the same lookup (`code`), so a country reads the same in a listing
and in a counterparty file.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Short, older or source-specific names that pycountry's lookup does not know; keys are casefolded.
COMMON_NAMES = {
    "russia": "RU",
    "iran": "IR",
    "syria": "SY",
    "north korea": "KP",
    "dprk": "KP",
    "south korea": "KR",
    "korea": "KR",
    "taiwan": "TW",
    "uae": "AE",
    "u.a.e.": "AE",
    "turkey": "TR",
    "turkiye": "TR",
    "vietnam": "VN",
    "laos": "LA",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "macau": "MO",
    "palestine": "PS",
    "uk": "GB",
    "united kingdom": "GB",
    "great britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states": "US",
    "united states of america": "US",
    "czech republic": "CZ",
    "republic of lebanon": "LB",
    "kyrgyz republic": "KG",
    "brunei": "BN",
    "hong kong": "HK",
    # OFAC (enhanced XML reference values, legacy add.csv, remarks)
    "burma": "MM",
    "korea, north": "KP",
    "korea, south": "KR",
    "bahamas, the": "BS",
    "the gambia": "GM",
    "congo, democratic republic of the": "CD",
    "congo, republic of the": "CG",
    "cote d ivoire": "CI",
    "virgin islands, british": "VG",
    "north macedonia, the republic of": "MK",
    "man, isle of": "IM",
    "micronesia, federated states of": "FM",
    "palestinian": "PS",
    "west bank": "PS",
    "region: gaza": "PS",
    "region: crimea": "UA",
    "kosovo": "XK",  # user-assigned code, used by OFAC, the EU and most screening tools
    # UN consolidated list
    "iran (islamic republic of)": "IR",
    "state of palestine": "PS",
    "british virgin islands": "VG",
    "china, hong kong special administrative region": "HK",
    "china, macao special administrative region": "MO",
    "democratic republic of the congo": "CD",
    "republic of korea": "KR",
    "republic of moldova": "MD",
    "lao people's democratic republic": "LA",
    "venezuela (bolivarian republic of)": "VE",
    "bolivia (plurinational state of)": "BO",
    # BIS Denied Persons List country column
    "prc": "CN",
}
# Places some sources print as countries that no one ISO code fits.
NO_CODE = {
    "undetermined",
    "netherlands antilles",
    "former soviet union",
    "region: kafia kingi",
    "region: northern mali",
    "na",
    "n/a",
    "unknown",
}
# A dated or qualifying note after a name: "Indonesia (as at Dec. 2003)".
NOTE = re.compile(r"\s*\((?:as at|as of|previous|formerly|reportedly|born)[^)]*\)\s*$", re.IGNORECASE)
ISO_CODE = re.compile(r"^[A-Z]{2}$")
# Places a later, larger country name in the same address must not override ("Kowloon, Hong Kong, China").
SPECIAL_REGIONS = (("hong kong", "HK"), ("macau", "MO"), ("macao", "MO"), ("taiwan", "TW"))


def _key(name: str) -> str:
    return " ".join(NOTE.sub("", name).replace("’", "'").split()).strip(" .,;").casefold()


@lru_cache(maxsize=2048)
def country_code(name: str | None) -> str | None:
    """'Russia' -> 'RU', 'Korea, North' -> 'KP', 'Indonesia (as at Dec. 2003)' -> 'ID'; None when unsure."""
    if not name:
        return None
    key = _key(name)
    if not key or key in NO_CODE:
        return None
    if key in COMMON_NAMES:
        return COMMON_NAMES[key]
    if len(key) <= 3:  # "St", "No", "IN" in an address are not country codes
        return None
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


def is_country_code(value: str) -> bool:
    """True for an assigned ISO alpha-2 code (or XK, Kosovo), written in capitals."""
    return bool(ISO_CODE.match(value)) and (value == "XK" or pycountry.countries.get(alpha_2=value) is not None)


def code_or_country(value: str | None) -> str | None:
    """For a column that holds codes: 'DE' -> 'DE', and names or aliases as `country_code` reads them ('PRC' -> 'CN')."""
    if value and is_country_code(value.strip()):
        return value.strip()
    return country_code(value)


def has_no_code(name: str) -> bool:
    """True for places printed as countries that no one ISO code fits ('undetermined', 'Region: Kafia Kingi')."""
    return _key(name) in NO_CODE


def country_in_address(address: str) -> str | None:
    """The country an address ends with ('…, Moscow, 107031, Russia' -> 'RU'), or None."""
    lowered = address.casefold()
    for region, code in SPECIAL_REGIONS:
        if region in lowered:
            return code
    parts = [re.sub(r"[\d\-]+", " ", part).strip(" .") for part in address.split(",")]
    for part in reversed([part for part in parts if part][-2:]):
        code = country_code(part)
        if code:
            return code
    return None


def code(value: str | None) -> str | None:
    """A counterparty file's country, a code or a name: upper-case alpha-2 for 'CN', 'CHN', 'China' or
    'People's Republic of China'; None when unknown."""
    if not value or not value.strip():
        return None
    text = " ".join(value.split()).strip(" .")
    if text.isalpha() and len(text) in (2, 3):
        found = pycountry.countries.get(**{"alpha_2" if len(text) == 2 else "alpha_3": text.upper()})
        if found is not None:
            return found.alpha_2
    return country_code(text)


@lru_cache(maxsize=1)
def names() -> frozenset[str]:
    """Every country name pycountry and this lookup know, casefolded (a bracket that is a place is not a name)."""
    known = set(COMMON_NAMES)
    for country in pycountry.countries:
        known.update(
            getattr(country, field).casefold()
            for field in ("name", "official_name", "common_name")
            if hasattr(country, field)
        )
    return frozenset(known)


def country_name(alpha_2: str | None) -> str | None:
    """'CN' -> 'China', 'XK' -> 'Kosovo': a stored code as pages print it; None for an unknown code."""
    if not alpha_2:
        return None
    if alpha_2 == "XK":
        return "Kosovo"
    found = pycountry.countries.get(alpha_2=alpha_2)
    if found is None:
        return None
    return getattr(found, "common_name", None) or found.name
