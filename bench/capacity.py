"""Capacity: how many readers one replica, and N replicas behind nginx, answer within a second.

    .venv/bin/python bench/capacity.py [--readers 50 100 200 400 700 1000 1400] [--think 10]
                                       [--duration 40] [--arrival S] [--replicas 2] [--limit 1.0]
                                       [--throughput-readers 30] [--throughput-seconds 20]
                                       [--repeats 2] [--skip-curve] [--skip-throughput]
                                       [--against REV [--served]] [--data DIR] [--json FILE]

Starts `streamlit run app.py` on a free loopback port ("direct", one replica) and
`scripts/serve --replicas N` (nginx and N replicas) side by side, then drives both with
simulated readers that speak Streamlit's websocket protocol (bench/_protocol.py), not a
browser, so a thousand of them fit on the machine. Each reader, from a loopback address of
its own (127.0.x.y, so nginx sees different machines), keeps its own cookies and:

  open      loads the page at one of LINKS (HTML, /_stcore/health, host-config, the run, the
            map file), as a reader following a shared link;
  then, after a think time (uniformly 0.5x to 1.5x --think), one of
  date      a step of the date slider: a rerun of the date fragment with the slider's state;
  alliance  a change of the alliance filter: a rerun of the whole page with the multiselect's;
  country   a record chosen in "Evidence for": a fragment rerun with the selectbox's;
  and after SESSION interactions it leaves and a new reader opens a link in its place.

Two parts, both bounded (a step stops by itself after --duration seconds plus the ramp;
everything is stopped at the end or on an error):

1. The curve: at each reader count (readers arrive over one think time, or over --arrival
   seconds), every setup still holding runs --duration seconds; a setup stops at the first
   count where the p95 of a date, alliance or country change passes --limit seconds or any
   interaction fails. (The open, a new session's first run plus its HTTP requests, is
   reported beside them.) Printed per step: interactions per second, p50/p95/p99 per kind,
   errors, replicas' memory (VmRSS now, VmHWM peak) and CPU.
2. Throughput: the same readers with a think time of 0.05 s (--throughput-readers of them),
   so the server is the bottleneck: interactions per second, direct against N replicas,
   interleaved --repeats times; the ratio of the medians.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
from collections import Counter
from pathlib import Path

from _protocol import Client, ProtocolError, Run, day_state, slider_day, string_state, strings_state  # noqa: E402
from load_test import cpu_seconds, percentile  # noqa: E402

import _common  # noqa: E402  (bench/ is this script's folder)

KINDS = ("open", "date", "alliance", "country")
RERUNS = KINDS[1:]  # what a step must answer within --limit; the open is reported beside them
CHOICES = ("date", "date", "date", "country", "country", "alliance")  # what a reader does next
LINKS = (
    "",
    "date=2019-06-01&alliance=Five%20Eyes",
    "date=2019-02-01&alliance=EU&country=DEU",
    "date=2018-12-28&alliance=G7&country=GBR",
    "event=GBR-2019-04-23-nsc",
    "date=2020-06-01&stance=ban,core-only",
)
SESSION = 6  # interactions after the open, before the reader leaves
TIMEOUT = 60.0  # seconds for one interaction before it counts as failed


# --- the setups ------------------------------------------------------------------------


def snapshot(into: Path, rev: str = "HEAD") -> Path:
    """The committed tree (git HEAD, or ``rev``) unpacked in ``into``, with the project's .venv linked.
    The servers run from it: files being edited in the work tree during a run (the package,
    app.py, data) neither reach them nor make Streamlit reload its modules."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev], cwd=_common.ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / ".venv").symlink_to(_common.ROOT / ".venv")
    return into


