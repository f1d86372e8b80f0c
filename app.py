"""Streamlit dashboard: government stances on Huawei in 5G networks, as of a date.

Run with ``streamlit run app.py``. Two parts: the cached loader, then the page. What is
shown, and what each widget does, is worked out in ``stances.view`` (no Streamlit there);
this file only draws it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from stances import DataError, alliance_names, data_dir_from_env, load_dataset, view

HERE = Path(__file__).parent


@st.cache_resource(show_spinner="Loading and checking the data…", max_entries=4)
def load(data_dir: str, version: int):
    """The validated Dataset (or the DataError listing every problem) and the Tables derived
    from it, once per process and data version (view.data_version)."""
    try:
        return load_dataset(data_dir), view.Tables()
    except DataError as exc:
        return exc, None


def geometry():
    """The centre of every country shape in the served map file, and marker positions for the rest."""
    return (
        view.geometry_centres(HERE / "static" / "world_110m.json"),
        view.marker_positions(HERE / "data" / "geo" / "markers.csv"),
    )


# --- the page -------------------------------------------------------------------------

st.set_page_config(page_title="Huawei and 5G: government stances", page_icon="📡", layout="wide")

data_dir = data_dir_from_env(HERE / "data")
version = view.data_version(data_dir)
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
span = tables.get("span", today, lambda: view.timeframe(ds, today))
page = view.Page(st.session_state, ds, span, tables)
page.open(st.query_params.to_dict())


def draw_evidence(state: view.ViewState, query: dict[str, str]) -> None:
    """The evidence panel: the stance on the day, then every event with its quotes."""
    if not state.country:
        st.caption(
            "The evidence panel lists every recorded event of the chosen country with its verbatim quote and citation."
        )
        return
    # One block, not two elements per event (bench/README.md, "1,000 readers"): each card
    # folds its quotes' contexts, which the browser opens without a rerun.
    st.html(view.Html(page.evidence(state, query)))


def draw_search(query: str) -> None:
    """The events matching the sidebar's search, each with a button that opens its evidence."""
    hits = page.search(query)
    st.markdown(view.results_md(query, hits))
    if hits:
        with st.container(height=420 if len(hits) > 2 else "content", border=True):
            for hit in hits[: view.SHOWN_HITS]:
                st.html(view.hit_html(ds, hit))
                st.button(
                    "Open this event",
                    key=f"hit-{hit.event.id}",
                    on_click=page.open_event,
                    args=(hit.key, hit.event.id),
                    type="tertiary",
                )


