"""Countries as ISO 3166-1 alpha-2 codes, from a code or a name in a counterparty file.

rigour's territory table knows codes, names and full names; looking names up in it
directly normalises all 30,000 of its names on first use (seconds), so the few forms
a counterparty file uses are gathered once here instead.
"""

from __future__ import annotations

from functools import lru_cache

from rigour.territories import get_territories

# Common ways of writing a country that the table's own names do not cover.
EXTRA_NAMES = {
    "usa": "us", "u.s.": "us", "u.s.a.": "us", "united states of america": "us", "america": "us",
    "uk": "gb", "u.k.": "gb", "great britain": "gb", "england": "gb", "prc": "cn",
    "people's republic of china": "cn", "peoples republic of china": "cn", "mainland china": "cn",
    "russian federation": "ru", "korea, south": "kr", "south korea": "kr", "korea, north": "kp",
    "north korea": "kp", "iran, islamic republic of": "ir", "uae": "ae", "hong kong": "hk", "deutschland": "de",
    "burma": "mm", "syria": "sy", "taiwan, province of china": "tw", "czech republic": "cz",
    "viet nam": "vn", "türkiye": "tr", "turkiye": "tr", "macao": "mo", "macau": "mo",
}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for territory in get_territories():
        code = territory.code
        if len(code) != 2:  # sub-national and historical entries ("gb-sct", "suhh")
            continue
        for key in (territory.name, territory.full_name, territory.alpha3, *territory.codes):
            if key:
                table.setdefault(key.casefold(), code)
    table.update(EXTRA_NAMES)
    return table


def names() -> dict[str, str]:
    """{casefolded name or code: alpha-2}"""
    return _table()


def code(value: str | None) -> str | None:
    """Upper-case alpha-2 for a code or a country name; None when empty or unknown."""
    if not value or not value.strip():
        return None
    found = _table().get(" ".join(value.strip().casefold().split()))
    return found.upper() if found else None