class Direct:
    """One `streamlit run app.py` of ``tree`` on a free loopback port, configured as the
    replicas of scripts/serve are (no watching of source files; --watcher auto to watch)."""

    def __init__(self, tree: Path, data: Path, watcher: str = "none", name: str = "direct, 1 replica"):
        self.name = name
        self.server = _common.Server(
            tree / "app.py",
            data,
            cwd=tree,
            env={"PYTHONPATH": str(tree), "STREAMLIT_SERVER_FILE_WATCHER_TYPE": watcher},
            launcher=[sys.executable, str(tree / "deploy" / "streamlit_run.py"), "run", str(tree / "app.py")],
        )
        self.server.wait()
        self.url = self.server.url

    def replica_pids(self) -> list[int]:
        return [self.server.pid]

    def stop(self) -> None:
        self.server.stop()


class Served:
    """``tree``'s `scripts/serve --replicas N` on a free port, in a process group of its own."""

    def __init__(self, tree: Path, data: Path, replicas: int, rev: str = ""):
        self.name = f"scripts/serve, {replicas} replicas" + (f", {rev}" if rev else "")
        port = _common.free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self.log = _common.CACHE / "logs" / f"serve-{port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [str(tree / "scripts" / "serve"), "--replicas", str(replicas), "--port", str(port)],
            cwd=tree,
            env={**os.environ, "STANCES_DATA_DIR": str(data), "PYTHONPATH": str(tree)},
            stdout=open(self.log, "w", encoding="utf-8"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while "serving http://" not in self.log.read_text(encoding="utf-8"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"scripts/serve did not start; see {self.log}")
            time.sleep(0.2)

    def replica_pids(self) -> list[int]:
        found = re.findall(r"replica \d+ answers (?:again )?on port \d+ \(pid (\d+)\)", self.log.read_text())
        return [int(p) for p in found if Path(f"/proc/{p}").exists()]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # scripts/serve stops its replicas and nginx
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """The replicas' resident memory now (VmRSS) and their peaks (VmHWM), summed, in MB."""
    rss = hwm = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name == "VmRSS":
                rss += int(value.split()[0])
            elif name == "VmHWM":
                hwm += int(value.split()[0])
    return rss / 1024, hwm / 1024


# --- one reader --------------------------------------------------------------------------


async def step_date(client: Client, rng: random.Random) -> Run:
    day = client.widget("day")
    first, last = (dt.date(1970, 1, 1) + dt.timedelta(microseconds=m) for m in (day.element.min, day.element.max))  # type: ignore[attr-defined]
    to = slider_day(day) + dt.timedelta(days=rng.choice((-1, 1)) * rng.randint(1, 90))
    return await client.rerun([day_state(day, min(max(to, first), last))], day.fragment_id)


async def filter_alliance(client: Client, rng: random.Random) -> Run:
    alliances = client.widget("alliances")
    assert alliances.state is not None
    chosen = list(alliances.state.string_array_value.data)
    others = [a for a in alliances.options if a not in chosen]
    pick = [] if chosen and rng.random() < 0.25 else [rng.choice(others)]
    return await client.rerun([strings_state(alliances, pick)], alliances.fragment_id)


async def open_country(client: Client, rng: random.Random) -> Run:
    country = client.widget("country")
    return await client.rerun([string_state(country, rng.choice(country.options))], country.fragment_id)


ACTIONS = {"date": step_date, "alliance": filter_alliance, "country": open_country}


@dataclasses.dataclass
class Tally:
    """What the readers of one step saw."""

    times: dict[str, list[float]] = dataclasses.field(default_factory=lambda: {k: [] for k in KINDS})
    errors: Counter = dataclasses.field(default_factory=Counter)
    replicas: Counter = dataclasses.field(default_factory=Counter)  # nginx's cookie: readers per replica
    lag: list[float] = dataclasses.field(default_factory=list)  # the load generator's loop_lag

    def error(self, kind: str, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        self.errors[f"{kind}: {text[:160]}"] += 1


def source_address(n: int) -> str:
    """A loopback address of reader ``n``'s own: 127.0.1.1, 127.0.1.2, ..."""
    return f"127.0.{1 + n // 250}.{1 + n % 250}"


async def reader(n: int, url: str, think: float, ramp: float, end: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed * 100_003 + n)
    await asyncio.sleep(rng.uniform(0, ramp))
    while time.monotonic() < end:
        client = Client(url, timeout=TIMEOUT, source=source_address(n))
        try:
            kind = "open"
            run = await client.open(rng.choice(LINKS))
            record(tally, kind, run)
            tally.replicas[(client.cookie("stances_reader") or "direct").split(".")[0]] += 1
            for _ in range(SESSION):
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                if time.monotonic() >= end:
                    break
                kind = rng.choice(CHOICES)
                record(tally, kind, await ACTIONS[kind](client, rng))
        except (ProtocolError, OSError, urllib.error.URLError, KeyError, AssertionError) as exc:
            tally.error(kind, exc)
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # a failed reader does not hammer
        finally:
            try:
                await client.close()
            except OSError:
                pass
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


def record(tally: Tally, kind: str, run: Run) -> None:
    if run.exceptions or run.status == "compile error":
        tally.error(kind, "; ".join(run.exceptions) or run.status)
    else:
        tally.times[kind].append(run.seconds)


async def drive(url: str, readers: int, think: float, ramp: float, duration: float, seed: int) -> tuple[Tally, float]:
    """``readers`` readers arriving over ``ramp`` seconds, until ``ramp + duration`` seconds;
    the tally and the wall time (the last interactions finish after the end)."""
    tally = Tally()
    started = time.monotonic()
    end = started + ramp + duration
    tasks = [asyncio.create_task(reader(n, url, think, ramp, end, tally, seed)) for n in range(readers)]
    lag = asyncio.create_task(loop_lag(tally.lag, end))
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), ramp + duration + 2 * TIMEOUT + 30)
    except TimeoutError:
        tally.error("step", "readers still busy after the step's time limit")
    lag.cancel()
    return tally, time.monotonic() - started


