"""The labelled dataset in classifier/data/: one JSON object per line, with its split."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from classifier.jsonlines import read_records
from classifier.labels import check_labels

DATA_FILE = Path(__file__).resolve().parent / "data" / "labelled.jsonl"
# A group is held out when sha1("<salt>:<group>") % 100 < HELD_OUT_PERCENT (classifier/data/README.md):
# the salt stays fixed, so items added later never move existing groups between splits.
SPLIT_SALT = 56
HELD_OUT_PERCENT = 25
REQUIRED = ("id", "title", "text", "jurisdiction", "date", "source", "dimensions", "industries", "group", "split")


class BadDataset(ValueError):
    """A line of the labelled dataset is unreadable or incomplete."""


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    text: str
    dimensions: tuple[str, ...]
    industries: tuple[str, ...]
    group: str  # items about the same measure or party share a group and a split
    split: str  # "train" or "test"
    kind: str = "measure"  # measure, document or listing
    jurisdiction: str = ""
    aliases: tuple[str, ...] = ()  # a listing's other names, as the list gives them
    language: str = "en"  # "zh" for the Chinese-language measures
    sample: str = ""  # "csl-2022-05-random" for the random sample of list entries (classifier/data/README.md)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.dimensions + self.industries


def load(path: Path = DATA_FILE) -> list[Example]:
    examples = []
    for where, record in read_records(path, BadDataset):
        missing = [key for key in REQUIRED if key not in record]
        if missing:
            raise BadDataset(f"{where}: missing {', '.join(missing)}")
        if record["split"] not in ("train", "test"):
            raise BadDataset(f"{where}: split must be train or test, not {record['split']!r}")
        check_labels(record["dimensions"], record["industries"], where)
        examples.append(example(record))
    leaked = {e.group for e in examples if e.split == "train"} & {e.group for e in examples if e.split == "test"}
    if leaked:
        raise BadDataset(f"{path.name}: group(s) in both splits: {', '.join(sorted(leaked))}")
    return examples


def example(record: dict) -> Example:
    """An Example from a checked record."""
    return Example(
        id=record["id"],
        title=record["title"],
        text=record["text"],
        dimensions=tuple(record["dimensions"]),
        industries=tuple(record["industries"]),
        group=record["group"],
        split=record["split"],
        kind=record.get("kind", "measure"),
        jurisdiction=record["jurisdiction"],
        aliases=tuple(record.get("aliases") or ()),
        language=record.get("language", "en"),
        sample=record.get("sample", ""),
    )


def split_for(group: str) -> str:
    """The split a group belongs to, "train" or "test", by the dataset's fixed hash rule."""
    digest = int(hashlib.sha1(f"{SPLIT_SALT}:{group}".encode()).hexdigest(), 16)
    return "test" if digest % 100 < HELD_OUT_PERCENT else "train"


def split(examples: list[Example], name: str) -> list[Example]:
    return [e for e in examples if e.split == name]
