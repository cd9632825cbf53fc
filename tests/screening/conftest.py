"""Screening tests read time from the frozen clock the published fixtures were crawled at."""

import pytest

from tests.kit.cli import FROZEN_NOW


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Library calls read the same time as the CLI runs (`run_cli`) and `build_published` write."""
    monkeypatch.setenv("CHOKEPOINT_NOW", FROZEN_NOW)
    return FROZEN_NOW
