"""The tables behind the page, the map and the timeline figures."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import pyarrow as pa

from ..dates import parse_period
from ..export import SNAPSHOT_COLUMNS, events_frame, snapshot_frame, to_frame
from ..snapshot import category_of
from .base import (
    CATEGORIES,
    COLOURS,
    FADE,
    LAND_COLOUR,
    NO_POSITION,
    OTHER_LEVELS_COLOUR,
    SELECTED_OUTLINE,
    STALE_DAYS,
    UNSURE_MARK,
    code_of,
    evidence_age,
    fade,
    is_stale,
    is_unsure,
    plotly_esc,
    stepped_colourscale,
)
from .state import Timeframe, ViewState, export_levels, export_stances

# --- the tables behind the map, the table and the downloads ---------------------------


def snapshot(ds, state: ViewState):
    """The snapshot table shown, downloaded and mapped (the filters applied)."""
    return snapshot_frame(ds, state.day, state.alliances, export_stances(state))


@dataclass(frozen=True)
class Shown:
    """The snapshot of a view, in the forms the page uses: its rows (dicts, what
    map_figure_of takes; shared between snapshots, never modified), the countries in it,
    how many hold each stance (legend order), and the table shown, as an Arrow table
    (Streamlit sends those as they are; a DataFrame it converts first)."""

    rows: list
    keys: frozenset
    tally: dict
    table: pa.Table

    def frame(self):
        """The snapshot as a DataFrame (what the CSV is written from)."""
        return to_frame(self.rows, SNAPSHOT_COLUMNS)


class SnapshotTables:
    """The Dataset's snapshot rows (Dataset.snapshot_index) also as one Arrow table, so the
    snapshot of a day is its rows' positions and one ``take``."""

    def __init__(self, ds):
        self.index = ds.snapshot_index
        self.table = pa.table(
            {column: pa.array([r[field] for r in self.index.rows], pa.string()) for field, column in SNAPSHOT_COLUMNS}
        )

    def shown(self, ds, state: ViewState) -> Shown:
        picked = self.index.positions(ds, state.day, state.alliances, export_stances(state))
        rows = [self.index.rows[at] for at in picked]
        labels = [category_of(r) for r in rows]
        return Shown(
            rows,
            frozenset(r["iso3"] for r in rows),
            {c: labels.count(c) for c in CATEGORIES},
            self.table.take(pa.array(picked, pa.int64())),
        )


def event_keys(ds, state: ViewState, countries=None) -> frozenset[str]:
    """The records whose events the event log lists: the countries shown (``countries``,
    if already known), and the organisations too when no alliance or stance filter is on."""
    keys = frozenset(snapshot(ds, state)["iso3"] if countries is None else countries)
    if not state.alliances and not state.stances:
        keys |= {k for k, r in ds.records.items() if not r.is_country}
    return keys


def event_log(ds, state: ViewState):
    """The event log with citations for the countries shown, at the levels chosen."""
    return events_frame(ds, event_keys(ds, state), export_levels(state))


def _wrapped(text: str, width: int = 70, limit: int | None = 220) -> str:
    """Data text escaped for a hover, shortened to ``limit`` and broken into lines."""
    return "<br>".join(plotly_esc(line) for line in textwrap.wrap(_short(text, limit) if limit else text, width))


def certainty_words(status: str, confidence: str) -> str:
    """How sure a stance is, in words, with the map's ``?`` where the map draws one:
    ``'? reported, not confirmed; confidence low'``, ``'confidence medium'``, or ``''``."""
    words = ["reported, not confirmed"] if status == "reported" else []
    if confidence and confidence != "high":
        words.append(f"confidence {confidence}")
    unsure = status == "reported" or confidence == "low"
    return (f"{UNSURE_MARK} " if unsure else "") + "; ".join(words)


NOT_YET_REPORTED = "no report on or before this date: known from later reports"


def hover_text(row: Mapping, day: dt.date) -> str:
    """Map hover: country; its 5G stance, since when, who decided and how sure; restrictions
    outside 5G; the last evidence and whether it is over a year old (data escaped)."""
    lines = [f"<b>{plotly_esc(row['country'])}</b>"]
    if row["stance"]:
        since = plotly_esc(row["since"])
        if row["since_precision"] != "day":
            since += (
                f" ({plotly_esc(row['since_precision'])} known; in effect from {plotly_esc(row['effective_from'])})"
            )
        lines += [
            f"5G stance: {plotly_esc(row['stance'])}",
            f"since {since}",
            f"decided by {plotly_esc(row['actor'])} ({plotly_esc(row['status'])})",
        ]
        unsure = certainty_words(row["status"], row["confidence"])
        if unsure:
            lines.append(plotly_esc(unsure))
            if row.get("_notes"):
                lines.append(_wrapped(row["_notes"]))
    else:
        lines.append(f"{NO_POSITION} on 5G as of {day.isoformat()}")
    if row["outside_5g"]:
        lines.append(f"Restricted outside 5G: {_wrapped(row['outside_5g'], limit=None)}")
    age = evidence_age(row, day)
    if age is not None:
        old = f" — over a year before {day.isoformat()}" if age > STALE_DAYS else ""
        lines.append(f"Last evidence: {plotly_esc(row['last_evidence'])}{old}")
    elif row["stance"] or row["outside_5g"]:
        lines.append(f"Last evidence: {NOT_YET_REPORTED}")
    return "<br>".join(lines)


