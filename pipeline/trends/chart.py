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


# A timeline drawn as lanes: one row per jurisdiction, one mark per entry on a shared axis of days.
LANE_LABEL, LANE_HEIGHT, LANE_TOP, LANE_AXIS = 56, 30, 26, 24
MARK_STYLES = {
    "measure": ("circle", BAR_COLOUR),
    "listed": ("square", "#b9770e"),
    "removed": ("square-open", "#555555"),
}


@dataclass(frozen=True)
class Mark:
    """One entry on a lane: its day, what a reader hovers to read, its kind (a key of MARK_STYLES), a link."""

    day: date
    label: str
    kind: str = "measure"
    href: str | None = None  # a page of this site: the mark becomes a link


def lanes(rows: Sequence[tuple[str, Sequence[Mark]]], title: str, width: int = 760) -> str:
    """The lanes (name, marks) as one accessible SVG document, every lane on one axis of days."""
    marks = [mark for _, lane in rows for mark in lane]
    if not marks:
        raise ValueError("no mark to draw: an empty timeline would read as a quiet one")
    first, last = min(m.day for m in marks), max(m.day for m in marks)
    if (last - first).days < 60:  # a few days would spread over the whole width: show two months around them
        first, last = date.fromordinal(first.toordinal() - 30), date.fromordinal(last.toordinal() + 30)
    span = (last - first).days
    plot = width - LANE_LABEL - 16
    height = LANE_TOP + LANE_HEIGHT * len(rows) + LANE_AXIS

    def x(day: date) -> float:
        return LANE_LABEL + plot * (day - first).days / span

    description = (
        f"{len(rows)} lanes, one per jurisdiction, {len(marks)} entries from {first.isoformat()} to "
        f"{last.isoformat()}: circles are measures, filled squares listings, open squares removals."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="lanes-title lanes-desc" font-family="sans-serif" font-size="10">',
        f'<title id="lanes-title">{escape(title)}</title>',
        f'<desc id="lanes-desc">{escape(description)}</desc>',
    ]
    for index, (name, lane) in enumerate(rows):
        y = LANE_TOP + LANE_HEIGHT * index + LANE_HEIGHT / 2
        counts = ", ".join(
            f"{n} {kind}{'s' if kind == 'measure' and n != 1 else ''}" for kind, n in sorted(_kinds(lane).items())
        )
        parts.append(f'<g role="group" aria-label={quoteattr(f"{name}: {counts}")} class="lane">')
        parts.append(f'<text x="4" y="{y + 4:.1f}" font-weight="bold" font-size="11">{escape(name)}</text>')
        parts.append(f'<line x1="{LANE_LABEL}" y1="{y:.1f}" x2="{LANE_LABEL + plot}" y2="{y:.1f}" stroke="#ccc"/>')
        for mark in sorted(lane, key=lambda m: (m.day, m.kind, m.label)):
            parts.append(_mark(mark, x(mark.day), y))
        parts.append("</g>")
    parts.append(_axis(first, last, x, LANE_TOP + LANE_HEIGHT * len(rows)))
    parts.append("</svg>")
    return "\n".join(parts)


def _kinds(lane: Sequence[Mark]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for mark in lane:
        counts[mark.kind] = counts.get(mark.kind, 0) + 1
    return counts


def _mark(mark: Mark, x: float, lane_y: float) -> str:
    shape, colour = MARK_STYLES.get(mark.kind, MARK_STYLES["measure"])
    # Measures just above the lane's line, listing actions just below: a rule and the listing it made, on
    # the same day, stay two marks.
    y = lane_y - 5 if shape == "circle" else lane_y + 5
    note = f"<title>{escape(f'{mark.day.isoformat()}: {mark.label}')}</title>"
    if shape == "circle":
        drawn = (
            f'<circle cx="{x:.2f}" cy="{y:.1f}" r="5" fill="{colour}" fill-opacity="0.8" class="mark mark-{mark.kind}">'
        )
        drawn += f"{note}</circle>"
    else:
        fill = "none" if shape == "square-open" else colour
        drawn = (
            f'<rect x="{x - 4.5:.2f}" y="{y - 4.5:.1f}" width="9" height="9" fill="{fill}" stroke="{colour}" '
            f'stroke-width="1.5" class="mark mark-{mark.kind}">{note}</rect>'
        )
    # Only a page of this site becomes a link (measure and party pages); anything else stays a mark.
    if mark.href and mark.href.startswith("/") and not mark.href.startswith("//"):
        return f"<a href={quoteattr(mark.href)}>{drawn}</a>"
    return drawn


def _axis(first: date, last: date, x, top: int) -> str:
    """Year ticks (every year, or every few when the span is long), with the first and last day."""
    out = [f'<line x1="{x(first):.2f}" y1="{top}" x2="{x(last):.2f}" y2="{top}" stroke="#555"/>']
    years = range(first.year + 1, last.year + 1)
    step = max(1, -(-len(years) // 8))  # at most eight labels
    for year in years[::step]:
        tick = x(date(year, 1, 1))
        out.append(f'<line x1="{tick:.2f}" y1="{top}" x2="{tick:.2f}" y2="{top + 4}" stroke="#555"/>')
        out.append(f'<text x="{tick:.2f}" y="{top + 15}" text-anchor="middle">{year}</text>')
    if not years:
        out.append(f'<text x="{x(first):.2f}" y="{top + 15}">{first.isoformat()}</text>')
        out.append(f'<text x="{x(last):.2f}" y="{top + 15}" text-anchor="end">{last.isoformat()}</text>')
    return "\n".join(out)
