"""The party graph: which listing names another as its parent, and which parties share an address.

Pure: rows in, links out. A parent is read from "Linked To: X" (OFAC remarks, or the
`linked_to` the OFAC spiders keep) or from an Entity List name "X. Affiliated Entity: Y", and found among the active listings by name or
alias; a parent on no stored list is kept by name. Two parties share an address when
a specific address (a number in it, at least three parts) is written the same way on
both, once case, punctuation and spacing are set aside; an address shared by more
than SHARED_MAX parties (a registered agent, a business centre) says nothing and is
left out, as are rows of one party on several lists (same name), individuals, and
addresses that are where a person is held in custody.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from classifier.listing import linked_to

SHARED_MAX = 10
# A prison's address (Denied Persons List orders name where the person is held) links no one to anyone.
CUSTODY = re.compile(r"\bINCARCERATED\b|\bUSM NO\b|\bREGISTER NUMBER\b|\bINMATE\b", re.IGNORECASE)
AFFILIATED = re.compile(r"^(.+?)\.\s+Affiliated Entity:", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[^\w\s]")


def name_key(name: str) -> str:
    return " ".join(_PUNCTUATION.sub(" ", name.casefold()).split())


def _values(cell: str | None) -> list[str]:
    if not cell:
        return []
    try:
        value = json.loads(cell)
    except ValueError:
        return [cell]
    return [str(v) for v in value if v] if isinstance(value, list) else [str(value)]


def _parents(row: dict[str, Any]) -> dict[str, str]:
    """Each parent the listing names, with the words it was read from."""
    named = linked_to(row.get("remarks") or "")
    extra = json.loads(row["extra"]) if row.get("extra") else {}
    named += [p for p in extra.get("linked_to") or [] if isinstance(p, str)]
    parents = {" ".join(p.split()): f"Linked To: {' '.join(p.split())}" for p in named if p.strip()}
    # The Entity List names an affiliate "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: ...".
    affiliate = AFFILIATED.match(row.get("name") or "")
    if affiliate:
        parent = " ".join(affiliate.group(1).split())
        parents.setdefault(parent, f"listed as an Affiliated Entity of {parent}")
    return parents


def _specific(address: str) -> bool:
    return any(ch.isdigit() for ch in address) and address.count(",") >= 2 and not CUSTODY.search(address)


def compute_links(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = list(rows)
    by_name: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for name in [row["name"], *_values(row.get("alt_names"))]:
            key = name_key(name)
            if key and row["id"] not in by_name[key]:
                by_name[key].append(row["id"])
    links = []
    for row in rows:
        for parent, evidence in _parents(row).items():
            found = [i for i in by_name.get(name_key(parent), []) if i != row["id"]]
            for linked_id in found or [None]:
                links.append(
                    {
                        "listing_id": row["id"],
                        "kind": "linked_to",
                        "target_name": parent,
                        "linked_id": linked_id,
                        "evidence": evidence,
                    }
                )
    at_address: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        if (row.get("entity_type") or "").casefold() == "individual":
            continue  # people at one address are family or staff, not a company's parent or sibling
        for address in _values(row.get("addresses")):
            if _specific(address):
                at_address[name_key(address)].setdefault(row["id"], {"row": row, "address": address})
    for parties in at_address.values():
        if not 2 <= len(parties) <= SHARED_MAX:
            continue
        for a, b in combinations(sorted(parties), 2):
            first, second = parties[a]["row"], parties[b]["row"]
            if name_key(first["name"]) == name_key(second["name"]):
                continue
            for one, other in ((first, second), (second, first)):
                links.append(
                    {
                        "listing_id": one["id"],
                        "kind": "shared_address",
                        "target_name": other["name"],
                        "linked_id": other["id"],
                        "evidence": parties[one["id"]]["address"],
                    }
                )
    return links
