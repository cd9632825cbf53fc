"""Draw the random, list-stratified sample of crawled CSL rows that the list-entry target is measured on.

    .venv/bin/python bench/sample_csl.py [--corpus ../shared/corpus] [--size 300] [--seed 2022] > sample.jsonl

The procedure (classifier/data/README.md): the rows of the May 2022 Consolidated
Screening List as the CSL spider parses them; each list gets a share of SIZE
proportional to its row count (largest remainders, at least one row per
list); within a list, `random.Random("SEED:LIST")` samples that many rows
from the list's rows ordered by entry id. Nothing is filtered: every drawn
row is labelled. Prints one JSON line per row: id (`csl-<list>-<entry id>`),
list, name and what the classifier reads (text, aliases).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.csl_rows import CSL_2022, classifier_item, crawled_listings  # noqa: E402

DEFAULT_SIZE = 300
DEFAULT_SEED = 2022


def allocation(counts: dict[str, int], size: int) -> dict[str, int]:
    """Rows per list: proportional to its count, largest remainders first, at least one each."""
    total = sum(counts.values())
    quotas = {code: size * count / total for code, count in counts.items()}
    shares = {code: max(1, math.floor(quota)) for code, quota in quotas.items()}
    for code in sorted(counts, key=lambda code: (math.floor(quotas[code]) - quotas[code], code)):
        if sum(shares.values()) >= size:
            break
        if shares[code] == math.floor(quotas[code]):
            shares[code] += 1
    return shares


def draw(rows: list[dict], size: int, seed: int) -> list[dict]:
    """The sampled rows, list by list (lists in name order), each list's rows in entry-id order."""
    by_list: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_list[row["list_code"]].append(row)
    shares = allocation({code: len(members) for code, members in by_list.items()}, size)
    sample = []
    for code in sorted(by_list):
        members = sorted(by_list[code], key=lambda row: row["entry_id"])
        picked = random.Random(f"{seed}:{code}").sample(range(len(members)), shares[code])
        sample.extend(members[i] for i in sorted(picked))
    return sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=lambda value: Path(value).resolve(), default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    rows = crawled_listings(args.corpus / CSL_2022)
    sample = draw(rows, args.size, args.seed)
    for row in sample:
        item = classifier_item(row)
        print(
            json.dumps(
                {
                    "id": f"csl-{row['list_code']}-{row['entry_id']}",
                    "list": row["list_code"],
                    "name": item["title"],
                    "text": item["text"],
                    "aliases": item["aliases"],
                },
                ensure_ascii=False,
            )
        )
    print(f"{len(sample)} of {len(rows)} rows drawn (seed {args.seed})", file=sys.stderr)


if __name__ == "__main__":
    main()
