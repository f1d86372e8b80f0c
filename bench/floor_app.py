"""The floor: what the dashboard's own stack (Streamlit + plotly + pandas) costs to draw the
same page elements, with nothing else done per rerun.

It draws every element app.py draws, for the view without filters, split the same way: in a
fragment (what a date change reruns) the date slider, the step buttons and the play toggle,
the summary line, the map region control, the same map figure (one go.Choropleth of the
countries with a shape, drawn from the served world_110m.json through topojsonURL
"app/static/", a go.Scattergeo of the small countries and the legend entries), the snapshot
table, the two download popovers (closed) and the record picker; outside it, the sidebar filters, the
same timeline figure and the event log and method expanders. It uses the dashboard's own
figure functions (stances.view.map_figure_of and timeline_figure_of). Every table behind
them is computed ONCE per process, for every as-of period (from one change day to the next),
when the first session starts; a rerun only picks the period of the chosen day by bisection
and builds the figures from it. No loading, validation, as-of resolution or filtering
happens per rerun. What app.py costs beyond this is its own work per rerun: the data
fingerprint, the snapshot of the chosen day (made once per as-of period and kept), the
filters, the evidence panel, the URL.

Run it as the benchmarks do, from a folder holding a copy of static/ and .streamlit/ (see
bench/_common.py: staged()), with STANCES_DATA_DIR and STANCES_BENCH_ROOT set.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(os.environ.get("STANCES_BENCH_ROOT") or Path(__file__).resolve().parent.parent)

import streamlit as st  # noqa: E402

from stances import (  # noqa: E402
    alliance_names,
    data_dir_from_env,
    events_frame,
    load_dataset,
    to_csv,
    view,
)


@dataclass
class Tables:
    frame: view.Timeframe
    starts: list  # the first day of every as-of period: the first day, then each change day
    periods: list  # per period: (the snapshot table, its rows, its summary line, its CSV text)
    timeline: view.TimelineData
    events: object  # the event log table
    events_csv: str
    options: list  # the record picker's keys, and their labels
    labels: dict
    alliances: list
    shapes: frozenset
    markers: dict
    alliance: object  # the Five Eyes over time (view.alliance_history), as the app's default


@st.cache_resource(show_spinner=False)
def tables(data_dir: str) -> Tables:
    """Computed once per process, with the package's own functions."""
    ds = load_dataset(data_dir)
    frame = view.timeframe(ds)
    starts = [frame.first, *[c for c in frame.breaks if c > frame.first]]
    index = view.SnapshotTables(ds)
    periods = []
    for start in starts:
        now = index.shown(ds, view.ViewState(day=start))
        summary = " · ".join(f"{n} {label}" for label, n in now.tally.items())
        periods.append((now.table, now.rows, summary, to_csv(now.frame())))
    events = events_frame(ds)
    options = view.record_options(ds)
    return Tables(
        frame,
        starts,
        periods,
        view.timeline_data(ds, set(ds.countries), frame.last),
        events,
        to_csv(events),
        options,
        {k: view.record_label(ds, k) for k in options},
        alliance_names(ds),
        view.geometry_centres(ROOT / "static" / "world_110m.json"),
        view.marker_positions(ROOT / "data" / "geo" / "markers.csv"),
        view.alliance_history(ds, alliance_names(ds)[0], frame.first, frame.last),
    )


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
st.caption("The dashboard's elements, drawn from tables computed once.")
with st.sidebar:
    st.header("Filters")
    st.multiselect("Alliance", T.alliances, key="alliances")
    st.multiselect("5G stance", view.CATEGORIES, key="stances")
    st.toggle("List agency and operator actions", value=True, key="all_levels")
    st.caption("Not applied: the floor draws the view without filters.")


@st.fragment
def dated() -> None:
    st.html(view.DAY_HEADING_HTML)
    st.slider("Date", min_value=F.first, max_value=F.last, step=dt.timedelta(days=1), format="YYYY-MM-DD", key="day")
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button("◀ Previous change", on_click=step, args=(-1,))
        st.button("Next change ▶", on_click=step, args=(1,))
        st.toggle("Play", key="playing")
    day = S["day"]
    table, rows, summary, csv_text = T.periods[max(0, bisect.bisect_right(T.starts, day) - 1)]
    st.markdown(f"**As of {day.isoformat()}** ({len(rows)} countries shown): {summary}")
    evidence_col, _ = st.columns([1, 1])
    map_col = st.container()
    with map_col:
        st.segmented_control(
            "Map region", list(view.REGIONS), default="World", key="region", label_visibility="collapsed"
        )
        st.plotly_chart(
            view.map_figure_of(rows, day, None, T.shapes, T.markers),
            key="map",
            on_select="rerun",
            selection_mode="points",
            width="stretch",
            config={"topojsonURL": view.TOPOJSON_URL, "displayModeBar": False, "scrollZoom": False},
        )
        st.caption("Click a country to see its evidence.")
        with st.popover("Download the map", key="map_downloads", on_change="rerun", icon=":material/download:") as pop:
            if pop.open:
                for fmt in ("png", "svg"):
                    st.download_button(
                        f"Download the map ({fmt.upper()})",
                        lambda: b"",
                        file_name=f"map_{day.isoformat()}.{fmt}",
                        on_click="ignore",
                        key=f"download_map_{fmt}",
                        width="stretch",
                    )
        st.subheader("Snapshot")
        st.dataframe(table, hide_index=True, width="stretch")
        with st.popover(
            "Download the data (CSV)", key="data_downloads", on_change="rerun", icon=":material/download:"
        ) as pop:
            if pop.open:
                st.download_button(
                    f"Download this snapshot (CSV, {len(rows)} rows)",
                    lambda: csv_text,
                    file_name=f"snapshot_{day.isoformat()}.csv",
                    mime="text/csv",
                    on_click="ignore",
                    key="download_snapshot",
                    width="stretch",
                )
                st.download_button(
                    f"Download the event log (CSV, {len(T.events)} rows)",
                    lambda: T.events_csv,
                    file_name=f"events_{day.isoformat()}.csv",
                    mime="text/csv",
                    on_click="ignore",
                    key="download_events",
                    width="stretch",
                )
    with evidence_col:
        st.selectbox(
            "Evidence for",
            T.options,
            key="country",
            index=None,
            format_func=T.labels.__getitem__,
            placeholder="Choose a country",
        )
        st.container().caption("The evidence panel lists every recorded event of the chosen country.")
    st.html(view.members_html(T.alliance, day))
    st.subheader("Timeline")
    st.caption("Each row is a country's government stance over time.")
    st.html(view.Html(view.day_marker_html(day, F, T.timeline.names)))
    if st.query_params.get("date") != day.isoformat():
        st.query_params["date"] = day.isoformat()


dated()
st.plotly_chart(
    view.timeline_figure_of(T.timeline, F), key="timeline", width="stretch", config={"displayModeBar": False}
)
chart = view.alliance_figure(T.alliance, F)
st.subheader("Alliances")
st.plotly_chart(chart, key="alliance_chart", width="stretch", config={"displayModeBar": False})
with st.expander(f"Event log ({len(T.events)} rows)", key="event_log_open", on_change="rerun") as log:
    if log.open:
        st.dataframe(T.events, hide_index=True, width="stretch")
with st.expander("Method"):
    st.markdown(view.METHOD_MD)
