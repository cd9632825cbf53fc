"""Checks on what spiders yield, and on how they fail."""

from __future__ import annotations

from contextlib import contextmanager

import pytest


def by_name(items, name: str, list_code: str | None = None):
    """The first item of this name (on this list), failing when there is none."""
    found = [item for item in items if item.name == name and (list_code is None or item.list_code == list_code)]
    assert found, f"{name} not parsed"
    return found[0]


@contextmanager
def fails_by_name(spider, error: type[Exception], match: str | None = None):
    """The block must raise `error` (matching `match`), in one line that starts with the spider's name."""
    with pytest.raises(error, match=match) as raised:
        yield raised
    assert str(raised.value).startswith(f"{spider.name}: ")
