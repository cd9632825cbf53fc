"""Fixtures every spider test module shares, read from the module's own names.

A module names its spider class (`SPIDER`), what `--url` gives it (`REPLAY`: the saved
file, or the directory a multi-file source is replayed from) and the saved response
its tests mostly read (`SAMPLE`).
"""

import pytest

from spiders.kit.offline import parse_items, response_for


@pytest.fixture
def spider(request):
    """The module's spider, replaying the module's saved files."""
    return request.module.SPIDER(url=request.module.REPLAY.as_uri())


@pytest.fixture
def items(spider, request):
    """Every item the spider yields for the module's SAMPLE."""
    return parse_items(spider, response_for(request.module.SAMPLE))
