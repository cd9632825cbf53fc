"""Search text: Chinese and Japanese indexed as overlapping character pairs and single characters.

SQLite's unicode61 tokenizer reads an unspaced run of Han or kana as one token, so
"镓" never matches inside "关于对镓、锗相关物项实施出口管制". Before indexing, each
such run becomes its bigrams followed by its single characters ("出口管制" →
"出口 口管 管制 出 口 管 制"); a query term becomes the phrase of its bigrams, or
the character itself when it is one character long. Latin text passes unchanged.
No dictionary is involved, so a word the segmenter does not know (镓 after 对) is
still found; bench/search_chinese.py measures this against a trigram index and
jieba segmentation.
"""

from __future__ import annotations

import re

# Han (unified, extension A, compatibility), hiragana, katakana, the iteration mark 々 and the long-vowel mark ー.
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005]+")
# Version of this segmentation: a change here changes every indexed row, so the index is rebuilt.
SEGMENTATION_VERSION = "bigram-unigram-1"


def index_text(*values: str | None) -> str:
    """The text to index for these column values (None skipped), CJK runs segmented."""
    text = "\n".join(value for value in values if value)
    return CJK_RUN.sub(_segment_run, text)


def _segment_run(match: re.Match) -> str:
    run = match.group()
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    return " " + " ".join(pairs + list(run)) + " "


def match_expression(query: str) -> str | None:
    """An FTS5 MATCH expression for what a person typed: every word must be present.

    Quotes and FTS5 operators typed by the person are read as plain text, so no input
    is a syntax error. None when the query holds nothing searchable.
    """
    terms = []
    for word in query.replace('"', " ").split():
        prefix = word.endswith("*") and len(word) > 1
        word = word.rstrip("*")
        position = 0
        for run in CJK_RUN.finditer(word):
            terms += _latin_terms(word[position : run.start()])
            terms.append(_cjk_term(run.group()))
            position = run.end()
        tail = _latin_terms(word[position:])
        if prefix and tail:
            tail[-1] += " *"
        terms += tail
    return " ".join(terms) or None


def spaced_terms(query: str) -> str:
    """What a person typed with each CJK run written as its bigrams (or its one character), space-separated.

    For Datasette's table search, which quotes each space-separated word: every pair must be present.
    """
    return CJK_RUN.sub(lambda run: " " + " ".join(_pairs(run.group())) + " ", query).strip()


def _pairs(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def _latin_terms(text: str) -> list[str]:
    # unicode61 splits on punctuation itself; a term that is only punctuation matches nothing, so drop it.
    return [f'"{text}"'] if re.search(r"\w", text) else []


def _cjk_term(run: str) -> str:
    return '"' + " ".join(_pairs(run)) + '"'


def has_cjk(text: str | None) -> bool:
    return bool(text) and CJK_RUN.search(text) is not None