@st.fragment
def dated_view(drawn_for: frozenset, version: int) -> None:
    """Everything that depends on the chosen day. A widget in here (the date, the steps,
    play, the map region and clicks, the record picker) reruns only this part; the
    timeline and the event log below stay as they are. ``drawn_for``: the countries they
    were drawn for; ``version``: the data version this page was drawn from."""
    page.take_pending()
    if page.data_changed(data_dir, version):
        st.rerun()  # a data file changed: load and draw everything again
    st.html(view.DAY_HEADING_HTML)  # the headings go h1, h2, h3 for screen readers
    st.slider(
        "Date", min_value=span.first, max_value=span.last, step=dt.timedelta(days=1), format="YYYY-MM-DD", key="day"
    )
    with st.container(horizontal=True, vertical_alignment="center"):  # wraps on a phone; no label is cut
        st.button(
            "◀ Previous change",
            on_click=page.step,
            args=(-1,),
            disabled=view.previous_change(span.changes, page.s["day"]) is None,
        )
        st.button(
            "Next change ▶",
            on_click=page.step,
            args=(1,),
            disabled=view.next_change(span.changes, page.s["day"]) is None,
        )
        st.toggle(
            "Play",
            key="playing",
            on_change=page.start_playing,
            help="Step through every day on which some government's stance changed.",
        )

    state = page.view()
    now, basis = page.snapshot(state)
    if now.keys != drawn_for:
        st.rerun()  # a filter shows other countries on this day: redraw the timeline too
    st.markdown(view.summary_md(state, now, span))
    comparison = page.comparison(state, now.keys)
    if comparison is not None:
        st.markdown(view.compare_md(comparison))
    elif page.s["start"] is not None:
        st.caption(f"Comparing with {page.s['start']} needs a later date: move the slider past it.")
    changed = {key: view.changed_hover(comparison, key) for key in comparison.net} if comparison else None

    if state.country or state.q or state.article:
        map_col, evidence_col = st.columns([5, 3], gap="large")
    else:  # nothing to show beside the map: the picker above it, the map across the page
        evidence_col, _ = st.columns([1, 1])
        map_col = st.container()
    with map_col:
        region = (
            st.segmented_control("Map region", list(view.REGIONS), key="region", label_visibility="collapsed")
            or "World"
        )
        the_map = view.map_figure_of(now.rows, state.day, state.country, shapes, markers, region, changed)
        st.plotly_chart(
            the_map,
            key="map",
            on_select=lambda: page.pick(st.session_state["map"]["selection"]["points"]),
            selection_mode="points",
            width="stretch",
            config={"topojsonURL": view.TOPOJSON_URL, "displayModeBar": False, "scrollZoom": False},
        )
        st.caption(view.MAP_CAPTION)
        # The downloads are drawn only while their popover is open (opening it reruns): four
        # buttons, their columns and deferred files on every date step, for the few readers
        # who download (bench/README.md, "1,000 readers").
        with st.popover("Download the map", key="map_downloads", on_change="rerun", icon=":material/download:") as pop:
            if pop.open:
                no_image = view.image_unavailable()  # no browser on this server to draw the picture with
                for fmt in view.IMAGE_TYPES:
                    picture = lambda fmt=fmt: view.map_image(the_map, ds, state, fmt, view.release_of(data_dir))
                    st.download_button(
                        f"Download the map ({fmt.upper()})",
                        b"" if no_image else picture,
                        file_name=view.image_file_name(state, region, fmt),
                        mime=view.IMAGE_TYPES[fmt],
                        help=no_image or "The map as shown, for print: with its date, filters, legend and source.",
                        on_click="ignore",
                        disabled=no_image is not None,
                        key=f"download_map_{fmt}",
                        width="stretch",
                    )
                if no_image:
                    st.caption(no_image)
        if comparison is not None:
            st.subheader(f"Changes from {comparison.start} to {comparison.day}")
            st.markdown(view.changes_md(comparison, state))
            st.download_button(
                f"Download the changes (CSV, {len(comparison.changes)} rows)",
                page.csv_of(
                    "changes_csv",
                    (comparison.start, comparison.day, now.keys),
                    lambda: view.changes_frame(list(comparison.changes)),
                ),
                file_name=view.file_name("changes", state),
                mime="text/csv",
                on_click="ignore",
                key="download_changes",
            )
        st.subheader("Snapshot")
        st.dataframe(now.table, hide_index=True, width="stretch")
        with st.popover(
            "Download the data (CSV)", key="data_downloads", on_change="rerun", icon=":material/download:"
        ) as pop:
            if pop.open:
                logged_rows, logged = page.event_log(state, now.keys)
                st.download_button(
                    f"Download this snapshot (CSV, {len(now.rows)} rows)",
                    page.csv_of("snapshot_csv", basis, now.frame),
                    file_name=view.file_name("snapshot", state),
                    mime="text/csv",
                    help="The table above: one row per country shown, as of this date.",
                    on_click="ignore",
                    key="download_snapshot",
                    width="stretch",
                )
                st.download_button(
                    f"Download the event log (CSV, {logged_rows} rows)",
                    page.csv_of("events_csv", logged, lambda: page.events_of(logged)),
                    file_name=view.file_name("events", state),
                    mime="text/csv",
                    help="Every event of the countries shown, with its quote and citation.",
                    on_click="ignore",
                    key="download_events",
                    width="stretch",
                )

    query = view.to_query(state)  # the page's link: kept in the reader's links, written back below
    with evidence_col:
        if state.q:
            draw_search(state.q)
        options, labels = page.picker()
        st.selectbox(
            "Evidence for",
            options,
            key="country",
            on_change=page.leave_event,
            index=None,
            format_func=labels.__getitem__,
            placeholder="Choose a country or organisation, or click the map",
        )
        if state.article:
            st.button("← Back to the evidence", on_click=page.close_article, key="close_article")
            with st.container(height=900, border=False):
                st.html(view.Html(page.reader(state.article, {k: v for k, v in query.items() if k != "article"})))
        else:
            panel = st.container(height=900, border=False) if state.country else st.container()
            with panel:
                draw_evidence(state, query)

    if page.s["bloc"]:  # the chosen alliance's members on the day; its chart is below the timeline
        st.html(view.members_html(page.alliance(page.s["bloc"]).history, state.day))

    if now.keys:  # the timeline, drawn below, with the slider's day marked on it
        st.subheader("Timeline")
        st.caption(view.TIMELINE_CAPTION)
        st.html(view.Html(view.day_marker_html(state.day, span, page.timeline(now.keys, state.all_levels).names)))

    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)

    if page.s["playing"]:
        page.play_on(state)
        st.rerun(scope="app" if page.in_full_run() else "fragment")  # a full run can only rerun whole


