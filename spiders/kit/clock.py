"""The one place that reads the time of day, so tests and demos can freeze it (CHOKEPOINT_NOW).

Spiders and the pipeline both read it from here (spiders never import `pipeline`).
Durations are timed with `time.monotonic()` where they are measured; that is not
the time of day.
"""

import os
from datetime import datetime, timezone


def current() -> datetime:
    """The current UTC time, or CHOKEPOINT_NOW when set."""
    frozen = os.environ.get("CHOKEPOINT_NOW")
    if frozen:
        return datetime.fromisoformat(frozen.replace("Z", "+00:00"))
    return datetime.now(timezone.utc)


def now() -> str:
    """The current UTC time as ISO 8601 with a Z, or CHOKEPOINT_NOW as given."""
    frozen = os.environ.get("CHOKEPOINT_NOW")
    if frozen:
        return frozen
    return current().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def today() -> str:
    """Today's UTC date, YYYY-MM-DD."""
    return now()[:10]
