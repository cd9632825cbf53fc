"""How well one written name agrees with one listed name, and why.

Words are paired one to one (a written word with the listed word it is, a typo of,
sounds like, or two listed words it runs together), best pairs first. The score is
the share of both names' weight that the pairs cover, where a word's weight is how
rare it is among listed names: "Huawei" carries far more than "Technology", a legal
form ("Co., Ltd.", "OOO", "PJSC") counts as one small, language-free class.
A listed word the written name leaves out costs half as much as a written word the
listed name lacks: vendor masters drop patronymics and suffixes, but a word the
listing does not have is evidence of a different party.

Words that only say what a business does or where ("Societe Generale", "International
Trading", "Zhejiang") never make a match on their own: when no distinctive word agrees
and either name has a word the other lacks, the score is halved.

An optional written word (a Chinese province or city in front of the name, a translated
word of a name in Chinese characters; see normalise.py) that the listed name lacks costs
no more than a legal form, unless the listed name has a place of its own that the
written one lacks: "Zhejiang Dahua Technology" is the listed "Dahua Technology", but
"Shanghai X" is not the listed "Beijing X".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.screening.match import chinese
from pipeline.screening.match.normalise import LEGAL, NAME, NUMBER, Token, stem
from pipeline.screening.match.vocab import GENERIC_WORDS
from spiders.kit import countries

LEGAL_WEIGHT = 1.0
SAME_LEGAL_CLASS, OTHER_LEGAL_CLASS = 1.0, 0.7
UNMATCHED_LISTED_FACTOR = 0.5
NUMBER_MISMATCH_FACTOR = 0.75  # "703rd Research Institute" is not the 704th
# Each name has a word the other lacks ("China Construction Bank" / "China Communications
# Construction"): more likely two parties than one written two ways.
CONFLICT_FACTOR = 0.9
GENERIC_ONLY_FACTOR = 0.5
OPTIONAL_WEIGHT = LEGAL_WEIGHT  # the most a missing optional word costs


@dataclass(frozen=True)
class Pair:
    written: tuple[int, ...]  # token positions in the written name
    listed: tuple[int, ...]  # token positions in the listed name
    similarity: float
    cut: bool = False  # the written word is the start of the listed one, cut at the end of its field


@dataclass
class Alignment:
    score: float
    pairs: list[Pair] = field(default_factory=list)
    written_only: list[int] = field(default_factory=list)
    listed_only: list[int] = field(default_factory=list)
    numbers_differ: bool = False
    generic_only: bool = False  # the names agree only on words any business could have


@lru_cache(maxsize=1)
def not_distinctive() -> frozenset[str]:
    """Generic business words in every language we know of, and place names (Chinese provinces
    and cities, one-word country names): they describe a party, they do not identify one."""
    places = {word for place in chinese.provinces() for word in place.split()}
    places.update(name for name in countries.names() if name.isalpha())
    return frozenset(map(stem, GENERIC_WORDS)) | frozenset(places)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    return frozenset(stem(word) for place in chinese.leading_places() for word in place.split())


class Weights:
    """A word's weight: its inverse document frequency among every listed name."""

    def __init__(self, document_frequency: dict[str, int], names: int):
        self.frequency = document_frequency
        self.names = max(names, 1)
        self.unknown = self.of_frequency(1)
        self._cache: dict[str, float] = {}

    def of_frequency(self, frequency: int) -> float:
        return math.log(1 + self.names / frequency)

    def of(self, token: Token) -> float:
        return LEGAL_WEIGHT if token.kind == LEGAL else self.of_word(token.text)

    def of_word(self, text: str) -> float:
        weight = self._cache.get(text)
        if weight is None:
            frequency = self.frequency.get(text)
            weight = self._cache[text] = self.of_frequency(frequency) if frequency else self.unknown
        return weight


