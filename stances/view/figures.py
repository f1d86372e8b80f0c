"""The tables behind the page, the map and the timeline figures."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go
import pyarrow as pa

from ..asof import government_timeline
from ..export import SNAPSHOT_COLUMNS, events_frame, snapshot_frame, snapshot_index, to_frame
from .base import (
    CATEGORIES, COLOURS, LAND_COLOUR, NO_POSITION, OTHER_LEVELS_COLOUR, SELECTED_OUTLINE,
    code_of, plotly_esc, stance_label, stepped_colourscale,
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
    """The Dataset's snapshot rows (export.snapshot_index) also as one Arrow table, so the
    snapshot of a day is its rows' positions and one ``take``."""

    def __init__(self, ds):
        self.index = snapshot_index(ds)
        self.table = pa.table({column: pa.array([r[field] for r in self.index.rows], pa.string())
                               for field, column in SNAPSHOT_COLUMNS})

    def shown(self, ds, state: ViewState) -> Shown:
        picked = self.index.positions(ds, state.day, state.alliances, export_stances(state))
        rows = [self.index.rows[at] for at in picked]
        labels = [stance_label(r["stance"]) for r in rows]
        return Shown(rows, frozenset(r["iso3"] for r in rows), {c: labels.count(c) for c in CATEGORIES},
                     self.table.take(pa.array(picked, pa.int64())))


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


def hover_text(row: Mapping, day: dt.date) -> str:
    """Map hover: country, stance, since when, who decided (data escaped)."""
    name = f"<b>{plotly_esc(row['country'])}</b>"
    if not row["stance"]:
        return f"{name}<br>{NO_POSITION} as of {day.isoformat()}"
    since = plotly_esc(row["since"])
    if row["since_precision"] != "day":
        since += (f" ({plotly_esc(row['since_precision'])} known; "
                  f"in effect from {plotly_esc(row['effective_from'])})")
    caveat = f", {plotly_esc(row['confidence'])} confidence" if row["confidence"] not in ("", "high") else ""
    return (f"{name}<br>{plotly_esc(row['stance'])}<br>since {since}"
            f"<br>decided by {plotly_esc(row['actor'])} ({plotly_esc(row['status'])}{caveat})")


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
    return dict(fitbounds=False, projection=dict(type="natural earth", scale=at["scale"]),
                center=dict(lon=at["lon"], lat=at["lat"]), showframe=False, showcountries=True,
                countrycolor="white", showland=True, landcolor=LAND_COLOUR, showocean=True,
                oceancolor="#F7FBFF", showlakes=False, showcoastlines=False,
                lataxis=dict(range=[-58, 85]))


