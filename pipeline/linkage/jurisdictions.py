"""Which jurisdictions a measure's text names, in English or Chinese.

A response names the government it answers ("originating in the European Union",
"原产于欧盟", "in response to the United States"), and a measure names whom it
targets ("from the People's Republic of China"). The codes are those the spiders
store in `documents.jurisdiction`; the names are matched as whole words (English)
or as they stand (Chinese, which has no spaces).
"""

from __future__ import annotations

import re

NAMES: dict[str, tuple[str, ...]] = {
    "CN": ("China", "Chinese", "People's Republic of China", "PRC", "中国", "中华人民共和国"),
    "US": ("United States", "U.S.", "US", "USA", "American", "美国"),
    "EU": ("European Union", "EU", "European Commission", "欧盟", "欧洲联盟"),
    "GB": ("United Kingdom", "UK", "British", "英国"),
    "CA": ("Canada", "Canadian", "加拿大"),
    "MX": ("Mexico", "Mexican", "墨西哥"),
    "JP": ("Japan", "Japanese", "日本"),
    "KR": ("Republic of Korea", "South Korea", "Korea", "Korean", "韩国"),
    "NL": ("Netherlands", "Dutch", "荷兰"),
    "RU": ("Russia", "Russian Federation", "Russian", "俄罗斯"),
    "IN": ("India", "Indian", "印度"),
    "TR": ("Turkey", "Türkiye", "Turkish", "土耳其"),
    "TW": ("Taiwan", "台湾"),
    "LT": ("Lithuania", "Lithuanian", "立陶宛"),
    "AU": ("Australia", "Australian", "澳大利亚"),
}
# Member states' measures answer, and are answered as, the Union's too.
MEMBERS = {"NL": "EU", "LT": "EU"}


def _pattern(name: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", name):
        return re.escape(name)
    # Short capitalised codes (US, EU, UK) must stand alone and keep their case; names may start a word in any case.
    return rf"(?<![\w.]){re.escape(name)}(?![\w])"


_MATCHERS = {
    code: re.compile("|".join(_pattern(name) for name in sorted(names, key=len, reverse=True)))
    for code, names in NAMES.items()
}


def named_in(text: str) -> frozenset[str]:
    """The jurisdiction codes whose names `text` contains."""
    found = {code for code, matcher in _MATCHERS.items() if matcher.search(text or "")}
    return frozenset(found | {MEMBERS[code] for code in found if code in MEMBERS})


def same_side(first: str, second: str) -> bool:
    """True when the two codes are one government, or a member state and its union."""
    return MEMBERS.get(first, first) == MEMBERS.get(second, second)
