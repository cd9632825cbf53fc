"""Acceptance tests: the real recorded sources in ../shared/corpus (run by `make acceptance` in CI)."""

import pytest

from tests.kit.files import ROOT

CORPUS = ROOT.parent / "shared" / "corpus"


def pytest_collection_modifyitems(items):
    for item in items:
        if "acceptance" in str(item.fspath):
            item.add_marker(pytest.mark.acceptance)


@pytest.fixture(scope="session")
def corpus():
    if not CORPUS.is_dir():
        raise RuntimeError(f"the recorded corpus is not at {CORPUS}: acceptance tests need it")
    return CORPUS
