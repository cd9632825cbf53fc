"""The taxonomy's rules for screening-list entries, applied as written.

Rule 5: an entry takes its list's instrument. A listing's text starts with its
list's name (pipeline/tagging.listing_input puts it first), so the list decides
the dimension outright. Lists not named here keep the head's dimensions.
A listed bank is `cross_sector` (the taxonomy's Sberbank example) and an
ITAR-debarred party `aerospace_defense` (the debarment concerns defence
articles only); other entries' industries are the trained head's, plus
what the register of listed parties knows of the party (classifier/register.py).
"""

from __future__ import annotations

import re

_ITEM_LICENSING = re.compile(
    r"entity list|military end[- ]user|unverified list|denied persons|itar debarred|meti end user|annex iv"
    r"|export control (?:control )?list|出口管制管控名单"
)
_SANCTIONS_AND_BANS = re.compile(
    r"specially designated nationals|sectoral sanctions|foreign sanctions evaders|fse list|non-sdn|capta"
    r"|palestinian legislative|nonproliferation sanctions|unreliable entity|fcc covered list|uflpa"
    r"|un security council consolidated list|consolidated list of financial sanctions|countermeasure|反制"
)


def list_dimensions(item: dict) -> list[str] | None:
    """The dimensions a listing's list gives it, or None when the item is no listing or the list is unknown."""
    if item.get("kind") != "listing":
        return None
    head = (item.get("text") or "")[:120].lower()
    first_sentence = head.split(". ", 1)[0]
    if _SANCTIONS_AND_BANS.search(first_sentence):  # first: "Unreliable Entity List" is no Entity List
        return ["governance"]
    if _ITEM_LICENSING.search(first_sentence):
        return ["key_inputs"]
    return None


# The taxonomy's Sberbank example: a bank takes no industry, whoever owns it (Gazprombank is no energy firm).
_BANK = re.compile(r"bank\b|\bbanc[ao]\b")
# ITAR debarment bars a party from trade in defence articles and services, and in nothing else.
_ITAR = re.compile(r"^itar debarred")


def listing_industries(item: dict) -> list[str] | None:
    """`["cross_sector"]` for a listed bank, `["aerospace_defense"]` for an ITAR-debarred party,
    else None (the head decides)."""
    if item.get("kind") != "listing":
        return None
    if _BANK.search((item.get("title") or "").lower()):
        return ["cross_sector"]
    if _ITAR.search((item.get("text") or "").lower()):
        return ["aerospace_defense"]
    return None


def apply_rules(
    item: dict, dimensions: list[str], industries: list[str], registered: set[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """The head's labels with the rules applied: the list's instrument, a bank's or an ITAR debarment's
    industry, and the industries the register knows for the party (`registered`) added to the head's, with
    `cross_sector` dropped beside a specific one (chosen by cross-validation: docs/benchmarks.md)."""
    dimensions = list_dimensions(item) or dimensions
    ruled = listing_industries(item)
    if ruled:
        return dimensions, ruled
    if registered:
        industries = list(dict.fromkeys([*industries, *sorted(registered)]))
        if len(industries) > 1 and "cross_sector" in industries and "cross_sector" not in registered:
            industries.remove("cross_sector")
    return dimensions, industries
