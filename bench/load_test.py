"""Many readers at once: concurrent browser sessions against one `streamlit run app.py`.

    .venv/bin/python bench/load_test.py [--sessions 20] [--timeout 300] [--data DIR] [--url URL]
                                        [--json FILE]

Starts the dashboard on a free loopback port (through bench/_counting_server.py, which counts
calls of stances.load_dataset), then opens --sessions pages at once in ONE headless Chromium
(/usr/bin/chromium, Playwright's async API). Every page, concurrently:

  load      open the page; wait for the map and for the script run to finish (URL has ?date=)
  date      click "◀ Previous change"; wait for the URL to show that day
  alliance  pick an alliance in the sidebar multiselect; wait for the URL to show it
  evidence  pick a record in "Evidence for"; wait for its evidence panel and the URL
  download  download the snapshot CSV and compare it with stances.to_csv for that view

It prints the errors (there must be none), p50/p95/max seconds per interaction, the server's
peak memory (VmHWM from /proc/<pid>/status), the CPU time of the server and of the browser,
and how many times the data was loaded and validated (must be 1: once per process, shared by
every session). Exit status 0 only if so.

Bounded: --sessions pages (at most 100), one pass each, everything under a hard --timeout
(default 300 s; the server is killed and the script exits even if the browser hangs). With
--url it drives a server that is already running and cannot count loads or read its memory.

Every page is a separate browser context (a window of its own): tabs of one window would be
in the background, where Chromium does not render.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from stances import DEFAULT_DATA_DIR, alliance_names, load_dataset, to_csv, view  # noqa: E402

import _common  # noqa: E402  (bench/ is this script's folder)

CHROMIUM, CHROMIUM_ARGS = _common.CHROMIUM, _common.CHROMIUM_ARGS
KINDS = ("load", "date", "alliance", "evidence", "download")
URL_PARAM = "(name) => new URLSearchParams(location.search).get(name)"


# --- the server ----------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants_cpu_seconds(root: int, skip: int | None) -> float:
    """CPU time of every live process under ``root`` (here: the browser), leaving out ``skip``."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    total = 0.0
    for pid in parents:
        ancestor, chain = parents.get(pid), set()
        while ancestor and ancestor not in chain and ancestor != root and ancestor != skip:
            chain.add(ancestor)
            ancestor = parents.get(ancestor)
        if ancestor == root and pid != skip:
            try:
                total += cpu_seconds(pid)
            except (OSError, IndexError, ValueError):
                pass
    return total


class Server(_common.Server):
    """bench/_counting_server.py (= `streamlit run app.py`) on a free loopback port."""

    def __init__(self, data_dir: Path, work: Path):
        self.count_file = work / "load_dataset_calls.txt"
        self.count_file.write_text("", encoding="utf-8")
        super().__init__(
            ROOT / "app.py",
            data_dir,
            cwd=ROOT,
            launcher=[sys.executable, str(ROOT / "bench" / "_counting_server.py")],
            env={"STANCES_LOAD_COUNT_FILE": str(self.count_file)},
        )

    def memory(self) -> dict[str, int]:
        """VmHWM (peak) and VmRSS of the server process, in kB."""
        found = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmHWM", "VmRSS"):
                found[name] = int(value.split()[0])
        return found

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.process.pid)

    def loads(self) -> list[float]:
        return [float(x) for x in self.count_file.read_text(encoding="utf-8").split()]


# --- one reader ----------------------------------------------------------------------


class Plan:
    """What every session does and what it must see, worked out from the data."""

    def __init__(self, ds):
        frame = view.timeframe(ds)
        self.ds = ds
        self.opening = frame.default
        self.earlier = view.previous_change(frame.changes, frame.default) or frame.default
        self.alliances = alliance_names(ds)
        self.records = view.record_options(ds)

    def for_session(self, i: int) -> dict:
        alliance = self.alliances[i % len(self.alliances)]
        key = self.records[i % len(self.records)]
        state = view.ViewState(day=self.earlier, alliances=(alliance,), country=key)
        return {
            "alliance": alliance,
            "key": key,
            "label": view.record_label(self.ds, key),
            "name": self.ds.records[key].name,
            "csv": to_csv(view.snapshot(self.ds, state)),
        }