# Map zoom presets: the centre and zoom of the one world map (no other geometry is needed).
REGIONS: dict[str, dict] = {
    "World": dict(lon=10, lat=15, scale=1),
    "Europe": dict(lon=12, lat=52, scale=4.2),
    "Asia-Pacific": dict(lon=130, lat=5, scale=2.1),
    "Americas": dict(lon=-80, lat=15, scale=1.9),
}


def geo_layout(region: str = "World") -> dict:
    """The map's ``layout.geo``: the served world map, centred and zoomed on ``region``."""
    at = REGIONS.get(region, REGIONS["World"])
    return dict(
        fitbounds=False,
        projection=dict(type="natural earth", scale=at["scale"]),
        center=dict(lon=at["lon"], lat=at["lat"]),
        showframe=False,
        showcountries=True,
        countrycolor="white",
        showland=True,
        landcolor=LAND_COLOUR,
        showocean=True,
        oceancolor="#F7FBFF",
        showlakes=False,
        showcoastlines=False,
        lataxis=dict(range=[-58, 85]),
    )


def unchecked_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts that plotly does not check: its checks cost six times the
    rest of building a map of 250 countries, on every rerun. So the dicts spell every
    property in full (``legend.title.text``, not the ``title_text`` shorthand only the
    checks expand); tests compare each figure with a checked copy of it."""
    return go.Figure(traces, layout=layout, _validate=False)


def map_figure(
    ds, state: ViewState, shapes: Mapping[str, tuple], markers: Mapping[str, tuple], region: str = "World"
) -> go.Figure:
    """The map of ``state`` (see map_figure_of), from the same rows as the page's."""
    index = ds.snapshot_index
    rows = [index.rows[at] for at in index.positions(ds, state.day, state.alliances, export_stances(state))]
    return map_figure_of(rows, state.day, state.country, shapes, markers, region)


FADED_LEGEND = "faded: last report over a year old"
UNSURE_BADGE = dict(size=15, color="#FFFFFF", opacity=0.9, symbol="circle", line=dict(color="#000000", width=1))


def map_legend() -> list[dict]:
    """Legend-only traces: a square per category, then the faded and the unsure looks."""

    def entry(name: str, colour: str | None, symbol: str = "square") -> dict:
        marker = dict(size=12, color=colour, symbol=symbol) if colour else dict(size=1, opacity=0)
        return dict(
            type="scattergeo",
            lat=[None],
            lon=[None],
            mode="markers",
            name=name,
            hoverinfo="skip",
            marker=marker,
            showlegend=True,
        )

    entries = [entry(label, COLOURS[label]) for label in CATEGORIES]
    entries.append(entry(FADED_LEGEND, fade(COLOURS[NO_POSITION], FADE)))
    entries.append(
        dict(
            entry(f"({UNSURE_MARK}) reported or low confidence", None),
            mode="markers+text",
            marker=UNSURE_BADGE,
            text=[UNSURE_MARK],
            textposition="middle center",
            textfont=dict(size=11, color="#000000", family="sans-serif"),
        )
    )
    return entries


