"""Turning `{"title", "text"}` into the head's input: a transformer embedding plus explicit signals."""

from __future__ import annotations

import numpy as np

from classifier.encoder import EMBEDDING_DIM
from classifier.labels import INDUSTRIES
from classifier.signals import SIGNALS, signal_matrix

# The transformer reads the first 48 tokens of a document or measure (its title and the start of
# its abstract) and only the name of a screening-list entry (16 tokens at most): the list, programmes
# and remarks reach the head through the text signals, which read everything. Longer windows scored
# no better and cost two to three times as much; the name alone cross-validates as well as the name
# with the list's name after it, at about half the tokens (docs/benchmarks.md).
MAX_TOKENS = 48
LISTING_TOKENS = 16
EMBEDDING_DECIMALS = 5  # training rounds embeddings so low-bit noise between runs cannot change the head


def token_budget(item: dict) -> int:
    """An item with "kind": "listing" is a screening-list entry; anything else reads as a document."""
    return LISTING_TOKENS if item.get("kind") == "listing" else MAX_TOKENS


def joined(title: str, text: str) -> str:
    return f"{title.strip()}. {text.strip()}" if text.strip() else title.strip()


def encoder_text(item: dict) -> str:
    """What the transformer reads: a listing's name, or a document's title and text."""
    if item.get("kind") == "listing":
        return item["title"].strip() or item["text"].strip()
    return joined(item["title"], item["text"])


def feature_matrix(encoder, items: list[dict[str, str]]) -> np.ndarray:
    """Embedding and signals per item, in order; each kind of item encoded with its own token budget."""
    embeddings = np.zeros((len(items), EMBEDDING_DIM), dtype=np.float32)
    for budget in sorted({token_budget(item) for item in items}):
        rows = [i for i, item in enumerate(items) if token_budget(item) == budget]
        embeddings[rows] = encoder.encode([encoder_text(items[i]) for i in rows], max_length=budget)
    return np.hstack([embeddings, signal_matrix([joined(item["title"], item["text"]) for item in items])])


TITLE_SIGNALS = tuple(label for label in INDUSTRIES if label in SIGNALS)


def title_signals(items: list[dict[str, str]]) -> np.ndarray:
    """Industry signals of the title alone: an industry named in a title is nearly always the item's industry."""
    return signal_matrix([item["title"] for item in items], only=TITLE_SIGNALS)
