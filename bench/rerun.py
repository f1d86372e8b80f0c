"""Server-side rerun after a date change, app.py against the floor, in-process (Streamlit's AppTest).

    .venv/bin/python bench/rerun.py [--sizes real 10k] [--repeats 25] [--profile PAGE]

For each data set, one AppTest session of app.py, of bench/floor_app.py and of
bench/floor_map_app.py is started (first run not timed: it loads the data). Then, repeat by
repeat, every session of every data set is rerun in turn (the order reversed every other
repeat): each sets the date slider (key "day") to a new day (distinct random days between
the first event and the last change, the same for the three pages of a data set) and reruns.

A date change reruns what it reruns in the browser: the page's fragment holding the date
slider (app.py and the floor draw everything that depends on the day in one `st.fragment`;
the timeline and the event log stay as drawn), or the whole page if it has no fragment (the
map-only floor). AppTest itself always reruns the whole page, so the rerun is asked for
with the fragment's id, as Streamlit's server does for a widget inside a fragment.
`--scope full` reruns the whole page instead (what a filter change costs).

Timed per rerun:
- server: the page script, plus encoding its messages as the server does before sending
  them (a hash of each message, then its serialisation), without AppTest's own work;
- run(): the wall time of AppTest's run(), which adds starting a script thread and turning
  every message back into an element tree (Arrow tables into DataFrames): a harness cost.
Printed: medians and their ratio to the floor's; with more than one data set, each page's
rerun against its own on the first data set (bench/scaling.py); and the bytes each rerun
produces: every plotly spec (the figure JSON) and all the messages of the rerun together
(before Streamlit's cache of repeated large messages; bench/browser.py counts the bytes that
cross the websocket).

--profile PAGE prints cProfile's top functions over PAGE's timed reruns (app, floor, floor_map).

`--pages app app_no_marker floor` adds app.py without the timeline's day marker, side by side:
what the marker costs a date change.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

from _streamlit_private import (  # noqa: E402
    RerunData,
    fragment_ids,
    local_script_runner,
    populate_hash_if_needed,
    script_runner,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from stances import load_dataset, view  # noqa: E402

from _common import APP, BENCH, data_dir, machine, median, print_table, ratio  # noqa: E402

PAGES = {
    "app": APP,
    "app_no_marker": APP,  # app.py with the timeline's day marker left empty (see _marker_for)
    "floor": BENCH / "floor_app.py",
    "floor_map": BENCH / "floor_map_app.py",
}
_day_marker_html = view.day_marker_html


def _marker_for(page: str) -> None:
    """app_no_marker: the page without the day's marker on the timeline (an empty element in
    its place), to measure what the marker costs a date change."""
    view.day_marker_html = (lambda *args: "<div></div>") if page == "app_no_marker" else _day_marker_html


_inside: list[float] = []  # seconds inside the page script, this run
_profile: dict = {"page": None, "current": None, "prof": None}
_original_exec = script_runner.exec_func_with_error_handling


def _timed_exec(func, ctx):
    prof = _profile["prof"] if _profile["current"] == _profile["page"] else None
    start = time.perf_counter()
    if prof:
        prof.enable()
    try:
        return _original_exec(func, ctx)
    finally:
        if prof:
            prof.disable()
        _inside.append(time.perf_counter() - start)


script_runner.exec_func_with_error_handling = _timed_exec

_messages: list = []  # the ForwardMsgs of the last run
_original_run = local_script_runner.LocalScriptRunner.run


def _recording_run(self, *args, **kwargs):
    try:
        return _original_run(self, *args, **kwargs)
    finally:
        _messages[:] = list(self.forward_msgs())


local_script_runner.LocalScriptRunner.run = _recording_run

_fragments: list[str] = []  # the fragment ids the next run reruns (none: the whole page)


def _rerun_data(**kwargs) -> RerunData:
    return RerunData(**kwargs, fragment_id_queue=list(_fragments))


local_script_runner.RerunData = _rerun_data


def encode_seconds(messages) -> float:
    """What the server does with each message of a run before it goes out: hash it, then
    serialise it (copies made outside the timing)."""
    copies = []
    for msg in messages:
        copy = ForwardMsg()
        copy.CopyFrom(msg)
        copies.append(copy)
    start = time.perf_counter()
    for msg in copies:
        populate_hash_if_needed(msg)
        msg.SerializeToString()
    return time.perf_counter() - start


def days_for(data: Path, n: int, seed: int = 1) -> list[dt.date]:
    frame = view.timeframe(load_dataset(data))
    last = frame.changes[-1] if frame.changes else frame.last
    span = (last - frame.first).days
    picks = random.Random(seed).sample(range(1, span + 1), min(n, span))
    return [frame.first + dt.timedelta(days=d) for d in picks]


def start(page: str, data: Path) -> AppTest:
    os.environ["STANCES_DATA_DIR"] = str(data)
    _marker_for(page)
    at = AppTest.from_file(str(PAGES[page]), default_timeout=1800)
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return at


def rerun(page: str, at: AppTest, data: Path, day: dt.date, full: bool = False) -> tuple[float, float]:
    """(server seconds, AppTest run() seconds) of one date change: a rerun of the page's
    fragments (the fragment ids AppTest has stored) or, if it has none or ``full``, the page."""
    os.environ["STANCES_DATA_DIR"] = str(data)
    _inside.clear()
    _profile["current"] = page
    _marker_for(page)
    _fragments[:] = [] if full else fragment_ids(at)
    t0 = time.perf_counter()
    try:
        at.slider(key="day").set_value(day).run()
    finally:
        _fragments.clear()
    wall = time.perf_counter() - t0
    _profile["current"] = None
    if at.exception:
        raise RuntimeError([e.value for e in at.exception])
    return sum(_inside) + encode_seconds(_messages), wall


def payload(at: AppTest) -> dict[str, int]:
    specs = {("map" if "map" in e.proto.id else "timeline"): len(e.proto.spec.encode()) for e in at.get("plotly_chart")}
    return {**specs, "all messages": sum(m.ByteSize() for m in _messages)}


def measure(labels: list[str], pages: list[str], repeats: int, full: bool = False) -> dict:
    datas = {label: data_dir(label) for label in labels}
    sessions = {}
    for label in labels:
        for page in pages:
            print(f"[starting {page} on {label}]", file=sys.stderr, flush=True)
            sessions[label, page] = start(page, datas[label])
    days = {label: days_for(datas[label], repeats) for label in labels}
    server = {k: [] for k in sessions}
    wall = {k: [] for k in sessions}
    sizes = {}
    n = min(len(d) for d in days.values())
    for i in range(n):
        order = list(sessions) if i % 2 == 0 else list(reversed(sessions))
        for label, page in order:
            s, w = rerun(page, sessions[label, page], datas[label], days[label][i], full)
            server[label, page].append(s)
            wall[label, page].append(w)
            sizes[label, page] = payload(sessions[label, page])
    return {
        "server": {k: median(v) * 1000 for k, v in server.items()},
        "wall": {k: median(v) * 1000 for k, v in wall.items()},
        "sizes": sizes,
        "n": n,
    }


def report(r: dict, labels: list[str], pages: list[str]) -> None:
    s, w = r["server"], r["wall"]
    rows = []
    for label in labels:
        row = [label, r["n"]]
        for page in pages:
            row.append(f"{s[label, page]:.1f}")
        if "floor" in pages:
            row.append(ratio(s[label, "app"], s[label, "floor"]))
            if "app_no_marker" in pages:
                row.append(ratio(s[label, "app_no_marker"], s[label, "floor"]))
        for page in pages:
            row.append(f"{w[label, page]:.1f}")
        if "floor" in pages:
            row.append(ratio(w[label, "app"], w[label, "floor"]))
        rows.append(row)
    header = ["data", "reruns", *[f"{p} server" for p in pages]]
    header += ["app / floor (server)"] if "floor" in pages else []
    header += ["no marker / floor (server)"] if {"floor", "app_no_marker"} <= set(pages) else []
    header += [f"{p} run()" for p in pages]
    header += ["app / floor (run())"] if "floor" in pages else []
    print_table(
        "Rerun after a date change, medians in ms (server: script + message encoding; run(): AppTest's wall time)",
        header,
        rows,
    )
    if len(labels) > 1:
        base = labels[0]
        rows = []
        for label in labels:
            rows.append([label, *[f"{s[label, p]:.1f} ({ratio(s[label, p], s[base, p])})" for p in pages]])
        print_table(
            f"How the server-side rerun grows, median ms (and against {base}, same run)", ["data", *pages], rows
        )
    rows = []
    for label in labels:
        for page in pages:
            size = r["sizes"][label, page]
            rows.append([label, page, size.get("map", "-"), size.get("timeline", "-"), size["all messages"]])
    print_table(
        "Bytes produced per rerun (plotly spec JSON; all messages, before Streamlit's "
        "cache of repeated large messages)",
        ["data", "page", "map spec", "timeline spec", "all messages"],
        rows,
    )


def main(default_sizes=("real", "10k"), default_pages=("app", "floor", "floor_map"), argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=list(default_sizes), help="real, 1k, 10k, 100k")
    parser.add_argument("--pages", nargs="+", default=list(default_pages), choices=list(PAGES))
    parser.add_argument("--repeats", type=int, default=25, help="date changes per page (default 25)")
    parser.add_argument("--profile", choices=list(PAGES), help="cProfile this page's timed reruns")
    parser.add_argument(
        "--scope",
        choices=["dated", "full"],
        default="dated",
        help="rerun the part a date change reruns (default) or the whole page",
    )
    args = parser.parse_args(argv)
    pages = [p for p in PAGES if p in args.pages]
    print(f"machine: {machine()}; {dt.datetime.now():%Y-%m-%d %H:%M}")
    if args.profile:
        _profile.update(page=args.profile, prof=cProfile.Profile())
    print(f"rerun scope: {args.scope}")
    r = measure(args.sizes, pages, args.repeats, args.scope == "full")
    if args.profile:
        out = io.StringIO()
        pstats.Stats(_profile["prof"], stream=out).sort_stats("cumulative").print_stats(
            os.environ.get("BENCH_PROFILE_FILTER", ""), 50
        )
        print(out.getvalue())
    report(r, args.sizes, pages)


if __name__ == "__main__":
    main()
