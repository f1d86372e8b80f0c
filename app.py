"""Streamlit dashboard: government stances on Huawei in 5G networks, as of a date.

Run with ``streamlit run app.py``. Two parts: cached loaders, then the page. What is shown
is worked out in ``stances.view`` (no Streamlit there); this file only draws it.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import streamlit as st

from stances import DataError, alliance_names, data_dir_from_env, load_dataset, to_csv, view
from stances.export import events_frame

HERE = Path(__file__).parent


# --- cached loaders: once per process (and again only when a data file changes) -------
# The tables the page draws from are made once per data version and kept in the view.Memo
# returned with the Dataset, except the snapshot of an as-of period not seen before.


@st.cache_resource(show_spinner="Loading and checking the data…", max_entries=4)
def load(data_dir: str, version: int):
    """The validated Dataset (or the DataError listing every problem) and a view.Memo for
    the tables derived from it. ``version``: the hash of the data fingerprint (Streamlit
    would take 5 ms a rerun to hash the fingerprint of 250 files itself)."""
    try:
        memo = view.Memo(
            geometry=1,
            frame=2,
            picker=1,
            index=1,
            snapshot=64,
            snapshot_csv=8,
            timeline=4,
            event_keys=4,
            events=4,
            events_csv=4,
        )
        return load_dataset(data_dir), memo
    except DataError as exc:
        return exc, None


def picker_of(ds) -> tuple[list[str], dict[str, str]]:
    """The record picker's keys, in order, and their labels."""
    options = view.record_options(ds)
    return options, {key: view.record_label(ds, key) for key in options}


def geometry():
    """The centre of every country shape in the served map file, and marker positions for the rest."""
    return (
        view.geometry_centres(HERE / "static" / "world_110m.json"),
        view.marker_positions(HERE / "data" / "geo" / "markers.csv"),
    )


# --- the page -------------------------------------------------------------------------

st.set_page_config(page_title="Huawei and 5G: government stances", page_icon="📡", layout="wide")

data_dir = data_dir_from_env(HERE / "data")
version = hash(view.data_fingerprint(data_dir))
loaded, tables = load(str(data_dir), version)
if isinstance(loaded, DataError):
    st.title("Huawei and 5G: government stances")
    problems = "\n".join(str(p) for p in loaded.problems)
    st.error(
        f"The data does not validate: {len(loaded.problems)} problem(s), each as "
        f"`file:line: message`. Fix them and reload the page.\n\n"
        + view.md_code_block(f"data folder: {data_dir}\n{problems}")
    )
    st.stop()
ds = loaded
shapes, markers = tables.get("geometry", None, geometry)
today = dt.date.today()
frame = tables.get("frame", today, lambda: view.timeframe(ds, today))
S = st.session_state

if "day" not in S:  # a new session: open the view the URL asks for
    wanted, S["notices"] = view.parse_query(st.query_params.to_dict(), ds, frame)
    S.update(
        day=wanted.day,
        alliances=list(wanted.alliances),
        stances=list(wanted.stances),
        all_levels=wanted.all_levels,
        country=wanted.country,
        playing=False,
        region="World",
    )
for name, value in S.pop("pending", {}).items():  # set by the play loop of the last run
    S[name] = value
# Keep the widgets' values valid if the data changed under a running session.
S["day"] = min(max(S["day"], frame.first), frame.last)
S["alliances"] = [a for a in S["alliances"] if a in alliance_names(ds)]
if S["country"] not in ds.records:
    S["country"] = None


def current_state() -> view.ViewState:
    return view.ViewState(
        day=S["day"],
        alliances=tuple(S["alliances"]),
        stances=tuple(c for c in view.CATEGORIES if c in S["stances"]),
        all_levels=S["all_levels"],
        country=S["country"],
    )


def snapshot_for(state: view.ViewState) -> tuple[view.Shown, tuple]:
    """The snapshot of ``state``, made once per as-of period (see view.as_of_basis), and its key."""
    basis = (view.as_of_basis(frame, state), state.alliances, state.stances)
    index = tables.get("index", None, lambda: view.SnapshotTables(ds))
    same = view.ViewState(day=basis[0], alliances=state.alliances, stances=state.stances)
    return tables.get("snapshot", basis, lambda: index.shown(ds, same)), basis


def events_for(state: view.ViewState, countries: frozenset):
    """The event log of ``countries`` (those shown in ``state``), and its key."""
    filtered = bool(state.alliances or state.stances)
    keys = tables.get("event_keys", (countries, filtered), lambda: view.event_keys(ds, state, countries))
    logged = (keys, view.export_levels(state))
    return tables.get("events", logged, lambda: events_frame(ds, *logged)), logged


