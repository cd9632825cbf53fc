"""The register of listed parties and parent groups: what they make, with the public source that says so.

`data/register.jsonl` holds one party a line (AVIC, Rostec, Gazprom, Huawei,
the IRGC...): the names and aliases it is listed under, its industries by
the taxonomy and the source. The classifier reads it as a signal: a listing
whose name, alias or "Linked To" parent names a registered party gets that
party's industries as features beside the text's own evidence. The register
was written from training groups and outside sources only (classifier/data/README.md),
so accuracy on parties it holds is reported apart from the rest (bench/classify.py).

Names match as whole words, case and punctuation aside ("AVIC" finds "AVIC
Chengdu Aircraft", not "Avicenna"); a name in Chinese characters matches
anywhere in the text, as Chinese has no spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from classifier.jsonlines import read_records
from classifier.labels import INDUSTRIES

REGISTER_FILE = Path(__file__).resolve().parent / "data" / "register.jsonl"
FIELDS = ("id", "name", "names", "industries", "source", "basis")
_NOT_WORD = re.compile(r"[\W_]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


class BadRegister(ValueError):
    """A line of the register is unreadable, incomplete, or names an unknown industry."""


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    names: tuple[str, ...]
    industries: tuple[str, ...]
    source: str  # the public source the entry comes from (a URL)
    basis: str  # "outside", or the training group it was written from


def words(text: str) -> list[str]:
    """Lower-cased words of `text`, punctuation dropped: the form names are matched in."""
    return _NOT_WORD.sub(" ", text.casefold()).split()


class Register:
    def __init__(self, parties: Iterable[Party]):
        self.parties = tuple(parties)
        self._by_first_word: dict[str, list[tuple[tuple[str, ...], Party]]] = {}
        self._han: list[tuple[str, Party]] = []
        for party in self.parties:
            for name in party.names:
                if _HAN.search(name):
                    self._han.append((name, party))
                    continue
                tokens = tuple(words(name))
                if tokens:
                    self._by_first_word.setdefault(tokens[0], []).append((tokens, party))

    @classmethod
    def load(cls, path: Path = REGISTER_FILE) -> "Register":
        parties, seen = [], set()
        for where, record in read_records(path, BadRegister):
            missing = [key for key in FIELDS if not record.get(key)]
            if missing:
                raise BadRegister(f"{where}: missing {', '.join(missing)}")
            unknown = [label for label in record["industries"] if label not in INDUSTRIES]
            if unknown:
                raise BadRegister(f"{where}: unknown industry {', '.join(unknown)}")
            if not record["source"].startswith("https://"):
                raise BadRegister(f"{where}: the source must be a public https:// address")
            if record["id"] in seen:
                raise BadRegister(f"{where}: id {record['id']} appears twice")
            seen.add(record["id"])
            parties.append(
                Party(
                    record["id"],
                    record["name"],
                    tuple(record["names"]),
                    tuple(record["industries"]),
                    record["source"],
                    record["basis"],
                )
            )
        return cls(parties)

    def match(self, texts: Iterable[str]) -> list[Party]:
        """The registered parties any of `texts` names, in register order."""
        found: set[str] = set()
        for text in texts:
            if not text:
                continue
            tokens = words(text)
            for index, token in enumerate(tokens):
                for name, party in self._by_first_word.get(token, ()):
                    if tuple(tokens[index : index + len(name)]) == name:
                        found.add(party.id)
            for name, party in self._han:
                if name in text:
                    found.add(party.id)
        return [party for party in self.parties if party.id in found]

    def industries(self, texts: Iterable[str]) -> set[str]:
        return {label for party in self.match(texts) for label in party.industries}


@lru_cache(maxsize=1)
def default_register() -> Register:
    return Register.load()
