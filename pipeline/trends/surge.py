"""The surge signal: a week well above its own series' recent baseline. Pure: events in, surges out.

A series is one industry in one jurisdiction (new measures) or one list (listing actions:
the days in a week on which it gained parties, so that one rule adding forty parties
is one action, not forty). Each week is tested against the series' own trailing
26 weeks:

- the weekly rate is uncertain, so it gets a Gamma prior worth half an event in
  26 weeks (`prior_count`, `prior_weeks`): an empty history makes two measures in a
  week surprising, not infinitely so; the week's count is then judged by the
  posterior predictive, a negative binomial, which is wider than a Poisson at the
  same mean because the rate itself is only estimated. `p` is P(this many or more);
- a surge needs p <= `alpha` (0.01), at least `min_count` events (2: one rule is
  never a surge) and at least `min_ratio` (3) times the baseline's weekly rate, so
  that a busy series is not flagged for ordinary week-to-week variation;
- weeks before the series' history begins are unknown, not zero. A list's history
  begins with its earliest dated listing or its first crawl; a jurisdiction's when
  every one of its document sources has begun (the latest of their earliest
  publication dates: a feed crawled since January says nothing of December, even
  if another source of the same government has older items). Public-inspection
  filings are previews of Federal Register documents and do not set it. A week with fewer than
  `min_history_weeks` (8) of known baseline is not tested, and is reported as
  untested when it would have counted, never as quiet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.trends.events import LISTING, MEASURE, PUBLIC_INSPECTION, Event
from pipeline.trends.periods import period_start


@dataclass(frozen=True)
class Settings:
    baseline_weeks: int = 26
    min_history_weeks: int = 8
    min_count: int = 2
    alpha: float = 0.01
    min_ratio: float = 3.0
    prior_count: float = 0.5
    prior_weeks: float = 26.0
    window_weeks: int = 1  # weeks summed into the count tested (the week and those before it); 1: the week alone


DEFAULT = Settings()


@dataclass(frozen=True)
class Surge:
    series: str  # "semiconductors, US" or "csl:EL"
    kind: str  # MEASURE (an industry in a jurisdiction) or LISTING (a list)
    industry: str | None
    jurisdiction: str | None
    list: str | None
    week: date  # its Monday
    count: int  # measures, or listing actions (days with new parties)
    items: tuple[str, ...]  # the ids counted that week
    baseline: int  # events in the baseline weeks
    baseline_weeks: int
    p_value: float
    reason: str

    @property
    def rate(self) -> float:
        return self.baseline / self.baseline_weeks


@dataclass(frozen=True)
class Untested:
    """A week that had enough to be a surge, in a series with too little known history to judge it."""

    series: str
    week: date
    count: int
    history_weeks: int
    kind: str = MEASURE
    industry: str | None = None
    jurisdiction: str | None = None
    list: str | None = None
    items: tuple[str, ...] = ()  # the ids counted that week


@dataclass
class Scan:
    surges: list[Surge] = field(default_factory=list)
    untested: list[Untested] = field(default_factory=list)
    tested_series: int = 0


def p_value(count: int, baseline: int, weeks: int, settings: Settings = DEFAULT) -> float:
    """P(a week has `count` or more) given `baseline` events in `weeks` weeks, under the Gamma-Poisson model."""
    from scipy.stats import nbinom

    shape = settings.prior_count + baseline
    rate = settings.prior_weeks + weeks
    return float(nbinom.sf(count - 1, shape, rate / (rate + settings.window_weeks)))


def is_surge(count: int, baseline: int, weeks: int, settings: Settings = DEFAULT) -> tuple[bool, float]:
    """(whether a week of `count` is a surge against `baseline` in `weeks`, its p-value)."""
    if count < settings.min_count or count < settings.min_ratio * settings.window_weeks * baseline / weeks:
        return False, 1.0
    p = p_value(count, baseline, weeks, settings)
    return p <= settings.alpha, p


@dataclass
class _Series:
    name: str
    kind: str
    industry: str | None = None
    jurisdiction: str | None = None
    list: str | None = None
    history_start: date | None = None
    weeks: dict[date, list[Event]] = field(default_factory=dict)


def history_starts(events: Iterable[Event], list_since: dict[str, date]) -> dict[tuple[str, str | None], date]:
    """Per jurisdiction (measures) and per list (listings), the day from which its weeks are known."""
    sources: dict[tuple[str | None, str], date] = {}
    history: dict[tuple[str, str | None], date] = {}
    for event in events:
        if event.kind == MEASURE:
            if event.source != PUBLIC_INSPECTION:
                key = (event.jurisdiction, event.source)
                sources[key] = min(sources.get(key, event.day), event.day)
        else:
            history[(LISTING, event.list)] = min(history.get((LISTING, event.list), event.day), event.day)
    for (jurisdiction, _), day in sources.items():
        history[(MEASURE, jurisdiction)] = max(history.get((MEASURE, jurisdiction), day), day)
    for name, day in list_since.items():
        history[(LISTING, name)] = min(history.get((LISTING, name), day), day)
    return history


def _series(events: Iterable[Event], list_since: dict[str, date]) -> list[_Series]:
    events = list(events)
    history = history_starts(events, list_since)
    found: dict[tuple, _Series] = {}
    for event in events:
        if event.kind == MEASURE:
            for industry in event.industries or ():
                name = f"{industry}, {event.jurisdiction or '(unknown)'}"
                found.setdefault(
                    (MEASURE, industry, event.jurisdiction),
                    _Series(
                        name,
                        MEASURE,
                        industry,
                        event.jurisdiction,
                        None,
                        history.get((MEASURE, event.jurisdiction), event.day),
                    ),
                )
                found[(MEASURE, industry, event.jurisdiction)].weeks.setdefault(
                    period_start(event.day, "week"), []
                ).append(event)
        else:
            series = found.setdefault(
                (LISTING, event.list),
                _Series(event.list, LISTING, None, None, event.list, history[(LISTING, event.list)]),
            )
            series.weeks.setdefault(period_start(event.day, "week"), []).append(event)
    return sorted(found.values(), key=lambda s: (s.kind, s.name))


def _weight(events: list[Event], kind: str) -> int:
    """A week's count: its measures, or for a list the days on which it gained parties."""
    return len(events) if kind == MEASURE else len({event.day for event in events})


