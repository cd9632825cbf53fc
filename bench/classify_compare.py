"""Held-out micro-F1 per part of the data for the classifier of another checkout (an earlier round, say),
scored on this checkout's labelled data: the "before" column of docs/benchmarks.md.

    git worktree add /tmp/round3 b0c67f7
    .venv/bin/python bench/classify_compare.py /tmp/round3

The other checkout's own code and committed head classify this checkout's
held-out items (title, text, kind; an older classifier ignores what it does
not know, such as aliases).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "classifier" / "data" / "labelled.jsonl"

# Runs inside the other checkout: reads held-out items on stdin, writes (dimensions, industries) per line.
_CLASSIFY = """
import json, sys
from classifier.model import Classifier
items = [json.loads(line) for line in sys.stdin]
for result in Classifier.load().classify(items):
    print(json.dumps([result.dimensions, result.industries]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="The other checkout (a git worktree of an earlier commit).")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from bench.classify import PARTS, part_of
    from classifier.dataset import example
    from classifier.evaluation import micro_f1
    from classifier.labels import LABELS

    test = [
        record for record in map(json.loads, DATA.read_text(encoding="utf-8").splitlines()) if record["split"] == "test"
    ]
    lines = "".join(
        json.dumps({"id": r["id"], "title": r["title"], "text": r["text"], "kind": r["kind"]}) + "\n" for r in test
    )
    out = subprocess.run(
        [sys.executable, "-c", _CLASSIFY],
        cwd=args.checkout.resolve(),
        input=lines,
        text=True,
        capture_output=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(args.checkout.resolve())},
    )
    decisions = [tuple(json.loads(line)) for line in out.stdout.splitlines()]
    gold = np.array([[label in r["dimensions"] or label in r["industries"] for label in LABELS] for r in test])
    print(f"held-out micro-F1, dimensions / industries, of the classifier in {args.checkout}")
    parts = [part_of(example(r)) for r in test]
    for part in [*PARTS, "all held-out items"]:
        rows = [i for i, own in enumerate(parts) if part in (own, "all held-out items")]
        dims, inds = micro_f1(gold[rows], [decisions[i] for i in rows])
        print(f"| {part} | {len(rows)} | {dims:.3f} / {inds:.3f} |")


if __name__ == "__main__":
    main()