st.title("Huawei and 5G: where governments stand")
st.caption(
    "Which governments banned Huawei from their 5G networks, kept it out of the core only, "
    "put it under review, or allowed it — as of any date, with the quoted evidence for each."
)
for notice in page.notices():
    st.warning(notice.markdown(), icon="⚠️")

with st.sidebar:
    st.text_input(
        "Search the evidence",
        key="q",
        placeholder="e.g. Spark, NÚKIB, core",
        help="Quotes, summaries, actors and headlines; every word must occur; case and accents do not matter.",
    )
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
    st.header("Compare")
    st.date_input(
        "Compare with an earlier date",
        value=None,
        min_value=span.first,
        max_value=span.last,
        format="YYYY-MM-DD",
        key="start",
        help="Outline the countries whose stance changed between this date and the slider's, and list each change.",
    )
    if page.s["start"] is not None:
        st.button("Stop comparing", on_click=page.stop_comparing)

state = page.view()
shown = page.snapshot(state)[0].keys
page.begin_full_run()
try:
    dated_view(shown, version)
finally:  # from here on, the fragment's reruns are its own
    page.end_full_run()

if shown:  # its heading and the day's marker are the end of dated_view
    st.plotly_chart(
        view.timeline_figure_of(page.timeline(shown, state.all_levels), span),
        key="timeline",
        width="stretch",
        config={"displayModeBar": False},
    )
else:
    st.subheader("Timeline")
    st.info("No country matches the filters on this date.")

if page.s["bloc"]:  # an alliance's members over time; the same on every day, so outside dated_view
    st.subheader("Alliances")
    st.segmented_control("Alliance", alliance_names(ds), key="bloc", required=True, label_visibility="collapsed")
    bloc = page.alliance(page.s["bloc"])
    st.caption(view.ALLIANCE_CAPTION)
    st.plotly_chart(bloc.figure, key="alliance_chart", width="stretch", config={"displayModeBar": False})
    st.markdown(bloc.splits)

# Drawn only while open (opening it reruns the page): the log is the largest table on the
# page (3 MB of Arrow at 10,000 events), and a closed expander's content would be rebuilt
# and hashed on every rerun.
log_rows, log_key = page.event_log(state, shown)
with st.expander(
    f"Event log: every event of the countries shown, with citations ({log_rows} rows)",
    key="event_log_open",
    on_change="rerun",
) as log:
    if log.open:
        st.dataframe(page.events_of(log_key), hide_index=True, width="stretch")
with st.expander("Method"):
    st.markdown(view.METHOD_MD)
