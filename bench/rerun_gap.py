"""Where a run's time goes inside the real server: cProfile of the page script in a
`streamlit run` process, by kind of run, against the time a reader waits for it.

    .venv/bin/python bench/rerun_gap.py [--sessions 8] [--reruns 10] [--data DIR] [--worktree]

Starts app.py (from a copy of the last commit, as bench/capacity.py does; with the file
watcher off, as scripts/serve's replicas, unless --watcher auto) through this file
with --serve, which patches the server before Streamlit starts: every script run is timed and
profiled (cProfile, in the script's own thread), grouped as a session's first run, a rerun of
the whole page, or a rerun of the date fragment; the serialisation of every ForwardMsg for the
websocket (in the server's event loop) is timed too. Then one protocol client
(bench/_protocol.py) opens --sessions sessions one after another, each followed by --reruns
alliance changes (whole page) and --reruns date steps (fragment). SIGUSR1 asks the server to
write what it measured; the script prints the medians and where the profiled time went, by
library.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import json
import os
import pstats
import signal
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

KINDS = ("first run", "whole page", "fragment")
# Where profiled time is charged: the first group whose test matches a function's file.
GROUPS = (
    ("deep copies (copy.deepcopy)", ("/copy.py",)),
    ("waking the event loop for each message", ("/asyncio/", "'send' of '_socket")),
    ("the page (stances, app.py)", ("/stances/", "app.py")),
    ("plotly (figure to JSON)", ("/plotly/", "/_plotly_utils/")),
    ("pandas and pyarrow", ("/pandas/", "/pyarrow/")),
    ("Streamlit: elements (marshalling)", ("/streamlit/elements/", "/streamlit/dataframe_util")),
    ("Streamlit: session state and widgets", ("/streamlit/runtime/state/",)),
    ("Streamlit: fragments", ("fragment",)),
    ("Streamlit: messages (hash, queue)", ("forward_msg", "script_run_context", "/streamlit/proto/")),
    ("Streamlit: other", ("/streamlit/",)),
    ("JSON", ("/json/",)),
)


# --- the server side (--serve) ---------------------------------------------------------------


def serve(argv: list[str]) -> int:
    """`streamlit run $STANCES_PROFILE_APP ARGV` with every run timed and profiled."""
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web import cli
    from streamlit.web.server.starlette import starlette_websocket

    out = Path(os.environ["STANCES_PROFILE_OUT"])
    profiles = {k: cProfile.Profile() for k in KINDS}
    profiling = os.environ.get("STANCES_PROFILE", "1") == "1"
    runs: dict[str, list[float]] = defaultdict(list)
    serialised: dict[str, list[float]] = defaultdict(list)  # seconds per message, by the run it follows
    sessions: set[str] = set()
    current = {"kind": KINDS[0]}
    original_exec = script_runner.exec_func_with_error_handling
    original_serialise = starlette_websocket.serialize_forward_msg

    def timed_exec(func, ctx):
        if ctx.fragment_ids_this_run:
            kind = "fragment"
        else:
            kind = "whole page" if ctx.session_id in sessions else "first run"
        sessions.add(ctx.session_id)
        current["kind"] = kind
        started = time.perf_counter()
        if profiling:
            profiles[kind].enable()
        try:
            return original_exec(func, ctx)
        finally:
            if profiling:
                profiles[kind].disable()
            runs[kind].append(time.perf_counter() - started)

    def timed_serialise(msg):
        started = time.perf_counter()
        try:
            return original_serialise(msg)
        finally:
            serialised[current["kind"]].append(time.perf_counter() - started)

    def dump(_signum, _frame) -> None:
        for kind, prof in profiles.items():
            prof.dump_stats(str(out.with_suffix(f".{kind.replace(' ', '_')}.prof")))
        part = out.with_suffix(".part")
        part.write_text(json.dumps({"runs": runs, "serialised": serialised}))
        part.replace(out)  # the driver waits for this name: written whole

    script_runner.exec_func_with_error_handling = timed_exec
    starlette_websocket.serialize_forward_msg = timed_serialise
    if os.environ.get("STANCES_SWITCH_INTERVAL"):  # --switch-interval: how often threads trade the GIL
        sys.setswitchinterval(float(os.environ["STANCES_SWITCH_INTERVAL"]))
    signal.signal(signal.SIGUSR1, dump)
    if os.environ.get("STANCES_NAGLE") != "on":  # --nagle on: as Streamlit does by itself
        from stances.nodelay import nagle_off

        nagle_off()
    sys.argv = ["streamlit", "run", os.environ["STANCES_PROFILE_APP"], *argv]
    return cli.main()


# --- the driver -------------------------------------------------------------------------------


async def drive(url: str, sessions: int, reruns: int) -> dict[str, list[float]]:
    """Seconds each run took as the client saw it (BackMsg to script_finished), by kind."""
    from _protocol import Client, day_state, slider_day, strings_state

    waited: dict[str, list[float]] = defaultdict(list)
    for n in range(sessions):
        client = Client(url)
        try:
            await client.connect()
            client.query = "date=2019-06-01"
            waited["first run"].append((await client.rerun()).seconds)
            for i in range(reruns):
                alliances = client.widget("alliances")
                pick = [alliances.options[(n + i) % len(alliances.options)]]
                waited["whole page"].append((await client.rerun([strings_state(alliances, pick)])).seconds)
            for i in range(reruns):
                day = client.widget("day")
                to = slider_day(day) - dt.timedelta(days=7 * (1 + i % 3))
                waited["fragment"].append((await client.rerun([day_state(day, to)], day.fragment_id)).seconds)
        finally:
            await client.close()
    return waited


def grouped(stats: pstats.Stats) -> dict[str, float]:
    """Own time (tottime) of every profiled function, summed by GROUPS, in seconds."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename if filename != "~" else name
        group = next((g for g, tests in GROUPS if any(t in where for t in tests)), None)
        if group is None:
            group = "protobuf serialisation" if "Serialize" in name else "other (builtins, gc, ...)"
        totals[group] += tottime
    return dict(totals)


