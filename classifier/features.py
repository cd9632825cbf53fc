"""Turning `{"title", "text"}` into the head's input: a transformer embedding plus explicit signals."""

from __future__ import annotations

import numpy as np

from classifier.signals import SIGNALS, signal_matrix

MAX_TOKENS = 128  # title + abstract is ~110 tokens; the rare longer text keeps its first 128
EMBEDDING_DECIMALS = 5  # training rounds embeddings so low-bit noise between runs cannot change the head


def joined(title: str, text: str) -> str:
    return f"{title.strip()}. {text.strip()}" if text.strip() else title.strip()


def feature_matrix(encoder, items: list[dict[str, str]], batch_size: int = 32) -> np.ndarray:
    texts = [joined(item["title"], item["text"]) for item in items]
    embeddings = encoder.encode(texts, max_length=MAX_TOKENS, batch_size=batch_size)
    return np.hstack([embeddings, signal_matrix(texts)])


def title_signals(items: list[dict[str, str]]) -> np.ndarray:
    """Signals of the title alone: an industry named in a title is nearly always the item's industry."""
    return signal_matrix([item["title"] for item in items])


def feature_count(embedding_dim: int) -> int:
    return embedding_dim + len(SIGNALS)
