"""Trends and early warning: new measures and new listings per week and month, and surges.

`events` decides which stored item counts and on which day (pure), `periods` names weeks
and months, `counts` tallies them per group (pure), `surge` flags a week well above its
series' own baseline (pure), `chart` draws small multiples as SVG (pure), and `read`
ties them to the published database through `pipeline.store.dated`.
"""

from pipeline.trends.read import NothingToCount, Stored, open_database, read, scan_weeks, surges, trends
from pipeline.trends.surge import Scan, Settings, Surge

__all__ = [
    "NothingToCount",
    "Scan",
    "Settings",
    "Stored",
    "Surge",
    "open_database",
    "read",
    "scan_weeks",
    "surges",
    "trends",
]
