"""Chinese company names in the Latin form the lists print them in.

A Chinese company name is a place, a brand, what the firm does and a legal form:
杭州 | 海康威视 | 数字技术 | 股份有限公司. Lists print the brand in pinyin run together
("Huawei", "Zhongxing"; "Sugon" is Dawning's own) and translate the rest ("Digital
Technology Co., Ltd."). So places get the spelling lists use, known words are translated
(data/chinese_glossary.csv: legal forms, the words firms are named with, and the few
brands whose English name is not their pinyin, each with where the pairing comes from),
and whatever is left becomes pinyin, one word per run.

Places come from data/chinese_places.csv: every province-level division and
prefecture-level city of the national standard GB/T 2260, in pinyin or the spelling
lists use (Harbin, Urumqi, Inner Mongolia). Chinese firms register under the name of
their province or city first ("Zhejiang Dahua Technology"), which lists often leave out.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# What follows a place's short name in a registered name: city, province, autonomous region...
PLACE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "市", "省")
WORD = "word"  # glossary kinds: legal, word, brand
MAINLAND_BELOW = 710000  # GB/T 2260 codes from 71 on are Taiwan, Hong Kong and Macau


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


GLOSSARY = _rows("chinese_glossary.csv")
PLACE_ROWS = _rows("chinese_places.csv")
# Chinese place name (short or as registered) -> the spelling lists use.
PLACES = {chinese_name: row["latin"] for row in PLACE_ROWS for chinese_name in (row["short_name"], row["name"])}
WORDS = {**{row["chinese"]: row["english"] for row in GLOSSARY}, **PLACES}
LONGEST = max(len(word) for word in WORDS)


def spellings(rows=PLACE_ROWS) -> set[str]:
    """Every Latin spelling of these places: "zhejiang", "harbin", "haerbin", "inner mongolia"."""
    found = set()
    for row in rows:
        found.add(row["latin"])
        found.update(other for other in row["other_spellings"].split(";") if other)
    return found


def leading_places() -> set[str]:
    """Spellings of mainland provinces and prefecture-level cities: what a registered name may start with."""
    return spellings([row for row in PLACE_ROWS if int(row["code"]) < MAINLAND_BELOW])


def provinces() -> set[str]:
    """Spellings of the province-level divisions (Hong Kong, Macau and Taiwan included)."""
    return spellings([row for row in PLACE_ROWS if row["level"] == "province"])


def descriptors() -> set[str]:
    """The English words the glossary translates what a firm does into ("digital", "technology"):
    lists translate those words differently or leave them out, so they weigh little when missing."""
    return {word for row in GLOSSARY if row["kind"] == WORD for word in row["english"].split()}


def has_han(text: str) -> bool:
    return bool(HAN.search(text))


def to_latin(text: str) -> str:
    """Every run of Chinese characters in `text` in its list form; other text is kept."""
    return HAN_RUN.sub(lambda match: f" {_run_to_latin(match.group())} ", text)


@lru_cache(maxsize=20_000)
def _run_to_latin(run: str) -> str:
    words: list[str] = []
    pending = ""  # characters no dictionary word covers: one pinyin word per stretch
    position = 0
    while position < len(run):
        for size in range(min(LONGEST, len(run) - position), 0, -1):
            piece = run[position : position + size]
            if piece in WORDS:
                if pending:
                    words.append(_pinyin_word(pending))
                    pending = ""
                words.append(WORDS[piece])
                position += size
                if piece in PLACES:
                    position += next((len(suffix) for suffix in PLACE_SUFFIXES if run.startswith(suffix, position)), 0)
                break
        else:
            pending += run[position]
            position += 1
    if pending:
        words.append(_pinyin_word(pending))
    return " ".join(word for word in words if word)


def load_dictionaries() -> None:
    """Load pypinyin's dictionaries now (about a second), e.g. before forking workers that would
    each load them again on their first Chinese name."""
    import pypinyin  # noqa: F401


def _pinyin_word(characters: str) -> str:
    from pypinyin import lazy_pinyin  # imported on first use: its dictionaries take a moment to load

    return "".join(lazy_pinyin(characters))
