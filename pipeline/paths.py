"""Default database locations (kept apart so the CLI can name them without importing anything heavy)."""

from pathlib import Path

DEFAULT_DB = Path("data/chokepoint.db")
DEFAULT_PRIVATE_DB = Path("data/private.db")
DEMO_DB = Path("data/demo/chokepoint.db")
DEMO_PRIVATE_DB = Path("data/demo/private.db")
