"""The lower floor: the date slider, the two step buttons and the map's one go.Choropleth
alone (the served world_110m.json through topojsonURL "app/static/"), from lists computed once
per process for every as-of period. No scattergeo, legend, timeline or table.

Run it staged like floor_app.py (bench/_common.py: staged()).
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from pathlib import Path

ROOT = Path(os.environ.get("STANCES_BENCH_ROOT") or Path(__file__).resolve().parent.parent)

import streamlit as st  # noqa: E402

from stances import data_dir_from_env, load_dataset, snapshot_frame, view  # noqa: E402
from stances.snapshot import category_of  # noqa: E402


@st.cache_resource(show_spinner=False)
def tables(data_dir: str):
    """(first, last, default, changes, period starts, [(locations, z, hover rows)]), once."""
    ds = load_dataset(data_dir)
    frame = view.timeframe(ds)
    shapes = view.geometry_ids(ROOT / "static" / "world_110m.json")
    starts = [frame.first, *[c for c in frame.breaks if c > frame.first]]
    periods = []
    for start in starts:
        rows = [r for r in snapshot_frame(ds, start).to_dict("records") if r["iso3"] in shapes]
        periods.append(([r["iso3"] for r in rows], [view.code_of(category_of(r)) for r in rows], rows))
    return frame.first, frame.last, frame.default, frame.changes, starts, periods


st.set_page_config(page_title="Floor: map", layout="wide")
FIRST, LAST, DEFAULT, CHANGES, STARTS, PERIODS = tables(str(data_dir_from_env(ROOT / "data")))
S = st.session_state
if "day" not in S:
    try:
        S["day"] = min(max(dt.date.fromisoformat(st.query_params.get("date", "")), FIRST), LAST)
    except ValueError:
        S["day"] = DEFAULT


def step(direction: int) -> None:
    at = bisect.bisect_right(CHANGES, S["day"]) if direction > 0 else bisect.bisect_left(CHANGES, S["day"]) - 1
    if 0 <= at < len(CHANGES):
        S["day"] = CHANGES[at]


st.title("Floor: the map alone")
day_col, prev_col, next_col = st.columns([8, 2, 2], vertical_alignment="bottom")
with day_col:
    st.slider("Date", min_value=FIRST, max_value=LAST, step=dt.timedelta(days=1), format="YYYY-MM-DD", key="day")
with prev_col:
    st.button("◀ Previous change", on_click=step, args=(-1,), width="stretch")
with next_col:
    st.button("Next change ▶", on_click=step, args=(1,), width="stretch")
day = S["day"]
locations, z, rows = PERIODS[max(0, bisect.bisect_right(STARTS, day) - 1)]
n = 2 * len(view.CATEGORIES)
fig = view.unchecked_figure(
    [
        dict(
            type="choropleth",
            locations=locations,
            locationmode="ISO-3",
            z=z,
            text=[view.hover_text(r, day) for r in rows],
            hoverinfo="text",
            customdata=locations,
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=view.stepped_colourscale(),
            showscale=False,
            marker=dict(line=dict(color="white", width=0.6)),
            name="countries",
            showlegend=False,
        )
    ],
    layout=dict(geo=view.geo_layout("World"), margin=dict(l=0, r=0, t=0, b=0), height=370, dragmode=False),
)
st.plotly_chart(
    fig,
    key="map",
    width="stretch",
    config={"topojsonURL": view.TOPOJSON_URL, "displayModeBar": False, "scrollZoom": False},
)
