"""Measuring screening quality on a labelled set of counterparty names.

The set (data/evaluation_set.csv) is written the way vendor masters write names:
variants of real listed parties (expected = the listed name as the list prints it)
and real, well-known unlisted companies and people, near-misses included (expected
empty). A positive is found when a listing of that name is among the matches; a
negative is a false positive when anything matches.

Each row names the part of the set it was added in (`part`): v1, written with the
matcher; v2, vendor-master styles written before the matcher was tuned for them
(SAP name fields cut at 35 characters, c/o and attn, addresses and plant codes in the
name field, Kabushiki Kaisha, GmbH & Co. KG, A.Ş., German transliterations of Russian,
Arabic name variants, Chinese registered names). Quality is reported per part.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.screening.match.chinese import has_han

EVALUATION_SET = Path(__file__).resolve().parent / "data" / "evaluation_set.csv"


@dataclass(frozen=True)
class Case:
    name: str
    country: str | None
    expected: str | None  # the listed name, as printed on the list; None for an unlisted party
    case: str
    part: str = "v1"

    @property
    def native_script(self) -> bool:
        return has_han(self.name) or any("\u0400" <= char <= "\u04ff" for char in self.name)


@dataclass
class Result:
    positives: int = 0
    found: int = 0
    negatives: int = 0
    false_positives: int = 0
    native: int = 0
    native_found: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.positives if self.positives else 0.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_positives / self.negatives if self.negatives else 0.0


def load_cases(path: Path = EVALUATION_SET) -> list[Case]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [
            Case(row["name"], row["country"] or None, row["expected"] or None, row["case"], row["part"])
            for row in csv.DictReader(handle)
        ]


def parts(cases: Iterable[Case]) -> dict[str, list[Case]]:
    """The cases of each part of the set, in the order the parts first appear."""
    found: dict[str, list[Case]] = {}
    for case in cases:
        found.setdefault(case.part, []).append(case)
    return found


def key(name: str) -> str:
    return " ".join(name.casefold().split())


def check_expected_are_listed(cases: Iterable[Case], listed_names: Iterable[str]) -> list[str]:
    """Expected names that no listing carries (a typo in the set, or a list that changed)."""
    names = {key(name) for name in listed_names}
    return [case.expected for case in cases if case.expected and key(case.expected) not in names]


# (case) -> the listed names that matched it
MatchFn = Callable[[Case], Iterable[str]]


def evaluate(cases: Iterable[Case], matched_names: MatchFn) -> Result:
    result = Result()
    for case in cases:
        matched = {key(name) for name in matched_names(case)}
        if case.expected:
            result.positives += 1
            hit = key(case.expected) in matched
            result.found += hit
            if case.native_script:
                result.native += 1
                result.native_found += hit
            if not hit:
                result.missed.append(case.name)
        else:
            result.negatives += 1
            if matched:
                result.false_positives += 1
                result.false_alarms.append(f"{case.name} -> {sorted(matched)[0]}")
    return result