async def session(i: int, context, url: str, plan: Plan, times: dict, errors: list, step_timeout: float):
    want = plan.for_session(i)
    context.set_default_timeout(step_timeout * 1000)
    page = await context.new_page()
    page.on("dialog", lambda d: asyncio.ensure_future(d.dismiss()))

    async def load():
        await page.goto(url)
        await page.wait_for_selector(".choroplethlocation")
        await page.wait_for_function(f"() => ({URL_PARAM})('date') === '{plan.opening}'")

    async def date():
        button = page.get_by_role("button", name="◀ Previous change")
        await button.click()
        await page.wait_for_function(f"() => ({URL_PARAM})('date') === '{plan.earlier}'")

    async def alliance():
        await page.get_by_role("combobox", name=re.compile("^Alliance")).click()
        await page.get_by_role("option", name=want["alliance"], exact=True).click()
        await page.keyboard.press("Escape")
        await page.wait_for_function(f"(a) => ({URL_PARAM})('alliance') === a", arg=want["alliance"])

    async def evidence():
        box = page.get_by_role("combobox", name="Evidence for")
        await box.click()
        await page.keyboard.type(want["label"])
        await page.get_by_role("option", name=want["label"], exact=True).click()
        await page.wait_for_function(f"(k) => ({URL_PARAM})('country') === k", arg=want["key"])
        await page.locator(".evidence-current").filter(has_text=want["name"]).wait_for()

    async def download():
        await page.get_by_role("button", name=re.compile(r"Download the data \(CSV\)$")).click()
        async with page.expect_download() as info:
            await page.get_by_role("button", name=re.compile("Download this snapshot")).click()
        got = Path(await (await info.value).path()).read_text(encoding="utf-8")
        if got != want["csv"]:
            raise AssertionError(
                f"the snapshot CSV differs from stances.to_csv ({len(got)} vs {len(want['csv'])} characters)"
            )

    for kind, action in zip(KINDS, (load, date, alliance, evidence, download)):
        started = time.perf_counter()
        try:
            await asyncio.wait_for(action(), step_timeout)
        except Exception as exc:  # noqa: BLE001 - every failure is a reported error
            errors.append({"session": i, "interaction": kind, "error": f"{type(exc).__name__}: {exc}"[:300]})
            return  # the later steps depend on this one
        times[kind].append(time.perf_counter() - started)


async def run_sessions(url: str, plan: Plan, sessions: int, step_timeout: float, server_pid: int | None) -> dict:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {k: [] for k in KINDS}
    errors: list[dict] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            started = time.perf_counter()
            # One context per page: a window of its own, so every page is in the foreground.
            contexts = [
                await browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
                for _ in range(sessions)
            ]
            await asyncio.gather(
                *(session(i, context, url, plan, times, errors, step_timeout) for i, context in enumerate(contexts))
            )
            wall = time.perf_counter() - started
            version = browser.version
            browser_cpu = descendants_cpu_seconds(os.getpid(), skip=server_pid)  # before pages close
        finally:
            await browser.close()
    return {
        "times": times,
        "errors": errors,
        "wall_seconds": wall,
        "chromium": version,
        "browser_cpu_seconds": browser_cpu,
    }


# --- the report ----------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summary(times: dict[str, list[float]]) -> dict[str, dict]:
    return {
        kind: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95), "max": max(v) if v else None}
        for kind, v in times.items()
    }