def scan(
    events: Iterable[Event],
    weeks: list[date],
    settings: Settings = DEFAULT,
    list_since: dict[str, date] | None = None,
    today: date | None = None,
) -> Scan:
    """Test each series in each of `weeks` (Mondays) against its trailing baseline.

    `list_since`: per list, the day its source was first crawled (history is known from
    then on even where no listing was dated). `today`: the week holding it is "so far".
    """
    result = Scan()
    for series in _series(events, list_since or {}):
        result.tested_series += 1
        for week in weeks:
            opens = week - timedelta(weeks=settings.window_weeks - 1)  # the first week of the tested window
            current = [
                e for i in range(settings.window_weeks) for e in series.weeks.get(opens + timedelta(weeks=i), [])
            ]
            count = _weight(current, series.kind)
            if count < settings.min_count or not series.weeks.get(week):
                continue
            first = max(opens - timedelta(weeks=settings.baseline_weeks), period_start(series.history_start, "week"))
            known = (opens - first).days // 7
            if known < settings.min_history_weeks:
                result.untested.append(
                    Untested(
                        series.name,
                        week,
                        count,
                        max(known, 0),
                        series.kind,
                        series.industry,
                        series.jurisdiction,
                        series.list,
                        tuple(sorted(event.item_id for event in current)),
                    )
                )
                continue
            baseline = sum(_weight(series.weeks.get(first + timedelta(weeks=i), []), series.kind) for i in range(known))
            flagged, p = is_surge(count, baseline, known, settings)
            if flagged:
                so_far = today is not None and week <= today < week + timedelta(days=7)
                result.surges.append(
                    Surge(
                        series.name,
                        series.kind,
                        series.industry,
                        series.jurisdiction,
                        series.list,
                        week,
                        count,
                        tuple(sorted(event.item_id for event in current)),
                        baseline,
                        known,
                        p,
                        reason(
                            series.name,
                            series.kind,
                            week,
                            count,
                            len(current),
                            baseline,
                            known,
                            so_far,
                            settings.window_weeks,
                        ),
                    )
                )
    result.surges.sort(key=lambda s: (s.week, s.p_value, s.series))
    return result


def reason(
    series: str,
    kind: str,
    week: date,
    count: int,
    items: int,
    baseline: int,
    weeks: int,
    so_far: bool = False,
    window: int = 1,
) -> str:
    """The plain-language line a person reads: what happened, against what baseline."""
    span = f"the {window} weeks to the week of" if window > 1 else "the week of"
    when = f"{'so far in' if so_far else 'in'} {span} {week.isoformat()}"
    over = "the last six months" if weeks == 26 else f"the previous {weeks} weeks"
    rate = baseline / weeks
    if kind == MEASURE:
        return f"{series}: {count} new measures {when} against {rate:.1f} a week over {over}"
    return (
        f"{series}: new listings on {count} days {when} ({items} parties) "
        f"against {rate:.1f} such days a week over {over}"
    )
