"""English search words for Chinese text, from a glossary kept beside this module (glossary.csv).

A MOFCOM announcement has only a Chinese title and text; its measure type, the
goods and the lists it names get their English words in the index's `terms`
column, so "gallium" finds 关于对镓、锗相关物项实施出口管制的公告.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from pathlib import Path

GLOSSARY_FILE = Path(__file__).with_name("glossary.csv")


@cache
def entries() -> tuple[tuple[str, str, str], ...]:
    """(chinese, english, also) per term, longest Chinese first: `english` is how a page glosses the term,
    `also` more words a search for it may use."""
    with GLOSSARY_FILE.open(encoding="utf-8", newline="") as handle:
        rows = [(row["chinese"].strip(), row["english"].strip(), row["also"].strip()) for row in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda entry: -len(entry[0])))


@cache
def version() -> str:
    """A hash of the glossary: a new glossary changes indexed rows, so the index is rebuilt."""
    return hashlib.sha1(GLOSSARY_FILE.read_bytes()).hexdigest()[:12]


def _found(values: tuple[str | None, ...]) -> list[tuple[str, str, str]]:
    text = "\n".join(value for value in values if value)
    return [entry for entry in entries() if entry[0] in text]


def english_terms(*values: str | None) -> str:
    """Every English word the glossary has for the Chinese terms in these values: what the index adds."""
    return " ".join(f"{english} {also}".strip() for _, english, also in _found(values))


def gloss(*values: str | None) -> list[str]:
    """The English name of each glossary term in these values, in the order the text has them: what a page
    shows beside Chinese. A term found only as part of a longer one (物项 in 两用物项) is left to the longer."""
    text = "\n".join(value for value in values if value)
    found = _found(values)
    chinese = [entry[0] for entry in found]
    kept = [entry for entry in found if not any(entry[0] != other and entry[0] in other for other in chinese)]
    kept.sort(key=lambda entry: text.find(entry[0]))
    return list(dict.fromkeys(english for _, english, _ in kept))