def report(result: dict) -> str:
    def s(x):
        return "-" if x is None else f"{x:.2f}"

    lines = [
        f"sessions: {result['sessions']} at once in one Chromium ({result.get('chromium', '?')}), "
        f"{result['cpus']} CPUs; wall time {result['wall_seconds']:.1f} s",
        f"errors: {len(result['errors'])}",
    ]
    lines += [f"  session {e['session']} {e['interaction']}: {e['error']}" for e in result["errors"]]
    lines.append(f"{'interaction':<10} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for kind, row in result["interactions"].items():
        lines.append(f"{kind:<10} {row['n']:>3} {s(row['p50']):>7} {s(row['p95']):>7} {s(row['max']):>7}")
    memory = result.get("server_memory_kb")
    if memory:
        lines.append(
            f"server peak memory (VmHWM): {memory['VmHWM'] / 1024:.0f} MiB "
            f"(at start {result['server_start_rss_kb'] / 1024:.0f} MiB RSS)"
        )
    if result.get("server_cpu_seconds") is not None:
        lines.append(
            f"CPU time: server {result['server_cpu_seconds']:.1f} s "
            f"({result['server_cpu_seconds'] / result['sessions']:.2f} s per session), "
            f"browser {result['browser_cpu_seconds'] or 0:.1f} s"
        )
    if result.get("load_dataset_calls") is not None:
        took = ", ".join(f"{x:.2f} s" for x in result["load_seconds"])
        lines.append(f"load_dataset calls in the server: {result['load_dataset_calls']} (took {took})")
    lines.append("OK" if result["ok"] else "FAILED")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent pages (default 20)")
    parser.add_argument("--timeout", type=float, default=300, help="hard limit for the whole run, s (300)")
    parser.add_argument("--step-timeout", type=float, default=240, help="limit per interaction, s (240)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help="data folder (default data/)")
    parser.add_argument("--url", help="drive this running server instead of starting one")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 100:
        parser.error("--sessions must be between 1 and 100")

    deadline = time.monotonic() + args.timeout
    server = None

    def give_up():  # the browser or the server hangs: stop everything, whatever state it is in
        print(f"load test: hard timeout of {args.timeout:.0f}s reached; stopping", file=sys.stderr)
        if server is not None:
            server.process.kill()
        os._exit(3)

    watchdog = threading.Timer(args.timeout + 15, give_up)
    watchdog.daemon = True
    watchdog.start()

    plan = Plan(load_dataset(args.data))
    with tempfile.TemporaryDirectory(prefix="stances-load-") as work:
        try:
            if args.url:
                url = args.url if args.url.endswith("/") else args.url + "/"
            else:
                server = Server(args.data, Path(work))
                server.wait(timeout=max(5.0, min(60.0, deadline - time.monotonic())))
                url = server.url
                start_rss = server.memory()["VmRSS"]
                start_cpu = server.cpu_seconds()
            remaining = deadline - time.monotonic()
            try:
                found = asyncio.run(
                    asyncio.wait_for(
                        run_sessions(
                            url,
                            plan,
                            args.sessions,
                            min(args.step_timeout, remaining),
                            server.process.pid if server else None,
                        ),
                        remaining,
                    )
                )
            except TimeoutError:
                found = {
                    "times": {k: [] for k in KINDS},
                    "wall_seconds": remaining,
                    "errors": [
                        {
                            "session": -1,
                            "interaction": "all",
                            "error": f"not finished within the {args.timeout:.0f}s limit",
                        }
                    ],
                }
            result = {
                "sessions": args.sessions,
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "url": url,
                "data": str(args.data),
                "wall_seconds": found["wall_seconds"],
                "chromium": found.get("chromium"),
                "errors": found["errors"],
                "browser_cpu_seconds": found.get("browser_cpu_seconds"),
                "interactions": summary(found["times"]),
            }
            if server is not None:
                result["server_memory_kb"] = server.memory()
                result["server_start_rss_kb"] = start_rss
                result["server_cpu_seconds"] = server.cpu_seconds() - start_cpu
                loads = server.loads()
                result["load_dataset_calls"] = len(loads)
                result["load_seconds"] = loads
            complete = all(row["n"] == args.sessions for row in result["interactions"].values())
            result["ok"] = not result["errors"] and complete and result.get("load_dataset_calls", 1) == 1
        finally:
            if server is not None:
                server.stop()
            watchdog.cancel()
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
