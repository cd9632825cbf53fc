"""Saved responses (`tests/files/<spider>/`) and edited copies of them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "tests" / "files"


def edited(
    tmp_path: Path, source: Path, old: str | bytes, new: str | bytes, *, count: int = 1, name: str | None = None
) -> Path:
    """A copy of `source` in tmp_path with `old` replaced by `new` (`count` times, -1 for all).

    Fails when `old` is not in the file: an edit that finds nothing would let a test pass without testing.
    Bytes edit the file as bytes (line ends and all); text is read and written as UTF-8.
    """
    return rewritten(
        tmp_path, source, lambda text: _replace(text, old, new, count), name=name, binary=isinstance(old, bytes)
    )


def rewritten(
    tmp_path: Path, source: Path, change: Callable[[Any], Any], *, name: str | None = None, binary: bool = False
) -> Path:
    """A copy of `source` in tmp_path with `change(text)` applied; fails when the change changed nothing."""
    original = source.read_bytes() if binary else source.read_text(encoding="utf-8")
    changed = change(original)
    assert changed != original, f"the edit of {source.name} changed nothing"
    path = tmp_path / (name or source.name)
    if binary:
        path.write_bytes(changed)
    else:
        path.write_text(changed, encoding="utf-8")
    return path


def edited_json(tmp_path: Path, source: Path, edit: Callable[[Any], Any], *, name: str | None = None) -> Path:
    """A copy of a saved JSON answer with `edit(data)` applied to the parsed data in place (what it returns is
    ignored, so `lambda data: data.pop(0)` is an edit); fails when nothing changed."""
    data = json.loads(source.read_text(encoding="utf-8"))
    before = json.dumps(data, sort_keys=True)
    edit(data)
    assert json.dumps(data, sort_keys=True) != before, f"the edit of {source.name} changed nothing"
    path = tmp_path / (name or source.name)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _replace(text, old, new, count: int):
    assert old in text, f"{old!r} is not in the file: the edit would find nothing"
    return text.replace(old, new, count)


def written(tmp_path: Path, name: str, body: str | bytes) -> Path:
    """A file of our own in tmp_path: an answer that is not an edit of a saved one (empty, a challenge page...)."""
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    return path


def copied(tmp_path: Path, directory: Path) -> Path:
    """A copy of a saved directory (a multi-file source) in tmp_path, to edit or remove files in."""
    target = tmp_path / directory.name
    shutil.copytree(directory, target)
    return target
