"""Every name a listing can be found under.

Lists pack several names into one field: "Semiconductor Manufacturing International
Corporation (SMIC)", "Gazprom Promgaz, AO (f.k.a. Otkrytoe Aktsionernoe Obshchestvo
Gazprom Promgaz)", "CETC 13. Subordinate Institution - Hebei Medicines Health", and
alias lists that read "X; and Y". Each of those parts is a name a vendor master may use.
A bracket that names a place ("(Shanghai)") or a parent organisation is not a name of
the listed party, so it never becomes one.
"""

from __future__ import annotations

import re

from pipeline.screening.match import chinese
from spiders.kit import countries

ALIAS_MARKER = re.compile(r"\b(?:[afn]\.\s?k\.\s?a\.?|[afn]ka\b|formerly known as\b|also known as\b)\s*,?\s*", re.I)
SUBORDINATE = re.compile(r"\b(?:subordinate institution|affiliated entity)\s*[-:–]\s*", re.I)
NOT_A_NAME = re.compile(r"^\s*(?:parent|subsidiary|branch|see |part of|formerly)", re.I)
LEADING_AND = re.compile(r"^\s*and\s+", re.I)
PLACE_NAMES = frozenset(chinese.spellings())


def listing_names(name: str, alt_names: list[str]) -> list[str]:
    """The names to search a listing under: the listed name (or its parts) first, each once."""
    found: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        text = " ".join(LEADING_AND.sub("", text).strip(" ,;.-").split())
        key = text.casefold()
        if len(text) > 1 and key not in seen:
            seen.add(key)
            found.append(text)

    for text in [name, *alt_names]:
        parts = name_parts(text)
        for part in parts or [text]:  # a packed field is searched by its parts, not as one long name
            add(part)
    return found


def name_parts(text: str) -> list[str]:
    """The names packed into one field: the text without brackets, each bracket, each a.k.a.

    "Parent (P). Affiliated Entity: Child" lists the child: only its names are returned.
    """
    listed = SUBORDINATE.split(text)
    if len(listed) > 1:
        return [listed[-1], *name_parts(listed[-1])]
    if "(" not in text:
        outside, brackets = text, []
    else:
        outside, brackets = _split_brackets(text)
    parts = [outside] if brackets else []
    for inner in brackets:
        if NOT_A_NAME.match(inner):
            continue
        inner_outside, _ = _split_brackets(inner)
        parts.extend(piece for piece in ALIAS_MARKER.split(inner_outside) if not _is_place(piece))
        parts.extend(part for part in name_parts(inner) if not _is_place(part))
    for piece in [outside, *parts]:
        pieces = ALIAS_MARKER.split(piece)
        if len(pieces) > 1:
            parts.extend(pieces)
    return [part for part in parts if part.strip()]


def _split_brackets(text: str) -> tuple[str, list[str]]:
    """The text with its top-level brackets blanked out, and what each bracket held."""
    outside, brackets, depth, current = [], [], 0, []
    for char in text:
        if char == "(":
            if depth:
                current.append(char)
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth:
                current.append(char)
            else:
                brackets.append("".join(current))
                current = []
                outside.append(" ")
        elif depth:
            current.append(char)
        else:
            outside.append(char)
    return "".join(outside), brackets


def _is_place(text: str) -> bool:
    text = text.strip(" ,.;").casefold()
    return not text or text in PLACE_NAMES or text in countries.names()
