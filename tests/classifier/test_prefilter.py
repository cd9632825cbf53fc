"""Prefiltered regexes answer exactly as `re` does, on every signal and on crafted texts."""

from __future__ import annotations

import re

import pytest

from classifier.dataset import load
from classifier.prefilter import Prefiltered, required_literals
from classifier.signals import _PATTERNS

EDGE_TEXTS = [
    "",
    "3b090 and 4a090 items",
    "the ear applies",
    "fab",
    "chips",
    "a bank",
    "semiconductors",
    "ban on exports of rare earths",
    "§744.11 entity list",
    "ai",
    "main",
    "uav",
    "5g",
    "个人信息",
]


@pytest.mark.parametrize(
    "pattern, literals",
    [
        (r"semiconduct|\bchips?\b|wafer", ("semiconduct", "chip", "wafer")),
        (r"\b[0-9][a-e][0-9]{3}\b", None),  # no literal: the regex always runs
        (r"ban\w* (?:the )?exports?", ("export",)),
        (r"forced labou?r|uflpa", ("forced labo", "uflpa")),
    ],
)
def test_required_literals_are_read_from_the_pattern(pattern, literals):
    assert required_literals(pattern) == literals


def test_every_signal_matches_exactly_as_re_does():
    texts = [f"{e.title}. {e.text}".lower() for e in load()] + EDGE_TEXTS
    for name, pattern in _PATTERNS.items():
        fast, plain = Prefiltered(pattern.lower()), re.compile(pattern.lower())
        mismatched = [text for text in texts if bool(fast.search(text)) != bool(plain.search(text))]
        assert not mismatched, f"{name}: {mismatched[:3]}"
