"""Precision, recall and F1 per label, micro and macro, on the held-out split."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from classifier.labels import DIMENSIONS, INDUSTRIES, LABELS


@dataclass
class LabelScore:
    label: str
    support: int
    precision: float
    recall: float
    f1: float


def _prf(tp: int, predicted: int, actual: int) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * tp / (predicted + actual) if predicted + actual else 0.0
    return precision, recall, f1


def predicted_matrix(decisions: list[tuple[list[str], list[str]]]) -> np.ndarray:
    return np.array([[label in dims or label in inds for label in LABELS] for dims, inds in decisions], dtype=bool)


def micro_f1(gold: np.ndarray, decisions) -> tuple[float, float]:
    """Micro-F1 over dimensions and over industries."""
    predicted = predicted_matrix(decisions)
    gold = gold.astype(bool)
    out = []
    for block in (slice(0, len(DIMENSIONS)), slice(len(DIMENSIONS), None)):
        g, p = gold[:, block], predicted[:, block]
        out.append(_prf(int((g & p).sum()), int(p.sum()), int(g.sum()))[2])
    return out[0], out[1]


def report(gold: np.ndarray, decisions) -> dict:
    """Per-label scores and micro/macro F1 per group of labels."""
    predicted = predicted_matrix(decisions)
    gold = gold.astype(bool)
    per_label = []
    for j, label in enumerate(LABELS):
        g, p = gold[:, j], predicted[:, j]
        per_label.append(LabelScore(label, int(g.sum()), *_prf(int((g & p).sum()), int(p.sum()), int(g.sum()))))
    summary = {}
    for name, group in (("dimensions", DIMENSIONS), ("industries", INDUSTRIES)):
        idx = [LABELS.index(label) for label in group]
        g, p = gold[:, idx], predicted[:, idx]
        scored = [s for s in per_label if s.label in group and s.support]
        summary[name] = {
            "micro_f1": _prf(int((g & p).sum()), int(p.sum()), int(g.sum()))[2],
            "macro_f1": float(np.mean([s.f1 for s in scored])) if scored else 0.0,
        }
    return {"per_label": per_label, "summary": summary, "items": len(gold)}


def format_report(result: dict) -> str:
    lines = [f"{'label':24} {'n':>4} {'prec':>6} {'recall':>6} {'F1':>6}"]
    for score in result["per_label"]:
        lines.append(f"{score.label:24} {score.support:4d} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f}")
    lines.append("")
    for name, values in result["summary"].items():
        lines.append(f"{name:11} micro-F1 {values['micro_f1']:.3f}  macro-F1 {values['macro_f1']:.3f}")
    lines.append(f"held-out items: {result['items']}")
    return "\n".join(lines)
