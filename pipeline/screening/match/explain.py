"""One line a compliance officer can read: which words agreed, which did not, and why it matters."""

from __future__ import annotations

from pipeline.screening.match.normalise import LEGAL, Token
from pipeline.screening.match.score import Alignment


def explain(
    written: tuple[Token, ...], listed: tuple[Token, ...], alignment: Alignment, country_note: str | None = None
) -> str:
    agreed, near, legal = [], [], []
    for pair in alignment.pairs:
        left = " ".join(written[i].word for i in pair.written)
        right = " ".join(listed[j].word for j in pair.listed)
        if written[pair.written[0]].kind == LEGAL:
            same = written[pair.written[0]].text == listed[pair.listed[0]].text
            legal.append(f"{left} = {right}" if same else f"{left} ~ {right} (other legal form)")
        elif pair.cut:
            near.append(f"{left} ~ {right} (cut off at the end of the name field)")
        elif pair.similarity >= 1.0 and len(pair.written) == len(pair.listed):
            agreed.append(left if left == right else f"{left} = {right}")
        else:
            near.append(f"{left} ~ {right} ({pair.similarity:.2f})")
    parts = []
    if agreed:
        parts.append("agree: " + ", ".join(agreed))
    if near:
        parts.append("close: " + ", ".join(near))
    if legal:
        parts.append("legal form (down-weighted): " + ", ".join(legal))
    if alignment.written_only:
        parts.append("only in query: " + ", ".join(written[i].word for i in alignment.written_only))
    if alignment.listed_only:
        parts.append("only in listing: " + ", ".join(listed[j].word for j in alignment.listed_only))
    if alignment.numbers_differ:
        parts.append("numbers differ")
    if alignment.generic_only:
        parts.append("only generic words agree")
    if country_note:
        parts.append(country_note)
    return "; ".join(parts)
