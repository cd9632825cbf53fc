"""Every spider has the same shape: declared facts, `parse`, and one `_build_item` that makes its items."""

import ast
import inspect

import pytest

from pipeline.crawl import engine
from spiders.kit.base import SourceSpider
from spiders.kit.licences import Licence

FACTS = ("name", "publisher", "jurisdiction", "license", "kind", "live_urls", "expected_items")
# The methods that may construct an item. MOFCOM yields two kinds (announcements and the parties they list).
BUILDERS = {"_build_item", "_build_listing"}


@pytest.fixture(scope="module", params=engine.spider_names())
def spider_class(request):
    return engine.spider_class(request.param)


def test_every_spider_declares_its_facts_and_builds_items_in_one_place(spider_class):
    assert issubclass(spider_class, SourceSpider)
    for fact in FACTS:
        assert getattr(spider_class, fact, None) not in (None, ""), f"{spider_class.name} does not declare {fact}"
    assert isinstance(spider_class.license, Licence) and spider_class.license.text
    assert callable(getattr(spider_class, "_build_item", None)), f"{spider_class.name} has no _build_item"
    for cls in spider_class.__mro__:
        if not cls.__module__.startswith("spiders.") or cls.__module__.startswith("spiders.kit."):
            continue
        tree = ast.parse(inspect.getsource(inspect.getmodule(cls)))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or function.name in BUILDERS:
                continue
            for call in ast.walk(function):
                if isinstance(call, ast.Call) and getattr(call.func, "id", None) in ("Listing", "Document"):
                    raise AssertionError(f"{cls.__module__}.{function.name} makes an item outside _build_item")
