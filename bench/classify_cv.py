"""Grouped 5-fold cross-validation on the training split for the classifier's design choices: each
variant's micro-F1 per part of the data. The held-out split is never read.

    .venv/bin/python bench/classify_cv.py [--c 3 10 30]

Variants take the adopted features (classifier/features.py) and drop or
swap one block: the register (an empty one, or as features only without the
register rule), the parents and silent blocks, either sentence encoder,
MiniLM reading listing names too. Decisions include the rules
(classifier/rules.apply_rules), as the classifier applies them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.classify import PARTS, part_of  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c", type=float, nargs="+", default=[3.0, 10.0, 30.0])
    args = parser.parse_args()

    import numpy as np

    from classifier.dataset import load, split
    from classifier.encoder import Encoder
    from classifier.evaluation import micro_f1
    from classifier.features import MAX_TOKENS, Featurizer, encoder_text
    from classifier.head import Head
    from classifier.multilingual import MultilingualEncoder
    from classifier.register import Register, default_register
    from classifier.training import (
        DEFAULT_SEED,
        EMBEDDED_COLUMNS,
        cross_validated,
        featurise,
        items_of,
        label_matrix,
        with_rules,
    )

    examples = split(load(), "train")
    items = items_of(examples)
    encoder, multilingual = Encoder(), MultilingualEncoder()
    rules_featurizer = Featurizer(encoder, multilingual, default_register())
    adopted, title_sig = featurise(rules_featurizer, examples)
    empty = Featurizer(encoder, multilingual, Register([]))
    no_register, _ = featurise(empty, examples)
    listings = np.array([item["kind"] == "listing" for item in items])
    names = encoder.encode([encoder_text(item) for item in items], max_length=MAX_TOKENS)
    widths = dict(Featurizer.layout())
    start = {}
    column = 0
    for block, width in Featurizer.layout():
        start[block] = slice(column, column + width)
        column += width

    def without(*blocks):
        features = adopted.copy()
        for block in blocks:
            features[:, start[block]] = 0
        return features

    minilm_names = adopted.copy()
    minilm_names[listings, start["minilm"]] = np.round(names[listings], 5)
    with_register, without_it = rules_featurizer, empty
    variants = {  # name: (features, the featurizer whose register the rules read)
        "adopted: MiniLM (documents) + USE + signals + register (features and rule) + parents + silent": (
            adopted,
            with_register,
        ),
        "the register as features only, no register rule": (adopted, without_it),
        "without the register (an empty one)": (no_register, without_it),
        "without the parents block": (without("parents"), with_register),
        "without the silent block": (without("silent"), with_register),
        "without the register, parents and silent blocks": (without("register", "parents", "silent"), without_it),
        "without USE (MiniLM reads listing names instead)": (
            np.hstack([minilm_names[:, : widths["minilm"]], without("multilingual")[:, widths["minilm"] :]]),
            with_register,
        ),
        "without MiniLM": (without("minilm"), with_register),
        "MiniLM reads listing names too": (minilm_names, with_register),
    }
    labels = label_matrix(examples)
    groups = [e.group for e in examples]
    rows = {part: [i for i, e in enumerate(examples) if part_of(e) == part] for part in PARTS}
    print(f"grouped 5-fold cross-validation on {len(examples)} training items; micro-F1 dimensions / industries")
    print("| variant | C | all | " + " | ".join(f"{part} ({len(rows[part])})" for part in PARTS) + " |")
    print("|---|---|---|" + "---|" * len(PARTS))
    for name, (features, rules) in variants.items():
        features = features.copy()
        features[:, :EMBEDDED_COLUMNS] = np.round(features[:, :EMBEDDED_COLUMNS], 5)
        for c in args.c:
            probabilities = cross_validated(features, labels, groups, c, DEFAULT_SEED)
            decisions = with_rules(rules, items, Head.decide(probabilities, title_sig))
            cells = [micro_f1(labels, decisions)] + [
                micro_f1(labels[rows[p]], [decisions[i] for i in rows[p]]) for p in PARTS
            ]
            print(f"| {name} | {c:g} | " + " | ".join(f"{d:.3f} / {n:.3f}" for d, n in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
