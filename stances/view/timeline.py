"""The timeline: a row per country, its position over time in the map's colours, hatched
where unsure and faded where old, with agency and operator actions as diamonds."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

from ..snapshot import category_of
from .base import (
    CATEGORIES,
    COLOURS,
    NO_POSITION,
    OTHER_LEVELS_COLOUR,
    STALE_DAYS,
    esc,
    evidence_end,
    fade,
    first_stale_day,
    is_unsure,
    plotly_esc,
)
from .figure import unchecked_figure
from .hover import _short, _wrapped, certainty_words
from .map import FADED_LEGEND
from .state import Timeframe


@dataclass(frozen=True)
class Band:
    key: str
    name: str
    label: str  # a CATEGORIES entry
    start: dt.date
    end: dt.date  # exclusive
    hover: str
    unsure: bool = False  # a reported or low-confidence 5G stance: hatched
    stale: bool = False  # over STALE_DAYS after the last evidence: faded


def _band_hover(name: str, row: Mapping, start: dt.date, end: dt.date, stale: bool) -> str:
    lines = [f"<b>{plotly_esc(name)}</b>"]
    if row["stance"]:
        lines.append(f"5G stance: {plotly_esc(row['stance'])}, {start} to {end - dt.timedelta(days=1)}")
        lines.append(f"decided by {plotly_esc(row['actor'])} ({plotly_esc(row['status'])})")
        unsure = certainty_words(row["status"], row["confidence"])
        if unsure:
            lines.append(plotly_esc(unsure))
    else:
        lines.append(f"{NO_POSITION} on 5G, {start} to {end - dt.timedelta(days=1)}")
    if row["outside_5g"]:
        lines.append(f"Restricted outside 5G: {_wrapped(row['outside_5g'], limit=None)}")
    if row["last_evidence"]:
        lines.append(
            f"Last evidence: {plotly_esc(row['last_evidence'])}"
            + (f" (over {STALE_DAYS} days before)" if stale else "")
        )
    return "<br>".join(lines)


def timeline_bands(ds, keys, end: dt.date) -> list[Band]:
    """Bands per record up to ``end`` (exclusive of nothing: the last band covers ``end``),
    from the same snapshot rows as the map: a band for every span over which a country's
    row stays the same, split where its last evidence turns STALE_DAYS old. Grey bands
    (no position) start at the record's first event."""
    index = ds.snapshot_index
    stop_all = end + dt.timedelta(days=1)
    bands = []
    for key, days, first_row in sorted(index.countries, key=lambda c: ds.records[c[0]].name):
        if key not in keys:
            continue
        record = ds.records[key]
        opened = min(e.effective for e in record.events)
        starts = [opened, *days]
        spans: list[list] = []  # [row, start, end, stale], the same look merged
        for i, row in enumerate(index.rows[first_row : first_row + len(days) + 1]):
            lo = max(starts[i], opened)
            hi = min(days[i] if i < len(days) else stop_all, stop_all)
            if hi <= lo:
                continue
            reported = evidence_end(row)
            stale_from = None if reported is None else first_stale_day(reported)
            cuts = [lo, hi] if stale_from is None or stale_from >= hi else sorted({lo, max(lo, stale_from), hi})
            for a, b in zip(cuts, cuts[1:]):
                stale = stale_from is not None and a >= stale_from
                if spans and spans[-1][2] == a and spans[-1][3] == stale and _same_look(spans[-1][0], row):
                    spans[-1][0], spans[-1][2] = row, b  # a newer report of the same position
                else:
                    spans.append([row, a, b, stale])
        for row, a, b, stale in spans:
            bands.append(
                Band(
                    key,
                    record.name,
                    category_of(row),
                    a,
                    b,
                    _band_hover(record.name, row, a, b, stale),
                    is_unsure(row),
                    stale,
                )
            )
    return bands


def _same_look(one: Mapping, other: Mapping) -> bool:
    """Two snapshot rows of the same position, both already reported: only the date of their
    last evidence differs."""
    same = all(one[k] == other[k] for k in one if k not in ("last_evidence", "_last_end"))
    return same and bool(one["last_evidence"]) == bool(other["last_evidence"])


