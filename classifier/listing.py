"""What a screening-list entry says about its party beyond its name: aliases and "Linked To" parents.

A listing reaches the classifier as `{"title": name, "text": list, programmes,
address, remarks..., "kind": "listing", "aliases": [...]}`. OFAC writes a
party's owner or controller into its remarks as "(Linked To: PARENT)", several
times over when there are several; a parent's name may itself hold brackets
("ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE").
"""

from __future__ import annotations

import json
import re
from typing import Any

LINKED_TO = "linked to:"
# pipeline.tagging.listing_input writes an individual's position as "Title: ...", then remarks or licence policy.
_POSITION = re.compile(r"(?:^|\. )Title: (.+?)(?:\. (?:Remarks|License policy): |\.$)")
MAX_ALIASES = 20  # a few SDN entries carry dozens of spellings; the first ones are the established names


def aliases_of(row: dict[str, Any]) -> list[str]:
    """A stored listing's `alt_names` (a JSON array, a list or "; "-joined text) as a list of names."""
    cell = row.get("alt_names")
    if not cell:
        return []
    if isinstance(cell, str):
        try:
            cell = json.loads(cell) if cell.lstrip()[:1] == "[" else cell.split("; ")
        except ValueError:
            cell = cell.split("; ")
    return [" ".join(str(name).split()) for name in cell if str(name).strip()][:MAX_ALIASES]


def linked_to(text: str) -> list[str]:
    """The parents named by "Linked To: X" in a listing's text, in order, without repeats."""
    parents: list[str] = []
    lowered = text.lower()
    start = lowered.find(LINKED_TO)
    while start >= 0:
        position = start + len(LINKED_TO)
        depth = 0
        end = len(text)
        for index in range(position, len(text)):
            char = text[index]
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    end = index
                    break
                depth -= 1
            elif char == ";" and depth == 0:
                end = index
                break
        parent = " ".join(text[position:end].split()).rstrip(".")
        if parent and parent not in parents:
            parents.append(parent)
        start = lowered.find(LINKED_TO, end)
    return parents


def position(text: str) -> str:
    """An individual's position as the listing states it ("Director, NIOC International Affairs"), or ""."""
    found = _POSITION.search(text)
    return found.group(1) if found else ""


def own_names(item: dict[str, Any]) -> list[str]:
    """What names the party itself: its name, its aliases and, for a person, the position held."""
    return [item.get("title") or "", *item.get("aliases", ()), position(item.get("text") or "")]


def without_parents(text: str) -> str:
    """The text with its "Linked To" parents' names taken out: what the party says of itself."""
    for parent in linked_to(text):
        text = text.replace(parent, " ")
    return text