@dataclass(frozen=True, slots=True)
class Prepared:
    """A name's tokens with what alignment needs, worked out once (listed names: when the index is built)."""

    tokens: tuple[Token, ...]
    weights: tuple[float, ...]
    legal: tuple[int, ...]  # positions of legal-form tokens
    at: dict[str, tuple[int, ...]]  # word -> positions, legal forms left out
    joined: tuple[tuple[int, str], ...]  # (j, word j + word j+1) for neighbouring words
    distinctive: tuple[bool, ...]  # a word that can carry a match: not generic, not a place, not a legal form
    costs: tuple[float, ...]  # what each word costs when the other name lacks it (optional ones at the least)
    places: tuple[int, ...]  # positions of Chinese place names
    optional: tuple[int, ...]  # positions of optional words (see normalise.py)


def prepare(tokens: tuple[Token, ...], weights: Weights) -> Prepared:
    common, places = not_distinctive(), place_words()
    at: dict[str, list[int]] = {}
    weighed, legal, distinctive, costs, at_places, optional = [], [], [], [], [], []
    for position, token in enumerate(tokens):
        weight = weights.of(token)
        weighed.append(weight)
        costs.append(min(weight, OPTIONAL_WEIGHT) if token.optional else weight)
        distinctive.append(token.kind == NUMBER or (token.kind != LEGAL and token.text not in common))
        if token.kind == LEGAL:
            legal.append(position)
        else:
            at.setdefault(token.text, []).append(position)
            if token.text in places:
                at_places.append(position)
        if token.optional:
            optional.append(position)
    joined = tuple(
        (j, tokens[j].text + tokens[j + 1].text)
        for j in range(len(tokens) - 1)
        if tokens[j].kind != LEGAL and tokens[j + 1].kind != LEGAL
    )
    return Prepared(
        tokens,
        tuple(weighed),
        tuple(legal),
        {text: tuple(found) for text, found in at.items()},
        joined,
        tuple(distinctive),
        tuple(costs),
        tuple(at_places),
        tuple(optional),
    )


@dataclass(frozen=True, slots=True)
class PreparedQuery:
    name: Prepared
    similar: tuple[dict[str, float], ...]  # per written word: {listed word: similarity}
    joined_similar: tuple[tuple[int, dict[str, float]], ...]  # the same for two neighbouring words run together
    split: tuple[tuple[int, tuple[tuple[str, str], ...]], ...]  # a written word lists spell as two: "shenzhong"
    cut: int | None = None  # the last word, when the name filled its field and may be cut: "...TECHNOLO"


MIN_SPLIT_PART = 2


def prepare_query(
    tokens: tuple[Token, ...], similar, weights: Weights, vocabulary=frozenset(), cut: bool = False
) -> PreparedQuery:
    """`similar(text)` gives {listed word: similarity} for a written word (see fuzzy.WordFinder);
    `vocabulary` is every listed word, to find written words the lists split in two; `cut` says the
    name filled its field, so its last word may be the start of a longer one."""
    name = prepare(tokens, weights)
    split = []
    for i, token in enumerate(tokens):
        if token.kind == NAME and token.text not in vocabulary:
            text = token.text
            parts = tuple(
                (text[:k], text[k:])
                for k in range(MIN_SPLIT_PART, len(text) - MIN_SPLIT_PART + 1)
                if text[:k] in vocabulary and text[k:] in vocabulary
            )
            if parts:
                split.append((i, parts))
    return PreparedQuery(
        name,
        tuple({} if token.kind == LEGAL else similar(token.text) for token in tokens),
        tuple((i, similar(text)) for i, text in name.joined),
        tuple(split),
        len(tokens) - 1 if cut and tokens and tokens[-1].kind == NAME else None,
    )


