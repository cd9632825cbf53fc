"""Fast regular-expression search: skip the regex when none of its required words is in the text.

Python's `re` tries a long alternation at every position of the text, so the
signals' 60 patterns cost far more than encoding a screening-list entry. Yet
each pattern can only match where one of a few literal strings occurs
("semiconduct", "chip", "wafer", ...), and `str.__contains__` finds those in
a blink. The strings are read from the parsed pattern, so the answer is the
same as `pattern.search` gives; when a pattern has no usable literal, the
regex simply always runs.
"""

from __future__ import annotations

import re

try:  # the parser behind re.compile; private, so anything unexpected means "no prefilter"
    from re import _constants as sre_constants
    from re import _parser as sre_parser
except ImportError:  # pragma: no cover - older layouts
    sre_constants = sre_parser = None

MIN_LITERAL = 2  # a one-letter requirement filters nothing


def _requirement(items) -> list[str] | None:
    """Literal strings of which every match of `items` (a parsed sequence) contains at least one."""
    candidates: list[list[str]] = []
    run = ""
    for op, argument in items:
        if op is sre_constants.LITERAL:
            run += chr(argument)
            continue
        if run:
            candidates.append([run])
            run = ""
        if op is sre_constants.BRANCH:
            branches = [_requirement(branch.data) for branch in argument[1]]
            if all(branches):
                candidates.append([literal for branch in branches for literal in branch])
        elif op is sre_constants.SUBPATTERN:
            inner = _requirement(argument[-1].data)
            if inner:
                candidates.append(inner)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and argument[0] >= 1:
            inner = _requirement(argument[2].data)
            if inner:
                candidates.append(inner)
    if run:
        candidates.append([run])
    candidates = [c for c in candidates if min(map(len, c)) >= MIN_LITERAL]
    return max(candidates, key=lambda c: (min(map(len, c)), -len(c))) if candidates else None


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """The literals one of which any match of `pattern` contains, or None when there is no such set."""
    if sre_parser is None:
        return None
    try:
        parsed = sre_parser.parse(pattern)
    except Exception:  # noqa: BLE001 - an unparseable pattern fails in re.compile instead
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    found = _requirement(parsed.data)
    return tuple(dict.fromkeys(found)) if found else None


class Prefiltered:
    """`search(text)` answering exactly as the compiled pattern does, faster on texts it cannot match."""

    def __init__(self, pattern: str):
        self.regex = re.compile(pattern)
        self.literals = required_literals(pattern)

    def search(self, text: str):
        if self.literals is not None and not any(literal in text for literal in self.literals):
            return None
        return self.regex.search(text)
