"""Training the head: reproducible from the dataset (and any corrections) alone.

The regularisation strength is chosen by 5-fold cross-validation over groups
of the training split (never the held-out split); the folds come from a hash
of each group, and the logistic regressions are deterministic, so the same
data and seed give the same artefact byte for byte.

Corrections people made to tags (JSON lines, classifier/corrections.py) join
the training split: a correction of a training item replaces its labels, any
other is a new training item. One whose text is a held-out item's is left
out and counted, so the held-out split stays unseen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from classifier.corrections import apply_corrections
from classifier.dataset import DATA_FILE, Example, load, split
from classifier.evaluation import micro_f1
from classifier.features import EMBEDDING_DECIMALS, MAX_TOKENS, title_signals
from classifier.head import ARTEFACT, Head
from classifier.labels import LABELS
from classifier.rules import apply_rules

C_GRID = (3.0, 10.0, 30.0)
FOLDS = 5
DEFAULT_SEED = 13
EMBEDDED_COLUMNS = 384 + 512  # MiniLM and USE: rounded, so low-bit noise between runs cannot change the head


def label_matrix(examples: list[Example]) -> np.ndarray:
    return np.array([[label in e.labels for label in LABELS] for e in examples], dtype=np.int8)


def fit_head(features: np.ndarray, labels: np.ndarray, c: float, seed: int) -> Head:
    """One logistic regression per label. BLAS runs single-threaded: on these small matrices OpenBLAS's
    threads only wait on each other (70 times slower on a busy 2-core machine), and one thread gives the
    same bytes on any machine."""
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    weights = np.zeros((features.shape[1], len(LABELS)), dtype=np.float64)
    bias = np.zeros(len(LABELS), dtype=np.float64)
    for j in range(len(LABELS)):
        column = labels[:, j]
        if column.min() == column.max():  # a label with no positives (tiny training sets): a constant answer
            bias[j] = 30.0 if column[0] else -30.0
            continue
        model = LogisticRegression(C=c, max_iter=5000, random_state=seed)
        with threadpool_limits(1, user_api="blas"):
            model.fit(features, column)
        weights[:, j], bias[j] = model.coef_[0], model.intercept_[0]
    return Head(weights=weights.astype(np.float32), bias=bias.astype(np.float32), info={"C": c, "seed": seed})


def fold_of(group: str, seed: int) -> int:
    return int(hashlib.sha1(f"{seed}:{group}".encode()).hexdigest(), 16) % FOLDS


def cross_validated(features, labels, groups, c, seed) -> np.ndarray:
    """Each item's probabilities from the head fitted on the other folds."""
    folds = np.array([fold_of(g, seed) for g in groups])
    probabilities = np.zeros(labels.shape, dtype=np.float32)
    for fold in range(FOLDS):
        train, held = folds != fold, folds == fold
        if held.any() and train.any():
            probabilities[held] = fit_head(features[train], labels[train], c, seed).probabilities(features[held])
    return probabilities


def with_rules(
    featurizer, items: list[dict], decisions: list[tuple[list[str], list[str]]]
) -> list[tuple[list[str], list[str]]]:
    """The head's decisions with the rules applied, as the classifier applies them."""
    return [apply_rules(item, dims, inds, featurizer.registered(item)) for item, (dims, inds) in zip(items, decisions)]


def _cv_score(featurizer, items, features, title_sig, labels, groups, c, seed) -> float:
    probabilities = cross_validated(features, labels, groups, c, seed)
    dims, inds = micro_f1(labels, with_rules(featurizer, items, Head.decide(probabilities, title_sig)))
    return (dims + inds) / 2


def items_of(examples: list[Example]) -> list[dict]:
    return [{"title": e.title, "text": e.text, "kind": e.kind, "aliases": list(e.aliases)} for e in examples]


def featurise(featurizer, examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    items = items_of(examples)
    features = featurizer.matrix(items)
    features[:, :EMBEDDED_COLUMNS] = np.round(features[:, :EMBEDDED_COLUMNS], EMBEDDING_DECIMALS)
    return features, title_signals(items)


def train(
    featurizer,
    data: Path = DATA_FILE,
    out: Path = ARTEFACT,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] = lambda message: None,
    corrections: Path | None = None,
) -> tuple[Head, str]:
    """Fit the head on the training split of `data` (and `corrections`), write it to `out`; (head, version)."""
    examples = load(data)
    info = {}
    if corrections is not None:
        examples, counts = apply_corrections(examples, corrections)
        progress(
            f"corrections: {counts.replaced} replaced labels, {counts.added} added, "
            f"{counts.held_out} left out (their text is held out)"
        )
        info.update(corrections=counts.as_dict(), corrections_sha1=hashlib.sha1(corrections.read_bytes()).hexdigest())
    examples = split(examples, "train")
    progress(f"encoding {len(examples)} training items")
    features, title_sig = featurise(featurizer, examples)
    labels = label_matrix(examples)
    groups = [e.group for e in examples]
    scores = {}
    for c in C_GRID:
        scores[c] = _cv_score(featurizer, items_of(examples), features, title_sig, labels, groups, c, seed)
        progress(f"C={c:g}: cross-validated micro-F1 {scores[c]:.3f}")
    best = max(C_GRID, key=lambda c: (scores[c], -c))
    head = fit_head(features, labels, best, seed)
    head.info.update(
        info,
        train_items=len(examples),
        cv_micro_f1=round(scores[best], 4),
        encoder_layers=featurizer.encoder.layers,
        max_tokens=MAX_TOKENS,
        data_sha1=hashlib.sha1(data.read_bytes()).hexdigest(),
    )
    return head, head.save(out)