def csv_of(kind: str, key, make_frame):
    """A download's data: made when the button is clicked, not on every rerun."""
    return lambda: tables.get(kind, key, lambda: to_csv(make_frame()))


def step(direction: int) -> None:
    find = view.next_change if direction > 0 else view.previous_change
    target = find(frame.changes, S["day"])
    if target is not None:
        S["day"] = target


def start_playing() -> None:
    if S["playing"] and frame.changes and view.next_change(frame.changes, S["day"]) is None:
        S["day"] = frame.changes[0]  # at the end: play from the first change


def pick_from_map() -> None:
    for point in S["map"]["selection"]["points"]:
        key = view.key_from_point(point)
        if key in ds.records:
            S["country"] = key
            return


def draw_evidence(state) -> None:
    """The evidence panel: the stance on the day, then every event with its quotes."""
    if not state.country:
        st.caption(
            "The evidence panel lists every recorded event of the chosen country with its verbatim quote and citation."
        )
        return
    found = view.evidence(ds, state.country, state)
    st.html(view.current_html(found, state.day))
    if found.hidden:
        st.caption(
            f"{found.hidden} agency or operator action(s) hidden: turn on "
            "“List agency and operator actions” to see them."
        )
    if not found.earlier:
        st.caption(f"No recorded event on or before {state.day.isoformat()}.")
    for item in found.earlier:
        draw_event(item)
    if found.later:
        st.markdown(f"#### Later — after {state.day.isoformat()}")
        for item in found.later:
            draw_event(item)


def draw_event(item) -> None:
    st.html(view.event_html(item))
    for i, citation in enumerate(item.citations, start=1):
        label = "Read the article around the quote"
        if len(item.citations) > 1:
            label += f" ({i} of {len(item.citations)})"
        with st.expander(label):
            st.html(view.context_html(view.quote_context(ds, citation)))


@st.fragment
def dated_view(drawn_for: frozenset, version: int) -> None:
    """Everything that depends on the chosen day. A widget in here (the date, the steps,
    play, the map region and clicks, the record picker) reruns only this part; the
    timeline and the event log below stay as they are. ``drawn_for``: the countries they
    were drawn for; ``version``: the data version this page was drawn from (the data files
    are checked again at most every DATA_RECHECK_SECONDS: a slider drag reruns this part
    many times a second, and statting 250 files costs more than the rest of it)."""
    for name, value in S.pop("pending", {}).items():  # set by the play loop of the last run
        S[name] = value
    if not S["full_run"] and time.monotonic() - S["data_checked"] > view.DATA_RECHECK_SECONDS:
        S["data_checked"] = time.monotonic()
        if hash(view.data_fingerprint(data_dir)) != version:
            st.rerun()  # a data file changed: load and draw everything again
    day_col, prev_col, next_col, play_col = st.columns([8, 2, 2, 1.4], vertical_alignment="bottom")
    with day_col:
        st.slider(
            "Date",
            min_value=frame.first,
            max_value=frame.last,
            step=dt.timedelta(days=1),
            format="YYYY-MM-DD",
            key="day",
        )
    with prev_col:
        st.button(
            "◀ Previous change",
            on_click=step,
            args=(-1,),
            width="stretch",
            disabled=view.previous_change(frame.changes, S["day"]) is None,
        )
    with next_col:
        st.button(
            "Next change ▶",
            on_click=step,
            args=(1,),
            width="stretch",
            disabled=view.next_change(frame.changes, S["day"]) is None,
        )
    with play_col:
        st.toggle(
            "Play",
            key="playing",
            on_change=start_playing,
            help="Step through every day on which some government's stance changed.",
        )

    state = current_state()
    now, basis = snapshot_for(state)
    if now.keys != drawn_for:
        st.rerun()  # a filter shows other countries on this day: redraw the timeline too
    st.markdown(
        f"**As of {state.day.isoformat()}** ({len(now.rows)} countries shown): "
        + " · ".join(f"{n} {label}" for label, n in now.tally.items())
        + (
            f"  \nEvidence up to **{frame.horizon.isoformat()}**, the date of the latest article: "
            "the map shows nothing after it."
            if frame.horizon
            else "  \nNo article is dated."
        )
    )

    map_col, evidence_col = st.columns([5, 3], gap="large")
    with map_col:
        region = (
            st.segmented_control("Map region", list(view.REGIONS), key="region", label_visibility="collapsed")
            or "World"
        )
        st.plotly_chart(
            view.map_figure_of(now.rows, state.day, state.country, shapes, markers, region),
            key="map",
            on_select=pick_from_map,
            selection_mode="points",
            width="stretch",
            config={"topojsonURL": view.TOPOJSON_URL, "displayModeBar": False, "scrollZoom": False},
        )
        st.caption(
            "Click a country, or the circle of a small country, to see its evidence. "
            "Colour: the government's stance on Huawei in its 5G networks. Purple: no 5G "
            "stance, but a restriction of narrower scope (government purchases, one "
            "network). Grey: a record but no 5G position on this date; plain: no record. "
            f"Faded: the last report on the position is over {view.STALE_DAYS} days "
            "old on this date. ?: reported, not confirmed, or low confidence."
        )
        st.subheader("Snapshot")
        st.dataframe(now.table, hide_index=True, width="stretch")
        events, logged = events_for(state, now.keys)
        snap_col, log_col = st.columns(2)
        with snap_col:
            st.download_button(
                f"Download this snapshot (CSV, {len(now.rows)} rows)",
                csv_of("snapshot_csv", basis, now.frame),
                file_name=view.file_name("snapshot", state),
                mime="text/csv",
                help="The table above: one row per country shown, as of this date.",
                on_click="ignore",
                key="download_snapshot",
                width="stretch",
            )
        with log_col:
            st.download_button(
                f"Download the event log (CSV, {len(events)} rows)",
                csv_of("events_csv", logged, lambda: events),
                file_name=view.file_name("events", state),
                mime="text/csv",
                help="Every event of the countries shown, with its quote and citation.",
                on_click="ignore",
                key="download_events",
                width="stretch",
            )

    with evidence_col:
        options, labels = tables.get("picker", None, lambda: picker_of(ds))
        st.selectbox(
            "Evidence for",
            options,
            key="country",
            index=None,
            format_func=labels.__getitem__,
            placeholder="Choose a country or organisation, or click the map",
        )
        panel = st.container(height=900, border=False) if state.country else st.container()
        with panel:
            draw_evidence(state)

    query = view.to_query(state)
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)

    if S["playing"]:
        time.sleep(view.PLAY_SECONDS)
        target = view.next_change(frame.changes, state.day)
        S["pending"] = {"day": target} if target else {"playing": False}
        # Within a full run only the whole page can be rerun.
        st.rerun(scope="app" if S["full_run"] else "fragment")