def timeline_range(span: Timeframe, years: int = 3, past: int = 45) -> tuple[dt.date, dt.date]:
    """The span the timeline opens on: from ``years`` before the last change of any
    government position to ``past`` days after the evidence horizon, so that the line where
    the evidence ends and the faded spans before it show (double-click shows everything)."""
    last_change = span.changes[-1] if span.changes else span.last
    lo = last_change - dt.timedelta(days=365 * years + 1)
    return max(lo, span.first), span.last + dt.timedelta(days=past)


@dataclass(frozen=True)
class TimelineData:
    """The part of the timeline that does not depend on the chosen day: per category the
    bars' rows, starts, lengths (ms) and hovers; the agency and operator marks (None when
    those levels are hidden); the row names."""

    bars: dict
    marks: tuple | None
    names: list


def timeline_data(ds, keys, end: dt.date, all_levels: bool = True) -> TimelineData:
    """The bands of ``keys`` up to ``end``, and their agency and operator actions if
    ``all_levels``: everything in the timeline but the chosen day (cache it per data)."""
    bands = timeline_bands(ds, keys, end)
    bars = {}
    for label in CATEGORIES:
        mine = [b for b in bands if b.label == label]
        bars[label] = (
            [b.name for b in mine],
            [b.start.isoformat() for b in mine],
            [(b.end - b.start).days * 86_400_000 for b in mine],
            [b.hover for b in mine],
            [fade(COLOURS[label]) if b.stale else COLOURS[label] for b in mine],
            [HATCH if b.unsure else "" for b in mine],
        )
    marks = None
    if all_levels:
        found = [
            (ds.records[k].name, e) for k in sorted(keys) for e in ds.records[k].events if e.actor_level != "government"
        ]
        marks = (
            [e.effective.isoformat() for _, e in found],
            [n for n, _ in found],
            [
                f"<b>{plotly_esc(n)}</b><br>{plotly_esc(e.date)}: {plotly_esc(e.actor)} "
                f"({plotly_esc(e.actor_level)})<br>{plotly_esc(_short(e.summary))}"
                for n, e in found
            ],
        )
    return TimelineData(bars, marks, sorted({ds.records[k].name for k in keys}))


HATCH = "/"  # the timeline's pattern for a reported or low-confidence 5G stance
LABEL_FONT_PX = 12  # plotly's default font size, used by the row labels
MARKER_COLOUR = "#1A1A1A"  # the chosen day's line: dark on every band colour and on white


def label_margin(names: list[str]) -> int:
    """The timeline's left margin in pixels: room for its longest row label. Fixed (not
    plotly's automargin) so that the chosen day's marker, drawn apart from the figure, lines
    up with its x axis."""
    longest = max((len(n) for n in names), default=0)
    return min(280, 16 + math.ceil(longest * LABEL_FONT_PX * 0.6))


def timeline_height(names: list[str]) -> int:
    return max(200, 110 + 26 * len(names))


def day_marker_html(day: dt.date, span: Timeframe, names: list[str]) -> str:
    """The chosen day on the timeline, drawn as HTML just above it: a label with the date
    over a line down through the chart. It is computed apart from the timeline so that a date
    change sends this small strip, not the whole timeline again. It lines up with the
    timeline's x axis because both take their range from :func:`timeline_range`, their left
    margin from :func:`label_margin` and the page's full width."""
    lo, hi = timeline_range(span)
    share = (day - lo).days / (hi - lo).days
    inside = 0 <= share <= 1
    share = min(max(share, 0.0), 1.0)
    left = f"calc({label_margin(names)}px + (100% - {label_margin(names)}px) * {share:.5f})"
    if not inside:
        words = f"{day.isoformat()}: {'before' if day < lo else 'after'} the span the timeline shows"
    else:
        words = f"{day.isoformat()}"
    shift = "0" if share < 0.15 else "-100%" if share > 0.85 else "-50%"
    arrow = "◀ " if day < lo else ""
    after = " ▶" if day > hi else ""
    # The line runs from the strip down through the gap above the chart and the chart
    # itself; it lets the pointer through to the bands' hovers.
    depth = timeline_height(names) + 16
    return (
        '<div class="day-marker" style="position:relative;height:1.6rem">'
        f'<div class="day-marker-label" style="position:absolute;left:{left};transform:translateX({shift});'
        f'bottom:0;white-space:nowrap;font-weight:600;color:{MARKER_COLOUR}">'
        f'<span class="sr-only" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">'
        "The slider's day on the timeline: </span>"
        f"{esc(arrow)}{esc(words)}{esc(after)}</div>"
        f'<div aria-hidden="true" class="day-marker-line" style="position:absolute;left:{left};top:100%;'
        f"height:{depth}px;border-left:2px solid {MARKER_COLOUR};pointer-events:none;z-index:2;"
        f'{"" if inside else "display:none;"}"></div>'
        "</div>"
    )