async def loop_lag(into: list[float], end: float, every: float = 0.05) -> None:
    """How late this process's event loop wakes a task that sleeps ``every`` seconds, until
    ``end``: the readers' own delay, counted in their latencies when it is large."""
    while time.monotonic() < end:
        asked = time.monotonic()
        await asyncio.sleep(every)
        into.append(time.monotonic() - asked - every)


def step(setup, readers: int, think: float, ramp: float, duration: float, seed: int) -> dict:
    """One step: the readers against one setup; what it measured."""
    pids = setup.replica_pids()
    cpu_before = sum(cpu_seconds(p) for p in pids)
    client_before = time.process_time()
    tally, wall = asyncio.run(drive(setup.url, readers, think, ramp, duration, seed))
    rss, hwm = memory_mb(pids)
    done = sum(len(v) for v in tally.times.values())
    return {
        "setup": setup.name,
        "readers": readers,
        "think_s": think,
        "wall_s": round(wall, 1),
        "interactions": done,
        "per_second": round(done / wall, 1),
        "kinds": {
            k: {
                "n": len(v),
                "p50": percentile(v, 50),
                "p95": percentile(v, 95),
                "p99": percentile(v, 99),
            }
            for k, v in tally.times.items()
        },
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors.most_common(8)),
        "readers_per_replica": dict(sorted(tally.replicas.items())),
        "rss_mb": round(rss),
        "peak_rss_mb": round(hwm),
        "server_cpu_s": round(sum(cpu_seconds(p) for p in pids) - cpu_before, 1),
        "client_cpu_s": round(time.process_time() - client_before, 1),
        "load_average": os.getloadavg()[0],
        "client_lag_ms": {q: round(1000 * (percentile(tally.lag, q) or 0)) for q in (50, 95, 99)},
    }


def holds(result: dict, limit: float, kinds: tuple[str, ...] = RERUNS) -> bool:
    """0 errors, and the p95 of each of ``kinds`` within ``limit`` seconds."""
    p95s = [result["kinds"][k]["p95"] for k in kinds if result["kinds"][k]["p95"] is not None]
    return result["errors"] == 0 and bool(p95s) and max(p95s) <= limit