def align(query: PreparedQuery, listed: Prepared) -> Alignment:
    """Pair the words of a written and a listed name, best pairs first, and score the pairing."""
    written = query.name
    listed_weight = listed.weights
    # (gain, similarity, written positions, listed positions); a written word paired with a listed
    # one weighs what the listed word weighs (a typo is no rarer than the word it misspells).
    # (-gain, -similarity, written positions, listed positions): sorted as they are, best pairs come
    # first and equal ones in word order, so the pairing (and its explanation) never varies.
    candidates = []
    for i, found in enumerate(query.similar):
        for text, similarity in found.items():
            for j in listed.at.get(text, ()):
                candidates.append((-similarity * listed_weight[j], -similarity, (i,), (j,)))
    for i in written.legal:
        for j in listed.legal:
            similarity = SAME_LEGAL_CLASS if written.tokens[i].text == listed.tokens[j].text else OTHER_LEGAL_CLASS
            candidates.append((-similarity * LEGAL_WEIGHT, -similarity, (i,), (j,)))
    for j, joined in listed.joined:  # "Hikvision" written, "Hik Vision" listed
        for i in written.at.get(joined, ()):
            candidates.append((-listed_weight[j] - listed_weight[j + 1], -1.0, (i,), (j, j + 1)))
    for i, found in query.joined_similar:  # "Hik Vision" written, "Hikvision" listed
        for text, similarity in found.items():
            for j in listed.at.get(text, ()):
                candidates.append((-similarity * listed_weight[j], -similarity, (i, i + 1), (j,)))
    candidates.sort()

    used_written: set[int] = set()
    used_listed: set[int] = set()
    pairs: list[Pair] = []
    covered = total = 0.0
    for _, negative, left, right in candidates:
        if used_written.isdisjoint(left) and used_listed.isdisjoint(right):
            pairs.append(Pair(left, right, -negative))
            used_written.update(left)
            used_listed.update(right)
            weight = sum(listed_weight[j] for j in right)
            covered -= 2 * weight * negative
            total += 2 * weight
    cut_off: set[int] = set()  # listed words the written name's field had no room for
    if query.cut is not None:
        cut_off = _cut_off(query.cut, written, listed, pairs, used_written, used_listed)
        for pair in pairs[-1:] if pairs and pairs[-1].cut else ():
            weight = listed_weight[pair.listed[0]]
            covered += 2 * weight
            total += 2 * weight
    written_only = [i for i in range(len(written.tokens)) if i not in used_written]
    listed_only = [j for j in range(len(listed.tokens)) if j not in used_listed]
    excused: set[int] = set()  # optional written words the listed name may lack
    if written.optional or query.cut is not None:
        other_place = any(j not in used_listed for j in listed.places)  # the listed name is somewhere else
        excused = {
            i
            for i in written_only
            if (written.tokens[i].optional or i == query.cut) and not (other_place and i in written.places)
        }
    total += sum(written.costs[i] if i in excused else written.weights[i] for i in written_only)
    total += UNMATCHED_LISTED_FACTOR * sum(listed_weight[j] for j in listed_only if j not in cut_off)
    score = covered / total if total else 0.0
    numbers_differ = any(written.tokens[i].kind == NUMBER for i in written_only) and any(
        listed.tokens[j].kind == NUMBER for j in listed_only
    )
    if numbers_differ:
        score *= NUMBER_MISMATCH_FACTOR
    written_left = any(written.tokens[i].kind != LEGAL and i not in excused for i in written_only)
    listed_left = any(listed.tokens[j].kind != LEGAL and j not in cut_off for j in listed_only)
    if written_left and listed_left:
        score *= CONFLICT_FACTOR
    generic_only = (written_left or listed_left) and not any(
        listed.distinctive[j] for pair in pairs for j in pair.listed
    )
    if generic_only:
        score *= GENERIC_ONLY_FACTOR
    return Alignment(score, pairs, written_only, listed_only, numbers_differ, generic_only)


def _cut_off(
    cut: int, written: Prepared, listed: Prepared, pairs: list[Pair], used_written: set[int], used_listed: set[int]
) -> set[int]:
    """Pair a cut last word with the listed word it starts ("technolo", "technology"), next after
    the words already paired; the listed words after it did not fit the field."""
    paired_at = next((pair.listed[-1] for pair in pairs if cut in pair.written), None)
    if paired_at is None:
        start = max(used_listed, default=-1) + 1
        prefix = written.tokens[cut].text
        paired_at = next(
            (
                j
                for j in range(start, len(listed.tokens))
                if j not in used_listed and listed.tokens[j].kind == NAME and listed.tokens[j].text.startswith(prefix)
            ),
            None,
        )
        if paired_at is None:
            return set()
        pairs.append(Pair((cut,), (paired_at,), 1.0, cut=True))
        used_written.add(cut)
        used_listed.add(paired_at)
    return {j for j in range(paired_at + 1, len(listed.tokens)) if j not in used_listed}
