"""Turning an item into the head's input: two sentence embeddings, text signals, and what is known of a listed party.

An item is `{"title", "text"}`, with `"kind": "listing"` and optionally
`"aliases"` for a screening-list entry (classifier/listing.py). The blocks,
in order (`Featurizer.layout`):

- `minilm`: MiniLM's embedding of a document's title and the start of its text (48 tokens); zeros for a
  listing, whose name USE reads as well at a third of the cost (cross-validated: docs/benchmarks.md);
- `multilingual`: USE multilingual's embedding of the same text, or of a listing's name; it reads Chinese
  (classifier/multilingual.py);
- `signals`: the regular-expression signals of the whole text, and of a listing's aliases (classifier/signals.py);
- `register`: the industries the register gives the party a listing names: its name, aliases and position;
- `parents`: the industries of its "Linked To" parents (register, or words of the parent's name), kept only
  when the listing says nothing of its own business: a front company inherits, a shipyard does not;
- `silent`: the instrument signals again, for a listing that says nothing of its business, plus a flag: so
  the head can learn what a list or programme alone implies (a WMD-proliferation designation, a military list).

Every choice here was made by cross-validation on the training split (docs/benchmarks.md).
"""

from __future__ import annotations

import re

import numpy as np

from classifier.encoder import EMBEDDING_DIM
from classifier.labels import INDUSTRIES
from classifier.listing import linked_to, own_names, without_parents
from classifier.multilingual import USE_DIM
from classifier.signals import SIGNALS, signal_matrix

# MiniLM reads the first 48 tokens of a document or measure (its title and the start of its abstract):
# longer windows scored no better and cost two to three times as much (docs/benchmarks.md). The list,
# programmes and remarks of a listing reach the head through the text signals, which read everything.
MAX_TOKENS = 48
EMBEDDING_DECIMALS = 5  # training rounds embeddings so low-bit noise between runs cannot change the head

INDUSTRY_SIGNALS = tuple(label for label in INDUSTRIES if label in SIGNALS)
INSTRUMENT_SIGNALS = tuple(name for name in SIGNALS if name not in INDUSTRIES)
_BANK = re.compile(r"bank\b|\bbanc[ao]\b")


def is_listing(item: dict) -> bool:
    return item.get("kind") == "listing"


def joined(title: str, text: str) -> str:
    return f"{title.strip()}. {text.strip()}" if text.strip() else title.strip()


def encoder_text(item: dict) -> str:
    """What the sentence encoders read: a listing's name, or a document's title and text."""
    if is_listing(item):
        return item["title"].strip() or item["text"].strip()
    return joined(item["title"], item["text"])


def signal_text(item: dict) -> str:
    """What the signals read: title and text, and a listing's aliases."""
    aliases = "; ".join(item.get("aliases") or ()) if is_listing(item) else ""
    return joined(item["title"], item["text"]) + (f". Also known as: {aliases}" if aliases else "")


def industry_vector(labels: set[str]) -> np.ndarray:
    return np.array([label in labels for label in INDUSTRIES], dtype=np.float32)


def industries_named(texts: list[str]) -> set[str]:
    """Industries whose signal words occur in `texts` (a parent's name), and cross_sector for a bank."""
    found = set()
    for text, row in zip(texts, signal_matrix(texts, only=INDUSTRY_SIGNALS)):
        found |= {label for label in INDUSTRY_SIGNALS if row[SIGNALS.index(label)]}
        if _BANK.search(text.lower()):
            found.add("cross_sector")
    return found


class Featurizer:
    def __init__(self, encoder, multilingual, register):
        self.encoder = encoder  # MiniLM (classifier/encoder.py)
        self.multilingual = multilingual  # USE multilingual (classifier/multilingual.py)
        self.register = register  # classifier/register.py

    @staticmethod
    def layout() -> list[tuple[str, int]]:
        """(block, width) in column order: stored in the head, checked when it loads."""
        return [
            ("minilm", EMBEDDING_DIM),
            ("multilingual", USE_DIM),
            ("signals", len(SIGNALS)),
            ("register", len(INDUSTRIES)),
            ("parents", len(INDUSTRIES)),
            ("silent", len(INSTRUMENT_SIGNALS) + 1),
        ]

    def matrix(self, items: list[dict]) -> np.ndarray:
        """One row of features per item, in order."""
        minilm = np.zeros((len(items), EMBEDDING_DIM), dtype=np.float32)
        documents = [i for i, item in enumerate(items) if not is_listing(item)]
        if documents:
            minilm[documents] = self.encoder.encode([encoder_text(items[i]) for i in documents], max_length=MAX_TOKENS)
        multilingual = self.multilingual.encode([encoder_text(item) for item in items])
        signals = signal_matrix([signal_text(item) for item in items])
        party = np.zeros((len(items), 2 * len(INDUSTRIES) + len(INSTRUMENT_SIGNALS) + 1), dtype=np.float32)
        instrument_columns = [SIGNALS.index(name) for name in INSTRUMENT_SIGNALS]
        for row, item in enumerate(items):
            if is_listing(item):
                party[row] = self._party(item, signals[row, instrument_columns])
        return np.hstack([minilm, multilingual, signals, party])

    def _party(self, item: dict, instrument_signals: np.ndarray) -> np.ndarray:
        """The register, parents and silent blocks of one listing."""
        registered, parents = self._known(item)
        inherited = (self.register.industries(parents) | industries_named(parents)) if parents else set()
        silent = not registered and parents is not None
        silent_block = (
            np.append(instrument_signals, 1.0) if silent else np.zeros(len(instrument_signals) + 1, np.float32)
        )
        return np.concatenate([industry_vector(registered), industry_vector(inherited), silent_block])

    def _known(self, item: dict) -> tuple[set[str], list[str] | None]:
        """(the register's industries for the party's own names; its "Linked To" parents when the listing says
        nothing of its own business, else None)."""
        names = own_names(item)
        registered = self.register.industries(names)
        if registered or industries_named([joined(item["title"], without_parents(item["text"])), *names[1:]]):
            return registered, None
        return registered, linked_to(item["text"])

    def registered(self, item: dict) -> set[str]:
        """What the register says a listing's party makes: its own entry, or, for a party that says nothing of its
        business, its "Linked To" parents' entries. Empty for a document or an unknown party."""
        if not is_listing(item):
            return set()
        registered, parents = self._known(item)
        return registered or (self.register.industries(parents) if parents else set())


def title_signals(items: list[dict[str, str]]) -> np.ndarray:
    """Industry signals of the title alone: an industry named in a title is nearly always the item's industry."""
    return signal_matrix([item["title"] for item in items], only=INDUSTRY_SIGNALS)