# --- the report ----------------------------------------------------------------------------


def ms(x: float | None) -> str:
    return "-" if x is None else f"{x * 1000:.0f}"


def curve_row(r: dict) -> list:
    k = r["kinds"]
    return [
        r["setup"],
        r["readers"],
        r["per_second"],
        *(f"{ms(k[kind]['p50'])} / {ms(k[kind]['p95'])} / {ms(k[kind]['p99'])}" for kind in KINDS),
        r["errors"],
        f"{r['rss_mb']} ({r['peak_rss_mb']})",
        f"{r['server_cpu_s']} / {r['client_cpu_s']}",
        f"{r['load_average']:.1f}",
    ]


CURVE_HEADER = [
    "setup",
    "readers",
    "interactions/s",
    *(f"{k} p50/p95/p99 ms" for k in KINDS),
    "errors",
    "replicas' RSS MB (peak)",
    "CPU s server / client",
    "load",
]


def curve(setups: list, args: argparse.Namespace, deadline: float) -> list[dict]:
    results = []
    active = list(setups)
    for i, readers in enumerate(args.readers):
        for setup in active if i % 2 == 0 else reversed(active):
            if time.monotonic() > deadline:
                print(f"[stopping the curve: --max-minutes {args.max_minutes} reached]", flush=True)
                return results
            result = step(setup, readers, args.think, args.arrival or args.think, args.duration, args.seed + i)
            results.append(result)
            print_rows("capacity step", [curve_row(result)], result)
        active = [s for s in active if holds(next(r for r in reversed(results) if r["setup"] == s.name), args.limit)]
        if not active:
            break
    return results


def throughput(setups: list, args: argparse.Namespace) -> list[dict]:
    results = []
    for repeat in range(args.repeats):
        for setup in setups if repeat % 2 == 0 else reversed(setups):
            result = step(setup, args.throughput_readers, 0.05, 1.0, args.throughput_seconds, args.seed + 1000 + repeat)
            results.append(result)
            print_rows("throughput step", [curve_row(result)], result)
    return results


def print_rows(title: str, rows: list[list], result: dict | None = None) -> None:
    _common.print_table(title, CURVE_HEADER, rows)
    if result and result["error_kinds"]:
        print("errors:", json.dumps(result["error_kinds"], indent=1))
    if result:
        print("readers per replica (by nginx's cookie):", result["readers_per_replica"])
        lag = result["client_lag_ms"]
        print(
            f"the load generator's event loop, late by (p50/p95/p99): {lag[50]} / {lag[95]} / {lag[99]} ms", flush=True
        )