def map_figure_of(
    rows: list[Mapping],
    day: dt.date,
    country: str | None,
    shapes: Mapping[str, tuple],
    markers: Mapping[str, tuple],
    region: str = "World",
) -> go.Figure:
    """The map of snapshot ``rows`` on ``day`` (``country`` outlined), from plain dicts:
    one choropleth of every country with a shape (``shapes``: its centre), coloured by
    category and faded where the last evidence is over STALE_DAYS old; the chosen one's
    outline as a second choropleth of that country alone (drawn above its neighbours); one
    scattergeo of the small countries (``markers``); a ``?`` on every reported or
    low-confidence 5G stance; and a legend of every category and look."""
    drawn = [r for r in rows if r["iso3"] in shapes]
    dotted = [r for r in rows if r["iso3"] not in shapes and r["iso3"] in markers]
    n = 2 * len(CATEGORIES)
    keep = dict(marker=dict(opacity=1))  # a click must not fade the other countries' colours

    def z(row: Mapping) -> int:
        return code_of(category_of(row), is_stale(row, day))

    def choropleth(these: list[Mapping], line: dict, name: str) -> dict:
        return dict(
            type="choropleth",
            locations=[r["iso3"] for r in these],
            locationmode="ISO-3",
            z=[z(r) for r in these],
            text=[hover_text(r, day) for r in these],
            hoverinfo="text",
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=stepped_colourscale(),
            showscale=False,
            marker=dict(line=line),
            selected=keep,
            unselected=keep,
            name=name,
            showlegend=False,
        )

    colours = stepped_colourscale()[::2]
    chosen_dot = [r["iso3"] == country for r in dotted]
    traces = [
        choropleth(drawn, dict(color="white", width=0.6), "countries"),
        dict(
            type="scattergeo",
            lat=[markers[r["iso3"]][0] for r in dotted],
            lon=[markers[r["iso3"]][1] for r in dotted],
            text=[hover_text(r, day) for r in dotted],
            hoverinfo="text",
            customdata=[r["iso3"] for r in dotted],
            mode="markers",
            name="small countries",
            marker=dict(
                size=[13 if c else 10 for c in chosen_dot],
                color=[colours[z(r)][1] for r in dotted],
                line=dict(color=SELECTED_OUTLINE, width=[2.5 if c else 1 for c in chosen_dot]),
                symbol="circle",
            ),
            selected=keep,
            unselected=keep,
            showlegend=False,
        ),
    ]
    outlined = [r for r in drawn if r["iso3"] == country]
    if outlined:
        traces.append(choropleth(outlined, dict(color=SELECTED_OUTLINE, width=2.2), "chosen country"))
    unsure = [r for r in rows if is_unsure(r) and (r["iso3"] in shapes or r["iso3"] in markers)]
    at = [shapes.get(r["iso3"]) or markers[r["iso3"]] for r in unsure]
    traces.append(
        dict(  # a white badge: readable on any fill and on the chosen outline
            type="scattergeo",
            lat=[p[0] for p in at],
            lon=[p[1] for p in at],
            mode="markers+text",
            marker=UNSURE_BADGE,
            text=[UNSURE_MARK] * len(unsure),
            textfont=dict(size=11, color="#000000", family="sans-serif"),
            textposition="middle center",
            name="reported or low confidence",
            # The country's own hover and click (a skipped hover would swallow the click).
            hovertext=[hover_text(r, day) for r in unsure],
            hoverinfo="text",
            customdata=[r["iso3"] for r in unsure],
            showlegend=False,
        )
    )
    traces += map_legend()
    return unchecked_figure(
        traces,
        layout=dict(
            geo=geo_layout(region),
            margin=dict(l=0, r=0, t=0, b=0),
            height=420,
            clickmode="event+select",
            legend=dict(
                orientation="h",
                yanchor="bottom",
                y=1.0,
                xanchor="left",
                x=0.0,
                title=dict(text="5G stance:", side="top"),
                itemclick=False,
                itemdoubleclick=False,
                entrywidth=0.35,
                entrywidthmode="fraction",
            ),
            dragmode=False,
        ),
    )


def key_from_point(point: Mapping) -> str | None:
    """The record a clicked map point stands for (a country's location, a marker's customdata)."""
    key = point.get("location") or point.get("customdata")
    if isinstance(key, list):
        key = key[0] if key else None
    return key if isinstance(key, str) else None


# --- the timeline ---------------------------------------------------------------------


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
            stale_from = None
            if row["last_evidence"]:
                stale_from = parse_period(row["last_evidence"])[1] + dt.timedelta(days=STALE_DAYS + 1)
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


def timeline_range(frame: Timeframe, years: int = 3, past: int = 45) -> tuple[dt.date, dt.date]:
    """The span the timeline opens on: from ``years`` before the last change of any
    government position to ``past`` days after the evidence horizon, so that the line where
    the evidence ends and the faded spans before it show (double-click shows everything)."""
    last_change = frame.changes[-1] if frame.changes else frame.last
    lo = last_change - dt.timedelta(days=365 * years + 1)
    return max(lo, frame.first), frame.last + dt.timedelta(days=past)


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


def timeline_figure(ds, keys, frame: Timeframe, all_levels: bool = True, data: TimelineData | None = None) -> go.Figure:
    """One row per country, stance bands over time; with ``all_levels``, agency and
    operator actions as black diamonds. ``data``: the ``timeline_data`` of ``keys`` if
    already made."""
    if data is None:
        data = timeline_data(ds, keys, frame.last, all_levels)
    return timeline_figure_of(data, frame)


HATCH = "/"  # the timeline's pattern for a reported or low-confidence 5G stance


def timeline_figure_of(data: TimelineData, frame: Timeframe) -> go.Figure:
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
                base=[frame.first.isoformat()],
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
    lo, hi = timeline_range(frame)
    horizon = frame.last.isoformat()
    return unchecked_figure(
        traces,
        layout=dict(
            barmode="overlay",
            height=max(200, 110 + 26 * len(data.names)),
            margin=dict(l=0, r=0, t=40, b=0),
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
            annotations=[
                dict(
                    xref="x",
                    yref="paper",
                    x=horizon,
                    y=1,
                    yanchor="bottom",
                    xanchor="right",
                    text=f"evidence ends {horizon}",
                    showarrow=False,
                    font=dict(size=11, color="#333333"),
                )
            ],
            xaxis=dict(type="date", range=[lo.isoformat(), hi.isoformat()]),
            yaxis=dict(
                categoryorder="array", categoryarray=list(reversed(data.names)), type="category", fixedrange=True
            ),
            legend=dict(
                orientation="h", yanchor="top", y=1.0, x=0, yref="container", itemclick=False, itemdoubleclick=False
            ),
            dragmode="zoom",
            clickmode="none",
        ),
    )


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
