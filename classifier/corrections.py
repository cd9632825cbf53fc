"""Corrections people made to tags, as extra training input for `train-classifier --corrections FILE`.

One JSON object per line, what the classifier read and the labels a person gave it:

    {"id": "csl:SDN:12345", "title": "...", "text": "...", "kind": "listing", "aliases": [...],
     "dimensions": ["governance"], "industries": ["energy"], "note": "refinery, says the FR notice"}

`kind`, `aliases` and `note` are optional. A correction whose text is a
training item's replaces that item's labels (a person's word beats ours);
any other joins the training split as an item of its own group. One whose
text is a held-out item's is left out and counted: the held-out split must
stay unseen by training, whoever labelled it. A bad line stops training
with one message naming the file and line, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from classifier.dataset import BadDataset, Example
from classifier.jsonlines import read_records
from classifier.labels import UnknownLabel, check_labels

REQUIRED = ("id", "title", "text", "dimensions", "industries")


@dataclass
class CorrectionCounts:
    replaced: int = 0  # training items whose labels a correction replaced
    added: int = 0  # corrections that became training items of their own
    held_out: int = 0  # corrections left out: their text is a held-out item's

    def as_dict(self) -> dict[str, int]:
        return {"replaced": self.replaced, "added": self.added, "held_out": self.held_out}


def read_corrections(path: Path) -> list[dict]:
    """The checked correction records of `path`, in order; BadDataset names the first bad line."""
    records = []
    for where, record in read_records(path, BadDataset):
        missing = [key for key in REQUIRED if key not in record]
        if missing:
            raise BadDataset(f"{where}: missing {', '.join(missing)}")
        if not isinstance(record["title"], str) or not isinstance(record["text"], str):
            raise BadDataset(f"{where}: title and text must be strings")
        try:
            check_labels(record["dimensions"], record["industries"], where)
        except UnknownLabel as error:
            raise BadDataset(str(error)) from None
        records.append(record)
    return records


def _read_key(title: str, text: str, kind: str | None) -> tuple[str, str, bool]:
    return " ".join(title.split()), " ".join(text.split()), kind == "listing"


def apply_corrections(examples: list[Example], path: Path) -> tuple[list[Example], CorrectionCounts]:
    """`examples` with the corrections of `path` applied (new ones appended, in file order)."""
    counts = CorrectionCounts()
    by_text = {_read_key(e.title, e.text, e.kind): i for i, e in enumerate(examples)}
    out = list(examples)
    for record in read_corrections(path):
        kind = record.get("kind") or "document"
        dimensions, industries = tuple(record["dimensions"]), tuple(record["industries"])
        known = by_text.get(_read_key(record["title"], record["text"], kind))
        if known is not None and out[known].split == "test":
            counts.held_out += 1
        elif known is not None:
            out[known] = replace(out[known], dimensions=dimensions, industries=industries)
            counts.replaced += 1
        else:
            by_text[_read_key(record["title"], record["text"], kind)] = len(out)
            out.append(
                Example(
                    id=f"correction:{record['id']}",
                    title=record["title"],
                    text=record["text"],
                    dimensions=dimensions,
                    industries=industries,
                    group=f"correction:{record['id']}",
                    split="train",
                    kind=kind,
                    aliases=tuple(record.get("aliases") or ()),
                )
            )
            counts.added += 1
    return out, counts
