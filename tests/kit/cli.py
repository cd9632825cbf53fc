"""The installed `chokepoint` command, run in its own process with a frozen clock."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHOKEPOINT = Path(sys.executable).parent / "chokepoint"
FROZEN_NOW = "2026-11-28T12:00:00Z"


def run_cli(
    *args: str, now: str = FROZEN_NOW, check: bool = False, input: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run `chokepoint ARGS` in its own process (Scrapy's reactor runs once per process)."""
    environment = {**os.environ, "CHOKEPOINT_NOW": now, **(env or {})}
    result = subprocess.run(
        [str(CHOKEPOINT), *args], capture_output=True, text=True, env=environment, input=input, timeout=300
    )
    if check and result.returncode != 0:
        raise AssertionError(f"chokepoint {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result
