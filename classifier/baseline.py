"""The zero-shot yardstick: cosine similarity between item and label-description embeddings.

No training: an item gets each label whose description is within MARGIN of its
best-matching label in that group. Kept to show what the trained head adds; run
it on the full six-layer encoder and 128 tokens, as MiniLM is meant to be used.
"""

from __future__ import annotations

from classifier.features import joined
from classifier.labels import DESCRIPTIONS, DIMENSIONS, INDUSTRIES

MARGIN = 0.05


def zero_shot(encoder, items: list[dict[str, str]], max_length: int = 128) -> list[tuple[list[str], list[str]]]:
    texts = [joined(item["title"], item["text"]) for item in items]
    embeddings = encoder.encode(texts, max_length=max_length)
    decisions = []
    label_vectors = {
        group: encoder.encode([DESCRIPTIONS[label] for label in group]) for group in (DIMENSIONS, INDUSTRIES)
    }
    sims = {group: embeddings @ vectors.T for group, vectors in label_vectors.items()}
    for row in range(len(items)):
        chosen = []
        for group in (DIMENSIONS, INDUSTRIES):
            similarity = sims[group][row]
            chosen.append([label for label, s in zip(group, similarity) if s >= similarity.max() - MARGIN])
        decisions.append((chosen[0], chosen[1]))
    return decisions