def unchecked_figure(traces: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts that plotly does not check: its checks cost six times the
    rest of building a map of 250 countries, on every rerun. So the dicts spell every
    property in full (``legend.title.text``, not the ``title_text`` shorthand only the
    checks expand); tests compare each figure with a checked copy of it."""
    return go.Figure(traces, layout=layout, _validate=False)


def map_figure(ds, state: ViewState, shapes: frozenset[str], markers: Mapping[str, tuple],
               region: str = "World") -> go.Figure:
    """One choropleth trace (stepped colours) for countries with a shape, one scattergeo
    trace for those without, and a legend of every category in order."""
    rows = snapshot(ds, state).to_dict("records")
    return map_figure_of(rows, state.day, state.country, shapes, markers, region)


def map_figure_of(rows: list[Mapping], day: dt.date, country: str | None, shapes: frozenset[str],
                  markers: Mapping[str, tuple], region: str = "World") -> go.Figure:
    """The map of snapshot ``rows`` on ``day`` (``country`` outlined), from plain dicts:
    one choropleth of every country with a shape, the chosen one's outline as a second
    choropleth of that country alone (drawn above its neighbours), one scattergeo of the
    small countries, and a legend entry per category."""
    drawn = [r for r in rows if r["iso3"] in shapes]
    dotted = [r for r in rows if r["iso3"] not in shapes and r["iso3"] in markers]
    n = len(CATEGORIES)
    keep = dict(marker=dict(opacity=1))  # a click must not fade the other countries' colours

    def choropleth(these: list[Mapping], line: dict, name: str) -> dict:
        return dict(
            type="choropleth", locations=[r["iso3"] for r in these], locationmode="ISO-3",
            z=[code_of(stance_label(r["stance"])) for r in these],
            text=[hover_text(r, day) for r in these], hoverinfo="text",
            zmin=-0.5, zmax=n - 0.5, colorscale=stepped_colourscale(), showscale=False,
            marker=dict(line=line), selected=keep, unselected=keep, name=name, showlegend=False)

    chosen_dot = [r["iso3"] == country for r in dotted]
    traces = [choropleth(drawn, dict(color="white", width=0.6), "countries"), dict(
        type="scattergeo", lat=[markers[r["iso3"]][0] for r in dotted], lon=[markers[r["iso3"]][1] for r in dotted],
        text=[hover_text(r, day) for r in dotted], hoverinfo="text",
        customdata=[r["iso3"] for r in dotted], mode="markers", name="small countries",
        marker=dict(size=[13 if c else 10 for c in chosen_dot],
                    color=[COLOURS[stance_label(r["stance"])] for r in dotted],
                    line=dict(color=SELECTED_OUTLINE, width=[2.5 if c else 1 for c in chosen_dot]),
                    symbol="circle"),
        selected=keep, unselected=keep, showlegend=False,
    )]
    outlined = [r for r in drawn if r["iso3"] == country]
    if outlined:
        traces.append(choropleth(outlined, dict(color=SELECTED_OUTLINE, width=2.2), "chosen country"))
    for label in CATEGORIES:  # legend only: one entry per category, always in this order
        traces.append(dict(
            type="scattergeo", lat=[None], lon=[None], mode="markers", name=label, hoverinfo="skip",
            marker=dict(size=12, color=COLOURS[label], symbol="square"), showlegend=True,
        ))
    return unchecked_figure(traces, layout=dict(
        geo=geo_layout(region), margin=dict(l=0, r=0, t=0, b=0), height=370, clickmode="event+select",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0.0,
                    title=dict(text="Government stance:"), itemclick=False, itemdoubleclick=False),
        dragmode=False,
    ))


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


def timeline_bands(ds, keys, end: dt.date) -> list[Band]:
    """Coloured stance bands per record, from each government stance's effective day to the
    next one (or ``end``); before the first stance, grey from the record's first event."""
    bands = []
    for key in sorted(keys, key=lambda k: ds.records[k].name):
        record = ds.records[key]
        days, events = government_timeline(record)
        name = record.name
        first = min(e.effective for e in record.events)
        if not days or first < days[0]:
            stop = days[0] if days else end
            if first < stop:
                bands.append(Band(key, name, NO_POSITION, first, stop,
                                  f"<b>{plotly_esc(name)}</b><br>{NO_POSITION}<br>{first} to {stop}"))
        for i, event in enumerate(events):
            stop = days[i + 1] if i + 1 < len(days) else max(end, event.effective + dt.timedelta(days=1))
            if stop <= event.effective:
                continue
            bands.append(Band(key, name, event.stance, event.effective, stop,
                              f"<b>{plotly_esc(name)}</b><br>{plotly_esc(event.stance)} "
                              f"from {event.effective}"
                              f"<br>decided by {plotly_esc(event.actor)} ({plotly_esc(event.status)})"))
    return bands


def timeline_range(frame: Timeframe, years: int = 3, margin: int = 120) -> tuple[dt.date, dt.date]:
    """The span the timeline opens on: the ``years`` before the last change of any
    government stance, to a little after it (double-click shows everything)."""
    last_change = frame.changes[-1] if frame.changes else frame.last
    lo = last_change - dt.timedelta(days=365 * years + 1)
    hi = last_change + dt.timedelta(days=margin)
    return max(lo, frame.first), min(hi, frame.last)


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
        bars[label] = ([b.name for b in mine], [b.start.isoformat() for b in mine],
                       [(b.end - b.start).days * 86_400_000 for b in mine], [b.hover for b in mine])
    marks = None
    if all_levels:
        found = [(ds.records[k].name, e) for k in sorted(keys) for e in ds.records[k].events
                 if e.actor_level != "government"]
        marks = ([e.effective.isoformat() for _, e in found], [n for n, _ in found],
                 [f"<b>{plotly_esc(n)}</b><br>{plotly_esc(e.date)}: {plotly_esc(e.actor)} "
                  f"({plotly_esc(e.actor_level)})<br>{plotly_esc(_short(e.summary))}"
                  for n, e in found])
    return TimelineData(bars, marks, sorted({ds.records[k].name for k in keys}))


def timeline_figure(ds, keys, frame: Timeframe, all_levels: bool = True,
                    data: TimelineData | None = None) -> go.Figure:
    """One row per country, stance bands over time; with ``all_levels``, agency and
    operator actions as black diamonds. ``data``: the ``timeline_data`` of ``keys`` if
    already made."""
    if data is None:
        data = timeline_data(ds, keys, frame.last, all_levels)
    return timeline_figure_of(data, frame)


def timeline_figure_of(data: TimelineData, frame: Timeframe) -> go.Figure:
    """The timeline of ``data``, from plain dicts (as the map).
    It does not depend on the chosen day, so a date change leaves it as it is: the page
    redraws it only when the countries shown or the levels listed change."""
    traces = []
    for label in CATEGORIES:
        y, base, x, hover = data.bars[label]
        traces.append(dict(
            type="bar", orientation="h", name=label, y=y, base=base, x=x,
            marker=dict(color=COLOURS[label]), hovertext=hover, hoverinfo="text", showlegend=True,
        ))
    if data.marks is not None:
        x, y, hover = data.marks
        traces.append(dict(
            type="scatter", x=x, y=y, mode="markers", name="agency or operator action", hoverinfo="text",
            hovertext=hover,
            marker=dict(symbol="diamond", size=8, color=OTHER_LEVELS_COLOUR,
                        line=dict(color="white", width=1)),
        ))
    lo, hi = timeline_range(frame)
    return unchecked_figure(traces, layout=dict(
        barmode="overlay", height=max(200, 110 + 26 * len(data.names)), margin=dict(l=0, r=0, t=40, b=0),
        xaxis=dict(type="date", range=[lo.isoformat(), hi.isoformat()]),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(data.names)), type="category",
                   fixedrange=True),
        legend=dict(orientation="h", yanchor="top", y=1.0, x=0, yref="container"),
        dragmode="zoom",
        clickmode="none",
    ))


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
