"""Which listed words a written word may be: itself, a typo of it, or one that sounds the same.

Typos are found without comparing against every word: each listed word is filed
under itself and each one-letter deletion of it, so a word that differs by one
insertion, deletion, substitution or swap shares a key with it (symmetric deletion).
Sound-alikes (Mohammed, Muhammad) share a metaphone key. rapidfuzz then scores
each pair found. Every result is in a fixed order (best first, then alphabetical):
no set or hash order ever decides which word is followed.

Russian names reach German vendor masters in German transliteration (Duden): w for в,
sch for ш and ж, tsch for ч, ch for х, j for й, s for з between vowels, z for ц
("Uralwagonsawod", "Prigoschin", "Jewgeni"). A word spelled that way is also looked up
in the English transliteration the lists use ("Uralvagonzavod"), a little below a
direct match.
"""

from __future__ import annotations

import re
from collections import defaultdict
from operator import itemgetter

from rapidfuzz.distance import OSA
from rigour.text.phonetics import metaphone

MIN_TYPO_LENGTH = 3  # "ltd" and "ooo" are legal forms, never looked up
MIN_PHONETIC_LENGTH = 5
MIN_SIMILARITY = 0.6
SHORT_WORD = 3
PHONETIC_FLOOR = 0.8  # a sound-alike counts at least this much...
PHONETIC_MIN_SPELLING = 0.5  # ...when it is also spelled half alike (metaphone alone joins too much)
TRANSLITERATED = 0.95  # a word found through the German transliteration of Russian counts this much
# German spellings of Russian sounds and the English (BGN/PCGN-like) spelling lists use; an s
# after a vowel or l, m, n, r and before a vowel is the voiced з (Sawod, Gasprom), not the с of Sowkomflot.
GERMAN_TO_ENGLISH = {
    "schtsch": "shch",
    "tsch": "ch",
    "sch": "sh",
    "ch": "kh",
    "ss": "s",
    "ja": "ya",
    "je": "ye",
    "jo": "yo",
    "ju": "yu",
    "j": "y",
    "w": "v",
    "z": "ts",
    "s": "z",
}
GERMAN_SPELLING = re.compile(
    "|".join(
        [key for key in sorted(GERMAN_TO_ENGLISH, key=len, reverse=True) if key != "s"]
        + [r"(?<=[aeiouylmnr])s(?=[aeiouy])"]
    )
)
GERMAN_MARKS = re.compile(r"sch|w|j")  # letters English transliterations of Russian do not use this way


def deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class WordFinder:
    """Finds, for a written word, the listed words it may stand for, with a similarity in (0, 1]."""

    def __init__(self, vocabulary):
        self.vocabulary = frozenset(vocabulary)
        self._by_key: dict[str, list[str]] = defaultdict(list)
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):
            if len(word) >= MIN_TYPO_LENGTH and not word.isdigit():
                for key in deletions(word):
                    self._by_key[key].append(word)
            if len(word) >= MIN_PHONETIC_LENGTH and word.isalpha():
                self._by_sound[metaphone(word)].append(word)
        self._cache: dict[str, dict[str, float]] = {}

    def similar(self, word: str) -> dict[str, float]:
        """{listed word: similarity}, best first (ties alphabetical)."""
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._lookup(word)
        return found

    def _lookup(self, word: str) -> dict[str, float]:
        found = self._lookup_spelling(word)
        english = english_transliteration(word)
        if english != word:
            for listed, similarity in self._lookup_spelling(english).items():
                found[listed] = max(found.get(listed, 0.0), similarity * TRANSLITERATED)
        return best_first(found)

    def _lookup_spelling(self, word: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if word in self.vocabulary:
            found[word] = 1.0
        if len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return found
        for key in sorted(deletions(word) | {word}):
            for listed in (key,) if key in self.vocabulary else ():
                found.setdefault(listed, _similarity(word, listed))
            for listed in self._by_key.get(key, ()):
                found.setdefault(listed, _similarity(word, listed))
        if len(word) >= MIN_PHONETIC_LENGTH and word.isalpha():
            for listed in self._by_sound.get(metaphone(word), ()):
                spelled = _similarity(word, listed)
                if listed[0] == word[0] and spelled >= PHONETIC_MIN_SPELLING:
                    found[listed] = max(found.get(listed, 0.0), PHONETIC_FLOOR, spelled)
        return {listed: score for listed, score in found.items() if score >= MIN_SIMILARITY}


def best_first(found: dict[str, float]) -> dict[str, float]:
    """Highest similarity first, equal ones alphabetically: never the order a set happened to have."""
    alphabetical = sorted(found.items(), key=itemgetter(0))
    return dict(sorted(alphabetical, key=itemgetter(1), reverse=True))  # a stable sort keeps ties alphabetical


def english_transliteration(word: str) -> str:
    """A word in German transliteration of Russian, in the English one ("prigoschin" -> "prigoshin");
    any other word as it is."""
    if not GERMAN_MARKS.search(word):
        return word
    return GERMAN_SPELLING.sub(lambda match: GERMAN_TO_ENGLISH[match.group()], word)


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) <= SHORT_WORD and not _short_word_slip(a, b):
        return 0.0
    return OSA.normalized_similarity(a, b)


def _short_word_slip(a: str, b: str) -> bool:
    """In words of three letters a changed letter makes another word (Lei, Wei); only a swap
    (Esa, Eas) or a doubled or dropped letter (Esa, Essa) is taken for a typo."""
    if len(a) == len(b):
        return sorted(a) == sorted(b)
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) == 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