def report(measured: dict, waited: dict[str, list[float]], out: Path) -> None:
    from _common import median, print_table

    rows = []
    for kind in KINDS:
        runs, ser = measured["runs"].get(kind, []), measured["serialised"].get(kind, [])
        n = max(1, len(runs))
        rows.append(
            [
                kind,
                len(runs),
                f"{median(waited[kind]) * 1000:.1f}" if waited[kind] else "-",
                f"{median(runs) * 1000:.1f}" if runs else "-",
                f"{sum(ser) / n * 1000:.1f} ({len(ser) / n:.0f} messages)",
            ]
        )
    print_table(
        "a run as the client waits for it, against the page script inside the server (medians, ms)",
        ["run", "n", "client: BackMsg to script_finished", "server: the script run", "serialising its messages"],
        rows,
    )
    for kind in KINDS:
        path = out.with_suffix(f".{kind.replace(' ', '_')}.prof")
        runs = measured["runs"].get(kind, [])
        if not runs or not path.exists():
            continue
        try:
            stats = pstats.Stats(str(path))
        except TypeError:  # --no-profile: an empty profile
            continue
        groups = grouped(stats)
        total = sum(groups.values())
        print_table(
            f"{kind}: the profiled script runs by library (own time, ms per run; {len(runs)} runs, "
            f"profiled {total / len(runs) * 1000:.1f} ms per run)",
            ["where", "ms per run", "share"],
            [
                [g, f"{t / len(runs) * 1000:.1f}", f"{t / total:.0%}"]
                for g, t in sorted(groups.items(), key=lambda kv: -kv[1])
                if t / total >= 0.01
            ],
        )
        print(f"\n{kind}: top functions by cumulative time\n")
        stats.sort_stats("cumulative").print_stats(18)
        # Two costs of the server that AppTest does not have: deep copies of widget values
        # and of figures, and waking the event loop for every message.
        stats.print_callers(r"copy.py.*\(deepcopy\)|call_soon_threadsafe")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--worktree", action="store_true", help="profile the work tree as it is")
    parser.add_argument("--no-profile", action="store_true", help="time the runs only (cProfile slows the script down)")
    parser.add_argument(
        "--switch-interval", type=float, help="the server's sys.setswitchinterval, s (Python's default 0.005)"
    )
    parser.add_argument(
        "--nagle",
        default="off",
        choices=["off", "on"],
        help="Nagle on the server's connections: off as served (stances/nodelay.py), on as Streamlit leaves it",
    )
    parser.add_argument(
        "--watcher", default="none", choices=["none", "auto"], help="server.fileWatcherType (default none, as served)"
    )
    args = parser.parse_args(argv)

    from capacity import snapshot

    import _common

    with tempfile.TemporaryDirectory(prefix="stances-gap-") as work:
        tree = _common.ROOT if args.worktree else snapshot(Path(work) / "tree")
        out = Path(work) / "measured.json"
        server = _common.Server(
            tree / "app.py",
            args.data or tree / "data",
            cwd=tree,
            launcher=[sys.executable, str(Path(__file__).resolve()), "--serve"],
            env={
                "PYTHONPATH": str(tree),
                "STANCES_PROFILE_APP": str(tree / "app.py"),
                "STANCES_PROFILE_OUT": str(out),
                "STREAMLIT_SERVER_FILE_WATCHER_TYPE": args.watcher,
                "STANCES_PROFILE": "0" if args.no_profile else "1",
                "STANCES_NAGLE": args.nagle,
                **({"STANCES_SWITCH_INTERVAL": str(args.switch_interval)} if args.switch_interval else {}),
            },
        )
        try:
            server.wait()
            waited = asyncio.run(drive(server.url, args.sessions, args.reruns))
            os.kill(server.pid, signal.SIGUSR1)
            deadline = time.monotonic() + 60
            while not out.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            measured = json.loads(out.read_text())
        finally:
            server.stop()
        print(f"{dt.date.today()}, {_common.machine()}, load average {os.getloadavg()}")
        report(measured, waited, out)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        sys.exit(serve(sys.argv[2:]))
    sys.exit(main())
