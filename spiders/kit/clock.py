"""One place that reads the time, so tests and demos can freeze it (CHOKEPOINT_NOW)."""

import os
from datetime import datetime, timezone


def now() -> str:
    """The current UTC time as ISO 8601 with a Z, or CHOKEPOINT_NOW when set."""
    frozen = os.environ.get("CHOKEPOINT_NOW")
    if frozen:
        return frozen
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def today() -> str:
    return now()[:10]
