"""Countries in a counterparty file (an ISO code or a name) as ISO 3166-1 alpha-2 codes.

Names go through the spiders' own lookup (pycountry plus the short names it lacks),
so a country reads the same in a listing and in a counterparty file; a counterparty
file's `country` column is usually a code, which that lookup leaves to us.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from spiders.kit.countries import COMMON_NAMES, country_code


def code(value: str | None) -> str | None:
    """Upper-case alpha-2 for 'CN', 'CHN', 'China' or 'People's Republic of China'; None when unknown."""
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
    """Every country name pycountry and the spiders know, casefolded: brackets that are places, not names."""
    known = set(COMMON_NAMES)
    for country in pycountry.countries:
        known.update(getattr(country, field).casefold() for field in ("name", "official_name", "common_name")
                     if hasattr(country, field))
    return frozenset(known)