def summary(curve_results: list[dict], throughput_results: list[dict], setups: list, limit: float) -> None:
    for setup in setups:
        mine = [r for r in curve_results if r["setup"] == setup.name]
        reruns = max((r["readers"] for r in mine if holds(r, limit)), default=0)
        opens = max((r["readers"] for r in mine if holds(r, limit, KINDS)), default=0)
        print(
            f"{setup.name}: the largest reader count with 0 errors and p95 <= {limit:g} s: "
            f"{reruns} for date, alliance and country; {opens} with the page open too"
        )
    if throughput_results:
        rows = []
        medians = {}
        for setup in setups:
            rates = [r["per_second"] for r in throughput_results if r["setup"] == setup.name]
            medians[setup.name] = round(_common.median(rates), 1)
            rows.append([setup.name, ", ".join(str(x) for x in rates), medians[setup.name]])
        first, *rest = setups
        for setup in rest:
            rows.append([f"{setup.name} / {first.name}", "", _common.ratio(medians[setup.name], medians[first.name])])
        _common.print_table("throughput (think 0.05 s)", ["setup", "interactions/s per repeat", "median"], rows)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, nargs="+", default=[50, 100, 200, 400, 700, 1000, 1400])
    parser.add_argument("--think", type=float, default=10.0, help="mean think time, s (default 10)")
    parser.add_argument("--duration", type=float, default=40.0, help="seconds per step after the ramp (default 40)")
    parser.add_argument(
        "--arrival",
        type=float,
        help="seconds over which a step's readers arrive (default: one think time, a crowd "
        "following a link that just broke; longer: readers arriving steadily)",
    )
    parser.add_argument("--replicas", type=int, default=2, help="replicas behind nginx (default 2)")
    parser.add_argument("--limit", type=float, default=1.0, help="p95 that a step must hold, s (default 1)")
    parser.add_argument("--throughput-readers", type=int, default=30)
    parser.add_argument("--throughput-seconds", type=float, default=20.0)
    parser.add_argument("--repeats", type=int, default=2, help="throughput repeats per setup (default 2)")
    parser.add_argument("--skip-curve", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--max-minutes", type=float, default=45.0, help="stop the curve after this long")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--watcher",
        default="none",
        choices=["none", "auto"],
        help="the direct server's file watcher (default none, as scripts/serve's replicas; auto: Streamlit's default)",
    )
    parser.add_argument(
        "--against",
        metavar="REV",
        help="instead of direct against scripts/serve: one replica of the commit REV against one of "
        "the served tree, side by side (what a change did to a replica's throughput)",
    )
    parser.add_argument(
        "--served",
        action="store_true",
        help="with --against: scripts/serve of REV against scripts/serve of the served tree, instead "
        "of one replica each (what a change did to the curve)",
    )
    parser.add_argument("--data", type=Path, help="the data folder (default: the served tree's data/)")
    parser.add_argument(
        "--worktree",
        action="store_true",
        help="serve the work tree as it is (default: a copy of the last commit, see snapshot())",
    )
    parser.add_argument("--json", type=Path, help="write every step's figures here")
    args = parser.parse_args(argv)
    if args.served and not args.against:
        parser.error("--served compares with --against REV")
    if max(args.readers) > 5000 or args.throughput_readers > 5000:
        parser.error("at most 5000 readers")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    deadline = time.monotonic() + args.max_minutes * 60
    print(f"{dt.date.today()}, {_common.machine()}, load average {os.getloadavg()}", flush=True)
    setups: list = []
    work = tempfile.TemporaryDirectory(prefix="stances-capacity-")
    tree = _common.ROOT if args.worktree else snapshot(Path(work.name) / "head")
    data = args.data or tree / "data"
    try:
        if args.against:
            old = snapshot(Path(work.name) / "against", args.against)
            if args.served:
                setups.append(Served(old, args.data or old / "data", args.replicas, args.against))
                setups.append(Served(tree, data, args.replicas))
            else:
                setups.append(
                    Direct(old, args.data or old / "data", args.watcher, f"direct, 1 replica, {args.against}")
                )
                setups.append(Direct(tree, data, args.watcher))
        else:
            setups.append(Direct(tree, data, args.watcher))
            setups.append(Served(tree, data, args.replicas))
        for setup in setups:  # load the data in every replica before timing anything
            for _ in range(2 * args.replicas):
                asyncio.run(warm(setup.url))
        curve_results = [] if args.skip_curve else curve(setups, args, deadline)
        throughput_results = [] if args.skip_throughput else throughput(setups, args)
    finally:
        for setup in setups:
            setup.stop()
        work.cleanup()
    summary(curve_results, throughput_results, setups, args.limit)
    if args.json:
        args.json.write_text(json.dumps({"curve": curve_results, "throughput": throughput_results}, indent=1))
    failed = sum(r["errors"] for r in throughput_results)
    return 1 if failed else 0


async def warm(url: str) -> None:
    client = Client(url, timeout=TIMEOUT)
    try:
        await client.open()
    finally:
        await client.close()


if __name__ == "__main__":
    sys.exit(main())
