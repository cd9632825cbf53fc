"""The trained head: one logistic regression per label over the features, and the decision rule.

Stored as a small safetensors file (weights, biases) whose metadata names the
labels, the signals and how it was trained. Its version is a hash of the file,
so the database can tell which model tagged a row.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classifier.features import Featurizer
from classifier.labels import DIMENSIONS, INDUSTRIES, LABELS
from classifier.signals import SIGNALS

ARTEFACT = Path(__file__).resolve().parent / "model" / "head.safetensors"
THRESHOLD = 0.5


class BadArtefact(ValueError):
    """The model file is missing, unreadable, or was trained for other labels or signals."""


@dataclass
class Head:
    weights: np.ndarray  # (features, labels)
    bias: np.ndarray  # (labels,)
    info: dict = field(default_factory=dict)  # how it was trained: C, data hash, counts

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        logits = features @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))

    @staticmethod
    def decide(probabilities: np.ndarray, title_signals: np.ndarray) -> list[tuple[list[str], list[str]]]:
        """Labels per row: every label at or above the threshold, plus an industry the title names;
        at least one dimension and one industry (the likeliest) for every item. `cross_sector` is
        dropped beside a specific industry: the taxonomy uses it only when none applies."""
        results = []
        title_industry = [SIGNALS.index(label) if label in SIGNALS else None for label in INDUSTRIES]
        for row, title_row in zip(probabilities, title_signals):
            scores = dict(zip(LABELS, row))
            dimensions = [d for d in DIMENSIONS if scores[d] >= THRESHOLD] or [max(DIMENSIONS, key=scores.get)]
            industries = [
                i
                for i, signal in zip(INDUSTRIES, title_industry)
                if scores[i] >= THRESHOLD or (signal is not None and title_row[signal])
            ]
            industries = industries or [max(INDUSTRIES, key=scores.get)]
            if len(industries) > 1 and "cross_sector" in industries:
                industries.remove("cross_sector")
            results.append((dimensions, industries))
        return results

    def save(self, path: Path = ARTEFACT) -> str:
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = {
            "labels": json.dumps(list(LABELS)),
            "signals": json.dumps(list(SIGNALS)),
            "layout": json.dumps(Featurizer.layout()),
            "info": json.dumps(self.info, sort_keys=True),
        }
        path.write_bytes(_safetensors_bytes({"weights": self.weights, "bias": self.bias}, metadata))
        return version(path)

    @classmethod
    def load(cls, path: Path = ARTEFACT) -> "Head":
        from safetensors import safe_open

        if not path.exists():
            raise BadArtefact(f"{path} does not exist: run `chokepoint train-classifier`")
        try:
            with safe_open(str(path), framework="numpy") as handle:
                metadata = handle.metadata() or {}
                weights, bias = handle.get_tensor("weights"), handle.get_tensor("bias")
        except Exception as error:  # safetensors raises its own error types for a damaged file
            raise BadArtefact(f"{path} is not a readable model file: {error}") from None
        if json.loads(metadata.get("labels", "[]")) != list(LABELS):
            raise BadArtefact(f"{path} was trained for other labels: retrain with `chokepoint train-classifier`")
        if json.loads(metadata.get("signals", "[]")) != list(SIGNALS):
            raise BadArtefact(f"{path} was trained with other text signals: retrain with `chokepoint train-classifier`")
        if json.loads(metadata.get("layout", "[]")) != [list(block) for block in Featurizer.layout()]:
            raise BadArtefact(f"{path} was trained on other features: retrain with `chokepoint train-classifier`")
        return cls(weights=weights, bias=bias, info=json.loads(metadata.get("info", "{}")))


def _safetensors_bytes(tensors: dict[str, np.ndarray], metadata: dict[str, str]) -> bytes:
    """The safetensors layout written with sorted keys, so equal heads give equal bytes
    (the library's own writer orders its header differently from run to run)."""
    header: dict = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name in sorted(tensors):
        blob = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {
            "dtype": "F32",
            "shape": list(tensors[name].shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)  # the format pads the header to 8 bytes
    return len(encoded).to_bytes(8, "little") + encoded + b"".join(blobs)


def version(path: Path = ARTEFACT) -> str:
    """A short hash of the artefact's bytes: what `labels_model` records."""
    return "head-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
