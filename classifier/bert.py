"""MiniLM's forward pass in numpy: embeddings, then N standard BERT encoder layers.

all-MiniLM-L6-v2 is a small, plain BERT (384 wide, 12 heads, GELU), so its
forward is a few dozen array operations. Written here from the safetensors
weights, it needs neither torch nor transformers: loading takes well under a
second instead of the many seconds those imports cost, and every item embeds
the same whatever batch it sits in (float32 throughout, no dynamic
quantisation). tests/test_bert.py checks it against transformers' BertModel.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

HIDDEN = 384
HEADS = 12
HEAD_DIM = HIDDEN // HEADS
LAYER_NORM_EPS = 1e-12
_MASKED = np.float32(-1e9)  # added to attention scores of padding, as BertModel does with its dtype minimum


class BadWeights(ValueError):
    """The weights file lacks a tensor MiniLM needs, or holds fewer layers than asked for."""


# Abramowitz and Stegun 7.1.26: erf(z) = 1 - t * P(t) * exp(-z^2), t = 1 / (1 + p z), z >= 0,
# error under 1.5e-7. GELU needs z = |x| / sqrt(2); the constants below fold that in, and the 1/2.
_P = 0.3275911 / math.sqrt(2)
_COEFFICIENTS = tuple(0.5 * c for c in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), in place, written as relu(x) - |x| * (1 - Phi(|x|)) to use one branch."""
    magnitude = np.abs(x)
    decay = np.square(magnitude)
    decay *= np.float32(-0.5)
    np.exp(decay, out=decay)  # exp(-x^2 / 2)
    t = magnitude * np.float32(_P)
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    poly = t * np.float32(_COEFFICIENTS[0])
    for coefficient in _COEFFICIENTS[1:]:
        poly += np.float32(coefficient)
        poly *= t
    poly *= decay
    poly *= magnitude
    np.maximum(x, np.float32(0.0), out=x)
    x -= poly
    return x


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """LayerNorm over the last axis, in place."""
    x -= x.mean(-1, keepdims=True)
    variance = np.einsum("ij,ij->i", x, x)[:, None] / np.float32(x.shape[-1])
    x *= 1 / np.sqrt(variance + np.float32(LAYER_NORM_EPS))
    x *= weight
    x += bias
    return x


class Layer:
    """One encoder layer's weights, laid out for `x @ W` (query, key and value fused)."""

    def __init__(self, tensors: dict[str, np.ndarray], prefix: str):
        def get(name: str) -> np.ndarray:
            return tensors[prefix + name]

        attention = [get(f"attention.self.{part}.weight") for part in ("query", "key", "value")]
        self.qkv = np.ascontiguousarray(np.concatenate(attention).T)
        self.qkv_bias = np.concatenate([get(f"attention.self.{part}.bias") for part in ("query", "key", "value")])
        self.out = np.ascontiguousarray(get("attention.output.dense.weight").T)
        self.out_bias = get("attention.output.dense.bias")
        self.norm1 = get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias")
        self.up = np.ascontiguousarray(get("intermediate.dense.weight").T)
        self.up_bias = get("intermediate.dense.bias")
        self.down = np.ascontiguousarray(get("output.dense.weight").T)
        self.down_bias = get("output.dense.bias")
        self.norm2 = get("output.LayerNorm.weight"), get("output.LayerNorm.bias")

    def __call__(self, x: np.ndarray, mask_bias: np.ndarray, batch: int, width: int) -> np.ndarray:
        """x: (batch * width, HIDDEN); mask_bias: (batch, 1, 1, width)."""
        qkv = x @ self.qkv
        qkv += self.qkv_bias
        qkv = qkv.reshape(batch, width, 3, HEADS, HEAD_DIM)
        query = qkv[:, :, 0].transpose(0, 2, 1, 3)
        key = qkv[:, :, 1].transpose(0, 2, 3, 1)
        value = qkv[:, :, 2].transpose(0, 2, 1, 3)
        scores = np.matmul(query, key)
        scores *= np.float32(1 / math.sqrt(HEAD_DIM))
        scores += mask_bias
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        context = np.matmul(scores, value).transpose(0, 2, 1, 3).reshape(batch * width, HIDDEN)
        attended = context @ self.out
        attended += self.out_bias
        attended += x
        x = layer_norm(attended, *self.norm1)
        hidden = x @ self.up
        hidden += self.up_bias
        out = gelu(hidden) @ self.down
        out += self.down_bias
        out += x
        return layer_norm(out, *self.norm2)


class Bert:
    """The first `layers` encoder layers of a BERT checkpoint in safetensors (no pooler)."""

    def __init__(self, weights: Path, layers: int):
        from safetensors import safe_open

        wanted = [
            "embeddings.word_embeddings.weight",
            "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight",
            "embeddings.LayerNorm.bias",
        ]
        tensors = {}
        with safe_open(str(weights), framework="numpy") as handle:
            names = set(handle.keys())
            prefix = "bert." if "bert.embeddings.word_embeddings.weight" in names else ""
            layer_names = [name[len(prefix) :] for name in names if name.startswith(f"{prefix}encoder.layer.")]
            available = len({name.split(".")[2] for name in layer_names})
            if available < layers:
                raise BadWeights(f"{weights} holds {available} encoder layers, not the {layers} asked for")
            wanted += [name for name in layer_names if int(name.split(".")[2]) < layers]
            for name in wanted:
                if prefix + name not in names:
                    raise BadWeights(f"{weights} has no tensor {name}: not a BERT checkpoint")
                tensors[name] = handle.get_tensor(prefix + name).astype(np.float32, copy=False)
        self.word = tensors["embeddings.word_embeddings.weight"]
        # Position and token-type (always type 0) embeddings are added together once.
        self.position = (
            tensors["embeddings.position_embeddings.weight"] + tensors["embeddings.token_type_embeddings.weight"][0]
        )
        self.norm = tensors["embeddings.LayerNorm.weight"], tensors["embeddings.LayerNorm.bias"]
        self.layers = [Layer(tensors, f"encoder.layer.{i}.") for i in range(layers)]

    def __call__(self, input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden state, (batch, width, HIDDEN), for int token ids and a 0/1 mask of equal shape."""
        batch, width = input_ids.shape
        x = self.word[input_ids.reshape(-1)]
        x += np.tile(self.position[:width], (batch, 1))
        x = layer_norm(x, *self.norm)
        mask_bias = np.where(mask[:, None, None, :] > 0, np.float32(0), _MASKED).astype(np.float32)
        for layer in self.layers:
            x = layer(x, mask_bias, batch, width)
        return x.reshape(batch, width, HIDDEN)
