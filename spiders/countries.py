"""Country names as sources print them, to ISO 3166-1 alpha-2 codes (pycountry, plus the short names it lacks)."""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

# Short or older names that pycountry's lookup does not know; keys are casefolded.
COMMON_NAMES = {
    "russia": "RU", "iran": "IR", "syria": "SY", "north korea": "KP", "dprk": "KP", "south korea": "KR",
    "korea": "KR", "taiwan": "TW", "uae": "AE", "u.a.e.": "AE", "turkey": "TR", "turkiye": "TR", "vietnam": "VN",
    "laos": "LA", "moldova": "MD", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "macau": "MO",
    "palestine": "PS", "uk": "GB", "united kingdom": "GB", "great britain": "GB", "usa": "US", "u.s.": "US",
    "u.s.a.": "US", "united states": "US", "united states of america": "US", "czech republic": "CZ",
    "republic of lebanon": "LB", "kyrgyz republic": "KG", "brunei": "BN", "hong kong": "HK",
}
# Places a later, larger country name in the same address must not override ("Kowloon, Hong Kong, China").
SPECIAL_REGIONS = (("hong kong", "HK"), ("macau", "MO"), ("macao", "MO"), ("taiwan", "TW"))


@lru_cache(maxsize=2048)
def country_code(name: str | None) -> str | None:
    """'Russia' -> 'RU', 'United Arab Emirates' -> 'AE'; None when unsure (never a guess)."""
    if not name:
        return None
    key = " ".join(name.replace("’", "'").split()).strip(" .,;").casefold()
    if not key:
        return None
    if key in COMMON_NAMES:
        return COMMON_NAMES[key]
    if len(key) <= 3:  # "St", "No", "IN" in an address are not country codes
        return None
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        return None


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
