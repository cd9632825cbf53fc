"""One name, any script, as the tokens the matcher compares.

Steps: Chinese runs to their list form; every other script to ASCII (rigour's
transliteration: Роснефть -> Rosneft); punctuation and case folded; legal forms
in any language recognised by rigour and replaced by their class (OOO, LLC, GmbH
-> "llc"; PJSC, AO, ZAO, AG -> "jsc"); abbreviations spelled out (Intl, Mfg, Tech);
plurals reduced. Each token keeps the word it came from, for the explanation.

Some words are optional: missing from a listed name they cost little. A Chinese
province or city in front of a name ("Zhejiang Dahua Technology" for the listed
"Dahua Technology"), and, in a name written in Chinese characters, the words our
glossary translated (数字技术 -> "digital technology"), which lists translate their own
way or leave out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from rigour.names import extract_org_types
from rigour.text.normalize import Normalize, normalize
from rigour.text.translit import ascii_text

from pipeline.screening.match import chinese
from pipeline.screening.match.vocab import ABBREVIATED_PAIRS, ABBREVIATIONS, LEGAL_FORMS, ORG_CLASS_WORDS, STOPWORDS

NAME, LEGAL, NUMBER = "name", "legal", "number"
# Latin letters that do not decompose into a base letter and an accent.
LATIN_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
    }
)
ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
LETTER_AMPERSAND = re.compile(r"(?<=\w)&(?=\w)")  # AT&T, R&D: one word
# The CSL prints curly quotes and apostrophes it could not encode as "?" (China?s, ?Gazprom?).
LOST_QUOTE = re.compile(r"\?")
SHORT_LEGAL_FORMS_MAX = 3  # "AO", "SA", "AS" are legal forms only at a name's edge
NAME_FLAGS = Normalize.CASEFOLD | Normalize.NAME  # what rigour's normalize_name does, flags built once
OUR_LEGAL_FORMS = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(LEGAL_FORMS, key=len, reverse=True))) + r")\b")
LEADING_PLACES_MAX = 2  # "Guangdong Shenzhen X Co., Ltd.": a province, then a city


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the compared form: "technology", "llc", "703"
    kind: str  # NAME, LEGAL or NUMBER
    word: str  # the word as written (after transliteration), for explanations
    optional: bool = False  # a leading Chinese place, or a translated word of a Chinese-script name


@dataclass(frozen=True, slots=True)
class NameForm:
    original: str
    latin: str  # the name in Latin script, as compared
    tokens: tuple[Token, ...]

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(token.text for token in self.tokens)


def to_latin(name: str) -> str:
    """The name in Latin letters: Chinese by list conventions, other scripts transliterated."""
    text = chinese.to_latin(name) if chinese.has_han(name) else name
    if text.isascii():
        return text
    # Accented Latin is most non-ASCII text here and needs no transliterator (which costs ~0.5 ms a call).
    stripped = "".join(
        char for char in unicodedata.normalize("NFKD", text.translate(LATIN_LETTERS)) if not unicodedata.combining(char)
    )
    return stripped if stripped.isascii() else ascii_text(stripped)


@lru_cache(maxsize=200_000)
def analyse(name: str) -> NameForm:
    latin = to_latin(name)
    text = LOST_QUOTE.sub("'", LETTER_AMPERSAND.sub("", latin)).replace("&", " and ")
    folded = normalize(text, NAME_FLAGS) or ""
    return NameForm(original=name, latin=latin, tokens=_mark_optional(_tokens(folded), chinese.has_han(name)))


def _mark_optional(tokens: list[Token], chinese_script: bool) -> tuple[Token, ...]:
    if not chinese_script and (not tokens or tokens[0].text not in _place_starts()):
        return tuple(tokens)  # most names: nothing optional
    optional = [chinese_script and token.kind == NAME and token.text in _descriptors() for token in tokens]
    position = 0
    for _ in range(LEADING_PLACES_MAX):
        position += _place_at(tokens, position)
    after = sum(1 for token in tokens[position:] if token.kind != LEGAL)
    # A place is only a prefix to a name that goes on: "Shanghai Yitu Technologies", "Zhejiang Dahua Co., Ltd."
    if position and (after >= 2 or (after and any(token.kind == LEGAL for token in tokens))):
        optional[:position] = [True] * position
    return tuple(replace(token, optional=True) if flag else token for token, flag in zip(tokens, optional))


def _place_at(tokens: list[Token], position: int) -> int:
    """How many tokens from `position` on spell a Chinese province or city (0 if none)."""
    for length in (2, 1):
        words = tuple(token.text for token in tokens[position : position + length])
        if len(words) == length and words in _leading_places():
            return length
    return 0


@lru_cache(maxsize=1)
def _descriptors() -> frozenset[str]:
    return frozenset(stem(word) for word in chinese.descriptors())


@lru_cache(maxsize=1)
def _place_starts() -> frozenset[str]:
    return frozenset(place[0] for place in _leading_places())


@lru_cache(maxsize=1)
def _leading_places() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(stem(word) for word in place.split()) for place in chinese.leading_places())


def _tokens(folded: str) -> list[Token]:
    words = folded.split()
    legal_at = _legal_spans(folded, words)
    tokens: list[Token] = []
    position = 0
    while position < len(words):
        span = legal_at.get(position)
        if span:
            length, form = span
            tokens.append(Token(form, LEGAL, " ".join(words[position : position + length])))
            position += length
            continue
        word = words[position]
        position += 1
        if word in STOPWORDS:
            continue
        expanded = ABBREVIATIONS.get(word)
        if expanded and " " in expanded:  # "NK" is "Neftyanaya Kompaniya", an oil company
            tokens.extend(_token(part, word) for part in expanded.split())
        else:
            tokens.append(_token(expanded or word, word))
    return _expand_pairs(tokens)


def _expand_pairs(tokens: list[Token]) -> list[Token]:
    for i in range(len(tokens) - 1):
        pair = ABBREVIATED_PAIRS.get((tokens[i].text, tokens[i + 1].text))
        if pair:
            tokens[i : i + 2] = [_token(pair[0], tokens[i].word), _token(pair[1], tokens[i + 1].word)]
    return tokens


def _token(text: str, word: str) -> Token:
    ordinal = ORDINAL.match(text)
    if ordinal or text.isdigit():
        return Token(ordinal.group(1) if ordinal else text, NUMBER, word)
    if text in ORG_CLASS_WORDS:
        return Token(_org_class(text), LEGAL, word)
    return Token(stem(text), NAME, word)


def _org_class(word: str) -> str:
    return {
        "co": "company",
        "corp": "corporation",
        "inc": "llc",
        "incorporated": "llc",
        "grp": "group",
        "hldgs": "holding",
        "holdings": "holding",
    }.get(word, word)


def _legal_spans(folded: str, words: list[str]) -> dict[int, tuple[int, str]]:
    """{first word index: (word count, legal class)} for each legal form rigour finds."""
    spans: dict[int, tuple[int, str]] = {}
    if not words:
        return spans
    found = extract_org_types(folded, generic=True)
    found += [(match.group(), LEGAL_FORMS[match.group()]) for match in OUR_LEGAL_FORMS.finditer(folded)]
    for matched, form in found:
        length = len(matched.split())
        for index in _occurrences(words, matched.split()):
            at_edge = index == 0 or index + length == len(words)
            if len(matched) <= SHORT_LEGAL_FORMS_MAX and not at_edge:
                continue
            if len(words) == length:  # a name that is nothing but a legal form is a name
                continue
            if length > spans.get(index, (0, ""))[0]:  # "limited sirketi" over "limited"
                spans[index] = (length, form)
    return spans


@lru_cache(maxsize=4096)
def is_legal_form(word: str) -> bool:
    """Whether one folded word is a legal form on its own ("jsc", "gmbh"), wherever it stands."""
    return word in LEGAL_FORMS or any(matched == word for matched, _ in extract_org_types(word, generic=True))


def _occurrences(words: list[str], phrase: list[str]) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if words[i : i + size] == phrase]


def stem(word: str) -> str:
    """Plural to singular, the same way on both sides: technologies -> technology, systems -> system."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