def horizon_label(at: str, horizon: str) -> dict:
    """The words "evidence ends ``horizon``" at the top of a chart's dashed line at ``at``
    (ISO dates)."""
    return dict(
        xref="x",
        yref="paper",
        x=at,
        y=1,
        yanchor="bottom",
        xanchor="right",
        text=f"evidence ends {horizon}",
        showarrow=False,
        font=dict(size=11, color="#333333"),
    )


def timeline_figure_of(data: TimelineData, span: Timeframe) -> go.Figure:
    """The timeline of ``data``, from plain dicts (as the map).
    It does not depend on the chosen day, so a date change leaves it as it is: the page
    redraws it only when the countries shown or the levels listed change."""
    traces = []
    for label in CATEGORIES:
        y, base, x, hover, colours, hatches = data.bars[label]
        traces.append(
            dict(
                type="bar",
                orientation="h",
                name=label,
                y=y,
                base=base,
                x=x,
                marker=dict(
                    color=colours, pattern=dict(shape=hatches, fgcolor="#000000", fgopacity=0.55, solidity=0.25)
                ),
                hovertext=hover,
                hoverinfo="text",
                showlegend=False,
            )
        )
    # The legend: zero-length bars with no outline, never seen on the chart, one per
    # category in its plain colour, then the two looks.
    anchor = data.names[:1] or [""]
    looks = [(label, COLOURS[label], "") for label in CATEGORIES] + [
        (FADED_LEGEND, fade(COLOURS[NO_POSITION]), ""),
        ("hatched: reported or low confidence", "#FFFFFF", HATCH),
    ]
    for name, colour, hatch in looks:
        traces.append(
            dict(
                type="bar",
                orientation="h",
                name=name,
                y=anchor,
                base=[span.first.isoformat()],
                x=[0],
                marker=dict(
                    color=colour,
                    line=dict(width=0),
                    pattern=dict(shape=hatch, fgcolor="#000000", fgopacity=0.55, solidity=0.25),
                ),
                hoverinfo="skip",
                showlegend=True,
            )
        )
    if data.marks is not None:
        x, y, hover = data.marks
        traces.append(
            dict(
                type="scatter",
                x=x,
                y=y,
                mode="markers",
                name="agency or operator action",
                hoverinfo="text",
                hovertext=hover,
                marker=dict(symbol="diamond", size=8, color=OTHER_LEVELS_COLOUR, line=dict(color="white", width=1)),
            )
        )
    lo, hi = timeline_range(span)
    horizon = span.last.isoformat()
    return unchecked_figure(
        traces,
        layout=dict(
            barmode="overlay",
            height=timeline_height(data.names),
            margin=dict(l=label_margin(data.names), r=0, t=40, b=0),
            shapes=[
                dict(
                    type="line",
                    xref="x",
                    yref="paper",
                    x0=horizon,
                    x1=horizon,
                    y0=0,
                    y1=1,
                    line=dict(color="#333333", width=1.5, dash="dash"),
                )
            ],
            annotations=[horizon_label(horizon, horizon)],
            # Fixed: the chosen day's marker (day_marker_html) follows this range, not a zoom.
            xaxis=dict(type="date", range=[lo.isoformat(), hi.isoformat()], fixedrange=True),
            yaxis=dict(
                categoryorder="array",
                categoryarray=list(reversed(data.names)),
                type="category",
                fixedrange=True,
                automargin=False,
            ),
            legend=dict(
                orientation="h", yanchor="top", y=1.0, x=0, yref="container", itemclick=False, itemdoubleclick=False
            ),
            dragmode=False,
            clickmode="none",
        ),
    )
