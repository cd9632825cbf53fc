"""How well one written name agrees with one listed name, and why.

Words are paired one to one (a written word with the listed word it is, a typo of,
sounds like, or two listed words it runs together), best pairs first. The score is
the share of both names' weight that the pairs cover, where a word's weight is how
rare it is among listed names: "Huawei" carries far more than "Technology", a legal
form ("Co., Ltd.", "OOO", "PJSC") counts as one small, language-free class.
A listed word the written name leaves out costs half as much as a written word the
listed name lacks: vendor masters drop patronymics and suffixes, but a word the
listing does not have is evidence of a different party.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.screening.normalise import LEGAL, NUMBER, Token

LEGAL_WEIGHT = 1.0
SAME_LEGAL_CLASS, OTHER_LEGAL_CLASS = 1.0, 0.7
UNMATCHED_LISTED_FACTOR = 0.5
NUMBER_MISMATCH_FACTOR = 0.75  # "703rd Research Institute" is not the 704th
# Each name has a word the other lacks ("China Construction Bank" / "China Communications
# Construction"): more likely two parties than one written two ways.
CONFLICT_FACTOR = 0.9


@dataclass(frozen=True)
class Pair:
    written: tuple[int, ...]  # token positions in the written name
    listed: tuple[int, ...]  # token positions in the listed name
    similarity: float


@dataclass
class Alignment:
    score: float
    pairs: list[Pair] = field(default_factory=list)
    written_only: list[int] = field(default_factory=list)
    listed_only: list[int] = field(default_factory=list)
    numbers_differ: bool = False


class Weights:
    """A word's weight: its inverse document frequency among every listed name."""

    def __init__(self, document_frequency: dict[str, int], names: int):
        import math

        self._log = math.log
        self.frequency = document_frequency
        self.names = max(names, 1)
        self.unknown = self.of_frequency(1)

    def of_frequency(self, frequency: int) -> float:
        return self._log(1 + self.names / frequency)

    def of(self, token: Token) -> float:
        if token.kind == LEGAL:
            return LEGAL_WEIGHT
        frequency = self.frequency.get(token.text)
        return self.of_frequency(frequency) if frequency else self.unknown


def align(written: tuple[Token, ...], listed: tuple[Token, ...], similar, weights: Weights) -> Alignment:
    """Pair the words of two names and score the pairing.

    `similar(text)` gives {listed word: similarity} for a written word (see fuzzy.WordFinder).
    """
    candidates = _candidate_pairs(written, listed, similar)
    listed_weight = [weights.of(token) for token in listed]
    # A written word paired with a listed one weighs what the listed word weighs (a typo is no rarer).
    candidates.sort(key=lambda pair: pair.similarity * sum(listed_weight[j] for j in pair.listed), reverse=True)
    used_written: set[int] = set()
    used_listed: set[int] = set()
    pairs: list[Pair] = []
    for pair in candidates:
        if used_written.isdisjoint(pair.written) and used_listed.isdisjoint(pair.listed):
            pairs.append(pair)
            used_written.update(pair.written)
            used_listed.update(pair.listed)

    covered = total = 0.0
    for pair in pairs:
        weight = sum(listed_weight[j] for j in pair.listed)
        covered += 2 * weight * pair.similarity
        total += 2 * weight
    written_only = [i for i in range(len(written)) if i not in used_written]
    listed_only = [j for j in range(len(listed)) if j not in used_listed]
    total += sum(weights.of(written[i]) for i in written_only)
    total += UNMATCHED_LISTED_FACTOR * sum(listed_weight[j] for j in listed_only)
    score = covered / total if total else 0.0
    numbers_differ = any(written[i].kind == NUMBER for i in written_only) and any(
        listed[j].kind == NUMBER for j in listed_only)
    if numbers_differ:
        score *= NUMBER_MISMATCH_FACTOR
    conflict = any(written[i].kind != LEGAL for i in written_only) and any(
        listed[j].kind != LEGAL for j in listed_only)
    if conflict:
        score *= CONFLICT_FACTOR
    return Alignment(score, pairs, written_only, listed_only, numbers_differ)


def _candidate_pairs(written, listed, similar) -> list[Pair]:
    pairs: list[Pair] = []
    listed_legal = [j for j, token in enumerate(listed) if token.kind == LEGAL]
    listed_at: dict[str, list[int]] = {}
    for j, token in enumerate(listed):
        if token.kind != LEGAL:
            listed_at.setdefault(token.text, []).append(j)
    for i, token in enumerate(written):
        if token.kind == LEGAL:
            for j in listed_legal:
                same = listed[j].text == token.text
                pairs.append(Pair((i,), (j,), SAME_LEGAL_CLASS if same else OTHER_LEGAL_CLASS))
            continue
        for text, similarity in similar(token.text).items():
            for j in listed_at.get(text, ()):
                pairs.append(Pair((i,), (j,), similarity))
    pairs.extend(_compound_pairs(written, listed, similar, listed_at))
    return pairs


def _compound_pairs(written, listed, similar, listed_at) -> list[Pair]:
    """Words run together on one side and apart on the other: "Hik Vision" / "Hikvision"."""
    pairs = []
    for j in range(len(listed) - 1):
        if listed[j].kind == LEGAL or listed[j + 1].kind == LEGAL:
            continue
        joined = listed[j].text + listed[j + 1].text
        for i, token in enumerate(written):
            if token.text == joined:
                pairs.append(Pair((i,), (j, j + 1), 1.0))
    for i in range(len(written) - 1):
        if written[i].kind == LEGAL or written[i + 1].kind == LEGAL:
            continue
        for text, similarity in similar(written[i].text + written[i + 1].text).items():
            for j in listed_at.get(text, ()):
                pairs.append(Pair((i, i + 1), (j,), similarity))
    return pairs
