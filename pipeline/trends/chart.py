"""Small-multiple bar charts as one SVG string: pure, server-side, no script, nothing loaded.

One panel per group (an industry, a jurisdiction), every panel on the same scale so
waves compare at a glance. The SVG is readable without JavaScript and without sight:
a <title> and <desc> for the whole, each panel a labelled group, each bar a <title>
("2024-01: 3 new measures"), axis labels as text. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from pipeline.trends.periods import period_label

PANEL_WIDTH, PANEL_HEIGHT = 240, 120
PLOT_LEFT, PLOT_TOP, PLOT_WIDTH, PLOT_HEIGHT = 34, 22, 196, 66
BAR_COLOUR, SURGE_COLOUR = "#3b6ea5", "#c0392b"


@dataclass(frozen=True)
class Panel:
    """One small multiple: its name, and (period start, count) for every period, zeros included."""

    name: str
    values: Sequence[tuple[date, int]]
    surges: frozenset[date] = frozenset()  # period starts drawn as surges


def bar_heights(values: Sequence[int], top: int, height: float = PLOT_HEIGHT) -> list[float]:
    """Each value's bar height on a scale where `top` fills `height` (proportional; 0 when top is 0)."""
    return [0.0 if top <= 0 else height * value / top for value in values]


def small_multiples(
    panels: Sequence[Panel], title: str, period: str = "month", unit: str = "new measures", columns: int = 3
) -> str:
    """The panels as one accessible SVG document (a string), on one shared vertical scale."""
    if not panels:
        raise ValueError("no panel to draw: a chart of nothing would read as a quiet period")
    top = max((value for panel in panels for _, value in panel.values), default=0)
    rows = (len(panels) + columns - 1) // columns
    width, height = PANEL_WIDTH * min(columns, len(panels)), PANEL_HEIGHT * rows
    first = min(start for panel in panels for start, _ in panel.values)
    last = max(start for panel in panels for start, _ in panel.values)
    description = (
        f"{len(panels)} panels, one per group, {unit} per {period} from {period_label(first, period)} "
        f"to {period_label(last, period)}, all on one scale from 0 to {top}."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="10">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for index, panel in enumerate(panels):
        x, y = (index % columns) * PANEL_WIDTH, (index // columns) * PANEL_HEIGHT
        parts.append(_panel(panel, x, y, top, period, unit))
    parts.append("</svg>")
    return "\n".join(parts)


def _panel(panel: Panel, x: int, y: int, top: int, period: str, unit: str) -> str:
    total = sum(value for _, value in panel.values)
    label = f"{panel.name}: {total} {unit}"
    out = [f'<g transform="translate({x},{y})" role="group" aria-label={quoteattr(label)}>']
    out.append(f'<text x="{PLOT_LEFT}" y="14" font-weight="bold" font-size="11">{escape(panel.name)}</text>')
    base = PLOT_TOP + PLOT_HEIGHT
    out.append(f'<line x1="{PLOT_LEFT}" y1="{base}" x2="{PLOT_LEFT + PLOT_WIDTH}" y2="{base}" stroke="#555"/>')
    out.append(f'<text x="{PLOT_LEFT - 4}" y="{base}" text-anchor="end">0</text>')
    out.append(f'<text x="{PLOT_LEFT - 4}" y="{PLOT_TOP + 8}" text-anchor="end">{top}</text>')
    slot = PLOT_WIDTH / max(len(panel.values), 1)
    heights = bar_heights([value for _, value in panel.values], top)
    for i, ((start, value), bar) in enumerate(zip(panel.values, heights)):
        surge = start in panel.surges
        note = f"{period_label(start, period)}: {value} {unit}{' (surge)' if surge else ''}"
        colour = SURGE_COLOUR if surge else BAR_COLOUR
        out.append(
            f'<rect x="{PLOT_LEFT + i * slot + slot * 0.1:.2f}" y="{base - bar:.2f}" width="{slot * 0.8:.2f}" '
            f'height="{bar:.2f}" fill="{colour}" class="bar"><title>{escape(note)}</title></rect>'
        )
    if panel.values:
        first, last = panel.values[0][0], panel.values[-1][0]
        out.append(f'<text x="{PLOT_LEFT}" y="{base + 13}">{escape(period_label(first, period))}</text>')
        out.append(
            f'<text x="{PLOT_LEFT + PLOT_WIDTH}" y="{base + 13}" text-anchor="end">'
            f"{escape(period_label(last, period))}</text>"
        )
    out.append(f'<text x="{PLOT_LEFT}" y="{base + 26}" fill="#555">{escape(unit)} per {escape(period)}</text>')
    out.append("</g>")
    return "\n".join(out)
