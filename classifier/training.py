"""Training the head: reproducible from the dataset alone.

The regularisation strength is chosen by 5-fold cross-validation over groups
of the training split (never the held-out split); the folds come from a hash
of each group, and the logistic regressions are deterministic, so the same
data and seed give the same artefact byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from classifier.dataset import DATA_FILE, Example, load, split
from classifier.evaluation import micro_f1
from classifier.features import EMBEDDING_DECIMALS, LISTING_TOKENS, MAX_TOKENS, feature_matrix, title_signals
from classifier.head import ARTEFACT, Head
from classifier.labels import LABELS

C_GRID = (3.0, 10.0, 30.0)
FOLDS = 5
DEFAULT_SEED = 13


def label_matrix(examples: list[Example]) -> np.ndarray:
    return np.array([[label in e.labels for label in LABELS] for e in examples], dtype=np.int8)


def fit_head(features: np.ndarray, labels: np.ndarray, c: float, seed: int) -> Head:
    from sklearn.linear_model import LogisticRegression

    weights = np.zeros((features.shape[1], len(LABELS)), dtype=np.float64)
    bias = np.zeros(len(LABELS), dtype=np.float64)
    for j in range(len(LABELS)):
        column = labels[:, j]
        if column.min() == column.max():  # a label with no positives (tiny training sets): a constant answer
            bias[j] = 30.0 if column[0] else -30.0
            continue
        model = LogisticRegression(C=c, max_iter=5000, random_state=seed)
        model.fit(features, column)
        weights[:, j], bias[j] = model.coef_[0], model.intercept_[0]
    return Head(weights=weights.astype(np.float32), bias=bias.astype(np.float32), info={"C": c, "seed": seed})


def _fold(group: str, seed: int) -> int:
    return int(hashlib.sha1(f"{seed}:{group}".encode()).hexdigest(), 16) % FOLDS


def _cv_score(features, title_sig, labels, groups, c, seed) -> float:
    folds = np.array([_fold(g, seed) for g in groups])
    scores = []
    for fold in range(FOLDS):
        train, held = folds != fold, folds == fold
        if not held.any() or not train.any():
            continue
        head = fit_head(features[train], labels[train], c, seed)
        decisions = head.decide(head.probabilities(features[held]), title_sig[held])
        dims, inds = micro_f1(labels[held], decisions)
        scores.append((dims + inds) / 2)
    return float(np.mean(scores))


def featurise(encoder, examples: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    items = [{"title": e.title, "text": e.text, "kind": e.kind} for e in examples]
    features = feature_matrix(encoder, items)
    features[:, :encoder_dim(features)] = np.round(features[:, :encoder_dim(features)], EMBEDDING_DECIMALS)
    return features, title_signals(items)


def encoder_dim(features: np.ndarray) -> int:
    from classifier.signals import SIGNALS

    return features.shape[1] - len(SIGNALS)


def train(encoder, data: Path = DATA_FILE, out: Path = ARTEFACT, seed: int = DEFAULT_SEED,
          progress: Callable[[str], None] = lambda message: None) -> tuple[Head, str]:
    """Fit the head on the training split of `data`, write it to `out`; (head, version)."""
    examples = split(load(data), "train")
    progress(f"encoding {len(examples)} training items")
    features, title_sig = featurise(encoder, examples)
    labels = label_matrix(examples)
    groups = [e.group for e in examples]
    scores = {}
    for c in C_GRID:
        scores[c] = _cv_score(features, title_sig, labels, groups, c, seed)
        progress(f"C={c:g}: cross-validated micro-F1 {scores[c]:.3f}")
    best = max(C_GRID, key=lambda c: (scores[c], -c))
    head = fit_head(features, labels, best, seed)
    head.info.update(train_items=len(examples), cv_micro_f1=round(scores[best], 4), encoder_layers=encoder.layers,
                     max_tokens=MAX_TOKENS, listing_tokens=LISTING_TOKENS,
                     data_sha1=hashlib.sha1(data.read_bytes()).hexdigest())
    return head, head.save(out)
