"""The floor: what the dashboard's own stack (Streamlit + plotly + pandas) costs to draw the
same page elements, with nothing else done per rerun.

It draws what app.py draws for the view without filters, split the same way: in a fragment
(what a date change reruns) the date slider and the two step buttons, the same map figure
(one go.Choropleth of the countries with a shape, drawn from the served world_110m.json
through topojsonURL "app/static/", a go.Scattergeo of the small countries and the legend
entries) and the snapshot table; outside it, the same timeline figure. It uses the
dashboard's own figure functions (stances.view.map_figure_of and timeline_figure_of). Every
table behind them is computed ONCE per process, for every as-of period (from one change day
to the next), when the first session starts; a rerun only picks the period of the chosen day
by bisection and builds the figures from it. No loading, validation, as-of resolution or
filtering happens per rerun. What app.py costs beyond this is its own work: the data
fingerprint, the as-of snapshot, filters, the evidence panel, the downloads, the event log.

Run it as the benchmarks do, from a folder holding a copy of static/ and .streamlit/ (see
bench/_common.py: staged()), with STANCES_DATA_DIR and STANCES_BENCH_ROOT set.
"""
from __future__ import annotations

import bisect
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("STANCES_BENCH_ROOT") or Path(__file__).resolve().parent.parent)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from stances import data_dir_from_env, load_dataset, snapshot_frame, view  # noqa: E402


@dataclass
class Tables:
    frame: view.Timeframe
    starts: list  # the first day of every as-of period: the first day, then each change day
    periods: list  # per period: (the snapshot DataFrame, its rows as dicts)
    timeline: view.TimelineData
    shapes: frozenset
    markers: dict


@st.cache_resource(show_spinner=False)
def tables(data_dir: str) -> Tables:
    """Computed once per process, with the package's own functions."""
    ds = load_dataset(data_dir)
    frame = view.timeframe(ds)
    starts = [frame.first, *[c for c in frame.changes if c > frame.first]]
    periods = []
    for start in starts:
        table = snapshot_frame(ds, start)
        periods.append((table, table.to_dict("records")))
    return Tables(frame, starts, periods, view.timeline_data(ds, set(ds.countries), frame.last),
                  view.geometry_ids(ROOT / "static" / "world_110m.json"),
                  view.marker_positions(ROOT / "data" / "geo" / "markers.csv"))


st.set_page_config(page_title="Floor", layout="wide")
T = tables(str(data_dir_from_env(ROOT / "data")))
F = T.frame
S = st.session_state
if "day" not in S:
    try:
        S["day"] = min(max(dt.date.fromisoformat(st.query_params.get("date", "")), F.first), F.last)
    except ValueError:
        S["day"] = F.default


def step(direction: int) -> None:
    at = bisect.bisect_right(F.changes, S["day"]) if direction > 0 else bisect.bisect_left(F.changes, S["day"]) - 1
    if 0 <= at < len(F.changes):
        S["day"] = F.changes[at]


st.title("Floor: the same elements, precomputed")


@st.fragment
def dated() -> None:
    day_col, prev_col, next_col = st.columns([8, 2, 2], vertical_alignment="bottom")
    with day_col:
        st.slider("Date", min_value=F.first, max_value=F.last, step=dt.timedelta(days=1),
                  format="YYYY-MM-DD", key="day")
    with prev_col:
        st.button("◀ Previous change", on_click=step, args=(-1,), width="stretch")
    with next_col:
        st.button("Next change ▶", on_click=step, args=(1,), width="stretch")
    day = S["day"]
    table, rows = T.periods[max(0, bisect.bisect_right(T.starts, day) - 1)]
    st.plotly_chart(view.map_figure_of(rows, day, None, T.shapes, T.markers), key="map",
                    on_select="rerun", selection_mode="points", width="stretch",
                    config={"topojsonURL": view.TOPOJSON_URL, "displayModeBar": False, "scrollZoom": False})
    st.dataframe(table, hide_index=True, width="stretch")


dated()
st.plotly_chart(view.timeline_figure_of(T.timeline, F), key="timeline", width="stretch",
                config={"displayModeBar": False})
