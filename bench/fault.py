"""The fault test under load: one of two replicas killed under many readers.

    .venv/bin/python bench/fault.py [--readers 200] [--think 10] [--before 20] [--browsers N]
                                    [--shots DIR] [--max-seconds 600] [--json FILE]

Starts `scripts/serve --replicas 2` (nginx and two replicas, from a copy of the last commit,
as bench/capacity.py does) and opens --readers simulated readers that speak Streamlit's
websocket protocol (bench/_protocol.py), each from a loopback address and with cookies of its
own, each on its own link (a date, an alliance filter and a country from LINKS). For --before
seconds each steps the date now and then (a think time of 0.5x to 1.5x --think). Then:

1. every reader stops, and once all are connected and idle, the replica holding the most
   readers (by nginx's cookie) is killed with SIGKILL;
2. every reader whose websocket closes reconnects through nginx as the browser does: GETs
   /_stcore/health with its cookie jar (nginx moves its cookie to the survivor), opens a new
   websocket and asks for a run of the whole page with its URL and its widget states. Its
   view came back if the run draws the same day on the slider, the same alliance filter, the
   same country, and leaves the URL as it was (the page rewrites a URL that differs from its
   view). Up to RETRIES attempts, as the browser retries;
3. every reader, affected or not, steps the date once more after a think time.

With --browsers N, N Chromium pages (half on each replica, by nginx's cookie) go through the
same fault and are checked as tests/test_serve.py checks its pages, with its helpers.

Printed: readers per replica, readers affected, views back, views lost (target 0), the time
from a socket's close to its first complete run (p50/p95/max), the step after the fault, and
errors. The whole run has a hard deadline (--max-seconds); every process it started is
stopped at the end. Exits 1 if a view was lost or anything failed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import random
import re
import signal
import sys
import tempfile
import threading
import time
import urllib.error
from collections import Counter
from pathlib import Path

import websockets
from _protocol import Client, ProtocolError, slider_day  # noqa: E402
from capacity import Served, snapshot, source_address, step_date  # noqa: E402
from load_test import percentile  # noqa: E402

import _common  # noqa: E402  (bench/ is this script's folder)

DATES = ("2018-12-28", "2019-02-01", "2019-04-23", "2019-06-01", "2019-10-15", "2020-01-28")
ALLIANCES = ("Five Eyes", "EU", "G7", "NATO", "Quad")
COUNTRIES = ("AUS", "CAN", "DEU", "FRA", "GBR", "IND", "ITA", "JPN", "NZL", "POL", "USA")
RETRIES = 10  # attempts to reconnect, as the browser's
TIMEOUT = 60.0  # seconds for one run
FAILURES = (ProtocolError, OSError, urllib.error.URLError, KeyError, AssertionError, websockets.WebSocketException)


def link(n: int) -> str:
    """Reader ``n``'s link: a date, an alliance filter and a country, in a fixed rotation."""
    date = DATES[n % len(DATES)]
    alliance = ALLIANCES[(n // len(DATES)) % len(ALLIANCES)].replace(" ", "%20")
    return f"date={date}&alliance={alliance}&country={COUNTRIES[n % len(COUNTRIES)]}"


def view_of(client: Client) -> dict:
    """What the last run drew: the slider's day, the alliance filter, the country, the URL.
    A widget the run did not draw is missing (the client drops it), so this raises KeyError."""
    alliances, country = client.widget("alliances").state, client.widget("country").state
    return {
        "day": slider_day(client.widget("day")).isoformat(),
        "alliances": list(alliances.string_array_value.data) if alliances else [],
        "country": country.string_value if country else None,
        "query": client.query,
    }


@dataclasses.dataclass
class Reader:
    n: int
    client: Client
    replica: str = ""  # by nginx's cookie, before the fault
    view: dict = dataclasses.field(default_factory=dict)  # before the fault
    affected: bool = False
    back: bool = False
    attempts: int = 0
    reconnect_s: float | None = None
    after_kill_s: float | None = None
    replica_after: str = ""
    step_after_s: float | None = None


@dataclasses.dataclass
class Tally:
    errors: Counter = dataclasses.field(default_factory=Counter)
    steps_before: list[float] = dataclasses.field(default_factory=list)
    lost: list[dict] = dataclasses.field(default_factory=list)
    retried: Counter = dataclasses.field(default_factory=Counter)  # failed attempts to reconnect, retried

    def error(self, what: str, exc: BaseException | str) -> None:
        text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        self.errors[f"{what}: {text[:160]}"] += 1


def replica_of(client: Client) -> str:
    return (client.cookie("stances_reader") or "?").split(".")[0]


async def open_and_step(r: Reader, link_query: str, think: float, until: float, tally: Tally) -> bool:
    """Open the link, then step the date now and then until ``until``; False on a failure."""
    rng = random.Random(r.n)
    await asyncio.sleep(rng.uniform(0, think))  # readers arrive over one think time
    try:
        run = await r.client.open(link_query)
        if run.exceptions:
            raise AssertionError("; ".join(run.exceptions))
        while time.monotonic() + think * 1.5 < until:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            tally.steps_before.append((await step_date(r.client, rng)).seconds)
    except FAILURES as exc:
        tally.error("before the fault", exc)
        return False
    r.replica, r.view = replica_of(r.client), view_of(r.client)
    return True


async def wait_closed(r: Reader, grace: float) -> float | None:
    """When the reader's socket closed (monotonic seconds), or None if it stayed open."""
    assert r.client.ws is not None
    try:
        await asyncio.wait_for(r.client.ws.wait_closed(), grace)
    except TimeoutError:
        return None
    return time.monotonic()


async def reconnect(r: Reader, closed: float, killed: float, tally: Tally) -> None:
    """Reconnect through nginx as the browser does, open the page again from its URL with its
    widget states, and check its view came back."""
    r.affected = True
    client = r.client
    for attempt in range(1, RETRIES + 1):
        r.attempts = attempt
        try:
            client.ws = None
            client.session_id = ""  # the new replica does not know the old session
            await client.get("_stcore/health")
            await client.get("_stcore/host-config")
            await client.connect()
            run = await client.rerun()
            if run.exceptions:
                raise AssertionError("; ".join(run.exceptions))
            break
        except FAILURES as exc:
            tally.retried[f"{type(exc).__name__}: {str(exc)[:120]}"] += 1
            await asyncio.sleep(min(0.5 * attempt, 3))
    else:
        tally.lost.append({"reader": r.n, "why": "did not reconnect", "before": r.view})
        return
    now = time.monotonic()
    r.reconnect_s, r.after_kill_s, r.replica_after = now - closed, now - killed, replica_of(client)
    try:
        view = view_of(client)
    except KeyError as exc:
        view = {"missing": str(exc)}
    r.back = view == r.view
    if not r.back:
        tally.lost.append({"reader": r.n, "before": r.view, "after": view})


async def step_after(r: Reader, think: float, tally: Tally) -> None:
    """One more date step, after a think time (so the readers do not step all at once)."""
    rng = random.Random(-r.n)
    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    try:
        r.step_after_s = (await step_date(r.client, rng)).seconds
    except FAILURES as exc:
        tally.error("date step after the fault", exc)


async def fault(
    served: Served, args: argparse.Namespace, tally: Tally, sample: Sample | None
) -> tuple[list[Reader], dict]:
    loop = asyncio.get_running_loop()
    sampled = loop.run_in_executor(None, sample.run) if sample else None
    try:
        return await _fault(served, args, tally, sample, sampled)
    finally:
        if sample:
            sample.killed.set()  # a stopped run lets the pages' thread end


async def _fault(
    served: Served, args: argparse.Namespace, tally: Tally, sample: Sample | None, sampled: asyncio.Future | None
) -> tuple[list[Reader], dict]:
    loop = asyncio.get_running_loop()
    readers = [Reader(n, Client(served.url, timeout=TIMEOUT, source=source_address(n))) for n in range(args.readers)]
    until = time.monotonic() + args.think + args.before
    ok = await asyncio.gather(*(open_and_step(r, link(r.n), args.think, until, tally) for r in readers))
    ready = [r for r, fine in zip(readers, ok) if fine]  # all connected and idle now
    if sample:
        await loop.run_in_executor(None, sample.opened.wait, args.max_seconds)
    per_replica = Counter(r.replica for r in ready)
    victim = per_replica.most_common(1)[0][0]
    pids = dict(re.findall(r"replica (\d+) answers on port \d+ \(pid (\d+)\)", served.log.read_text()))
    load = os.getloadavg()[0]
    print(f"{len(ready)} of {len(readers)} readers connected and idle; per replica {dict(per_replica)}", flush=True)
    print(f"killing replica {victim} (pid {pids[victim]}), load average {load:.1f}", flush=True)
    killed = time.monotonic()
    if sample:
        sample.victim, sample.killed_at_ms = victim, time.time() * 1000
    os.kill(int(pids[victim]), signal.SIGKILL)
    if sample:
        sample.killed.set()

    async def follow(r: Reader) -> None:
        closed = await wait_closed(r, args.grace)
        if closed is not None:
            await reconnect(r, closed, killed, tally)

    await asyncio.gather(*(follow(r) for r in ready))
    await asyncio.gather(*(step_after(r, args.think, tally) for r in ready if r.back or not r.affected))
    if sampled:
        await sampled
    for r in readers:
        if r.client.ws is not None:
            try:
                await r.client.close()
            except FAILURES:
                pass
    return readers, {"per_replica": dict(per_replica), "killed": victim, "load_at_kill": load}


def report(readers: list[Reader], tally: Tally, facts: dict) -> dict:
    affected = [r for r in readers if r.affected]
    times = [r.reconnect_s for r in affected if r.reconnect_s is not None]
    unaffected = [r for r in readers if r.view and not r.affected]
    figures = {
        "readers": len(readers),
        "connected": sum(1 for r in readers if r.view),
        **facts,
        "affected": len(affected),
        "views_back": sum(1 for r in affected if r.back),
        "views_lost": len(tally.lost),
        "affected_on_killed_replica": sum(1 for r in affected if r.replica == facts["killed"]),
        "reconnected_to": dict(Counter(r.replica_after for r in affected if r.replica_after)),
        "attempts": dict(Counter(r.attempts for r in affected)),
        "reconnect_ms": {p: ms(percentile(times, q)) for p, q in (("p50", 50), ("p95", 95), ("max", 100))},
        "after_kill_ms_max": ms(max((r.after_kill_s for r in affected if r.after_kill_s), default=None)),
        "unaffected_stepped": sum(1 for r in unaffected if r.step_after_s is not None),
        "unaffected": len(unaffected),
        "affected_stepped": sum(1 for r in affected if r.step_after_s is not None),
        "step_after_ms": {p: ms(percentile(_steps(readers), q)) for p, q in (("p50", 50), ("p95", 95))},
        "step_before_ms": {p: ms(percentile(tally.steps_before, q)) for p, q in (("p50", 50), ("p95", 95))},
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors.most_common(8)),
        "retried": dict(tally.retried.most_common(8)),
        "lost": tally.lost[:5],
        "load_after": os.getloadavg()[0],
    }
    return figures


def _steps(readers: list[Reader]) -> list[float]:
    return [r.step_after_s for r in readers if r.step_after_s is not None]


def ms(seconds: float | None) -> int | None:
    return None if seconds is None else round(seconds * 1000)


def print_report(f: dict) -> None:
    rc = f["reconnect_ms"]
    rows = [
        ["readers (connected)", f"{f['readers']} ({f['connected']})"],
        ["readers per replica before the fault", f["per_replica"]],
        ["replica killed", f["killed"]],
        ["readers affected (socket closed)", f"{f['affected']} ({f['affected_on_killed_replica']} on it)"],
        ["views back / lost", f"{f['views_back']} / {f['views_lost']}"],
        ["reconnected to replica", f["reconnected_to"]],
        ["attempts to reconnect", f["attempts"]],
        ["close to first complete run, p50 / p95 / max ms", f"{rc['p50']} / {rc['p95']} / {rc['max']}"],
        ["kill to the last view back, ms", f["after_kill_ms_max"]],
        ["unaffected readers stepping after the fault", f"{f['unaffected_stepped']} of {f['unaffected']}"],
        ["date step before / after the fault, p50 / p95 ms", _pair(f["step_before_ms"], f["step_after_ms"])],
        ["errors", f["errors"]],
        ["load average at the kill / at the end", f"{f['load_at_kill']:.1f} / {f['load_after']:.1f}"],
    ]
    _common.print_table("one replica killed", ["what", "figure"], rows)
    if f["error_kinds"]:
        print("errors:", json.dumps(f["error_kinds"], indent=1))
    if f["retried"]:
        print("failed attempts to reconnect (retried):", json.dumps(f["retried"], indent=1))
    if f["lost"]:
        print("lost views:", json.dumps(f["lost"], indent=1))


def _pair(before: dict, after: dict) -> str:
    return f"{before['p50']} / {before['p95']} ; {after['p50']} / {after['p95']}"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=200, help="readers (default 200)")
    parser.add_argument("--think", type=float, default=10.0, help="mean think time, s (default 10)")
    parser.add_argument("--before", type=float, default=20.0, help="seconds of date steps before the fault")
    parser.add_argument("--grace", type=float, default=15.0, help="seconds a socket may take to close after the kill")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="hard deadline of the whole run")
    parser.add_argument("--browsers", type=int, default=0, help="Chromium pages during the fault too (2 to 4)")
    parser.add_argument("--shots", type=Path, help="save the Chromium pages after the fault here (PNG)")
    parser.add_argument("--data", type=Path, help="the data folder (default: the served tree's data/)")
    parser.add_argument("--worktree", action="store_true", help="serve the work tree as it is")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    if not 1 <= args.readers <= 1000:
        parser.error("1 to 1000 readers")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"{dt.date.today()}, {_common.machine()}, load average {os.getloadavg()}", flush=True)
    work = tempfile.TemporaryDirectory(prefix="stances-fault-")
    tree = _common.ROOT if args.worktree else snapshot(Path(work.name))
    served = None
    tally = Tally()
    try:
        served = Served(tree, args.data or tree / "data", 2)
        sample = Sample(args.browsers, served.url, shots=args.shots) if args.browsers else None
        readers, facts = asyncio.run(asyncio.wait_for(fault(served, args, tally, sample), args.max_seconds))
    except TimeoutError:
        print(f"[stopped: --max-seconds {args.max_seconds:g} reached]", flush=True)
        return 1
    finally:
        if served is not None:
            served.stop()
        work.cleanup()
    figures = report(readers, tally, facts)
    print_report(figures)
    if sample:
        figures["chromium"] = sample.figures()
        print("Chromium pages:", json.dumps(figures["chromium"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    browsers_failed = sample is not None and (
        sample.error or sample.figures()["views_back"] < sample.figures()["affected"]
    )
    return 1 if figures["views_lost"] or figures["errors"] or not figures["affected"] or browsers_failed else 0


# --- a Chromium sample during the same fault (--browsers N) --------------------------------


@dataclasses.dataclass
class Sample:
    """Chromium pages during the fault, driven from a thread of their own (sync Playwright)."""

    count: int
    url: str
    opened: threading.Event = dataclasses.field(default_factory=threading.Event)
    killed: threading.Event = dataclasses.field(default_factory=threading.Event)
    victim: str = ""
    killed_at_ms: float = 0.0
    pages: list[dict] = dataclasses.field(default_factory=list)
    error: str = ""
    shots: Path | None = None  # a screenshot of each page after the fault goes here

    def run(self) -> None:
        try:
            self._run()
        except Exception as exc:  # reported with the figures; the thread must not die silently
            self.error = f"{type(exc).__name__}: {str(exc)[:300]}"
            self.opened.set()

    def _run(self) -> None:
        sys.path[:0] = [str(_common.ROOT), str(_common.ROOT / "tests")]
        import secrets

        from playwright.sync_api import sync_playwright
        from test_serve import COOKIE, SETTLED, SOCKETS, WAIT, alliance_tags, read_view

        with sync_playwright() as playwright:
            browser = _common.launch_chromium(playwright)
            opened = []
            for i in range(self.count):
                replica = str(1 + i % 2)  # half the pages on each replica, by nginx's cookie
                context = browser.new_context(viewport={"width": 1400, "height": 1600})
                context.add_cookies([{"name": COOKIE, "value": f"{replica}.{secrets.token_hex(16)}", "url": self.url}])
                context.add_init_script(SOCKETS)
                page = context.new_page()
                page.goto(self.url + "?" + link(1000 + 7 * i), wait_until="commit")
                opened.append((page, replica))
            views = []
            for page, _ in opened:
                page.wait_for_function(SETTLED, timeout=WAIT, polling=100)
                page.locator(".evidence-current").wait_for(timeout=WAIT)
                alliance_tags(page).first.wait_for(timeout=WAIT)
                views.append(read_view(page))
            self.opened.set()
            self.killed.wait(timeout=600)
            if not self.victim:  # the run stopped before the fault
                browser.close()
                return
            for (page, replica), view in zip(opened, views):
                found = {"replica": replica, "affected": replica == self.victim}
                if found["affected"]:  # as tests/test_serve.py: reconnected, then a rerun ("r")
                    page.wait_for_function(
                        "() => window.__sockets.length > 1 && window.__sockets.at(-1).opened !== null",
                        timeout=WAIT,
                        polling=50,
                    )
                    found["socket_again_ms"] = round(
                        page.evaluate("() => window.__sockets.at(-1).opened") - self.killed_at_ms
                    )
                    page.keyboard.press("r")
                    page.wait_for_function("() => window.__sockets.at(-1).first !== null", timeout=WAIT, polling=50)
                    page.wait_for_function(SETTLED, timeout=WAIT, polling=100)
                    found["settled_ms"] = round(time.time() * 1000 - self.killed_at_ms)
                found["sockets"] = page.evaluate("() => window.__sockets.length")
                found["back"] = read_view(page) == view
                if self.shots:
                    self.shots.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(self.shots / f"page{len(self.pages)}-replica{replica}.png"))
                self.pages.append(found)
            browser.close()

    def figures(self) -> dict:
        affected = [p for p in self.pages if p["affected"]]
        return {
            "pages": self.count,
            "read": len(self.pages),
            "affected": len(affected),
            "views_back": sum(1 for p in affected if p["back"]),
            "unaffected_unchanged": sum(1 for p in self.pages if not p["affected"] and p["back"] and p["sockets"] == 1),
            "socket_again_ms": [p["socket_again_ms"] for p in affected],
            "settled_ms": [p["settled_ms"] for p in affected],
            "error": self.error,
        }


if __name__ == "__main__":
    sys.exit(main())