st.title("Huawei and 5G: where governments stand")
st.caption(
    "Which governments banned Huawei from their 5G networks, kept it out of the core only, "
    "put it under review, or allowed it — as of any date, with the quoted evidence for each."
)
for notice in S.pop("notices", []):
    st.warning(notice.markdown(), icon="⚠️")

with st.sidebar:
    st.header("Filters")
    st.multiselect(
        "Alliance (members on the chosen date)",
        alliance_names(ds),
        key="alliances",
        placeholder="All countries",
        help="Keep countries that were members of any chosen alliance on the chosen date.",
    )
    st.multiselect("5G stance", view.CATEGORIES, key="stances", placeholder="All stances")
    st.toggle(
        "List agency and operator actions",
        key="all_levels",
        help="Show regulators', security agencies' and telecoms operators' actions beside "
        "government decisions (in the evidence, the timeline and the event log). "
        "They never change a country's colour.",
    )
    st.caption("The filters apply to the map, the timeline, the table and the downloads.")

state = current_state()
shown = snapshot_for(state)[0].keys
S.update(full_run=True, data_checked=time.monotonic())
try:
    dated_view(shown, version)
finally:  # from here on, the fragment's reruns are its own
    S["full_run"] = False

st.subheader("Timeline")
st.caption(
    "Each row is a country's government stance on Huawei in its 5G networks over time (purple: "
    "restricted outside 5G only; hatched: reported, not confirmed, or low confidence; "
    f"faded: over {view.STALE_DAYS} days after the last report). Hover over a band for its dates; "
    "drag across the chart to zoom in on a period, double-click to zoom out."
)
if shown:
    drawn = (shown, frame.last, state.all_levels)
    bands = tables.get("timeline", drawn, lambda: view.timeline_data(ds, *drawn))
    st.plotly_chart(
        view.timeline_figure_of(bands, frame), key="timeline", width="stretch", config={"displayModeBar": False}
    )
else:
    st.info("No country matches the filters on this date.")

# Drawn only while open (opening it reruns the page): the log is the largest table on the
# page (3 MB of Arrow at 10,000 events), and a closed expander's content would be rebuilt
# and hashed on every rerun.
events = events_for(state, shown)[0]
with st.expander(
    f"Event log: every event of the countries shown, with citations ({len(events)} rows)",
    key="event_log_open",
    on_change="rerun",
) as log:
    if log.open:
        st.dataframe(events, hide_index=True, width="stretch")
with st.expander("Method"):
    st.markdown(view.METHOD_MD)
