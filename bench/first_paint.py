"""First paint over a slow link: the bytes a new reader's browser moves, and the time it
waits, before the map is painted, through scripts/serve (nginx) against the direct server.

    .venv/bin/python bench/first_paint.py [--repeats 5] [--replicas 2] [--down 20] [--latency 40]
                                          [--link QUERY] [--worktree]

Starts `streamlit run app.py` ("direct") and `scripts/serve --replicas N` side by side, both
from a copy of the last commit (as bench/capacity.py does), and one headless Chromium. Each
repeat (the order of the two reversed every other repeat) opens the link in a fresh browser
context with the browser's cache disabled and the network emulated through the DevTools
protocol (`Network.emulateNetworkConditions`: --down Mbit/s down, a quarter of it up,
--latency ms), and waits for the map to be painted (the first animation frame after the
map's countries have their fills, as bench/coldstart.py waits). Counted up to that frame:
the bytes received for every finished response (headers and body as sent, compressed or
not: `encodedDataLength`) and every websocket frame. Printed: the medians, the ratio
serve / direct, and the largest responses.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

from capacity import Direct, Served, snapshot
from coldstart import PAINTED
from playwright.sync_api import sync_playwright

import _common

WAIT_MS = 180_000
LINK = "date=2019-06-01&alliance=Five%20Eyes"


def first_paint(browser, url: str, down_mbit: float, latency_ms: float) -> dict:
    """One fresh context: the page opened over the emulated link until the map is painted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        down = down_mbit * 1_000_000 / 8
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": latency_ms, "downloadThroughput": down, "uploadThroughput": down / 4},
        )
        urls: dict[str, str] = {}
        responses: dict[str, int] = {}
        frames = [0]
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: responses.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        cdp.on("Network.webSocketFrameReceived", lambda e: frames.__setitem__(0, frames[0] + frame_bytes(e)))
        page.goto(url, wait_until="commit", timeout=WAIT_MS)
        page.evaluate(PAINTED["map"])
        painted_ms = page.evaluate("() => performance.now()")  # since the navigation started
        by_url = sorted(((size, urls.get(rid, "?")) for rid, size in responses.items()), reverse=True)
        return {
            "seconds": painted_ms / 1000,
            "bytes": sum(responses.values()) + frames[0],
            "http_bytes": sum(responses.values()),
            "ws_bytes": frames[0],
            "requests": len(responses),
            "largest": by_url[:5],
        }
    finally:
        context.close()


def frame_bytes(event: dict) -> int:
    """The payload of a websocket frame: binary frames arrive base64-encoded."""
    response = event["response"]
    data = response.get("payloadData", "")
    return len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--down", type=float, default=20.0, help="Mbit/s down (default 20)")
    parser.add_argument("--latency", type=float, default=40.0, help="ms (default 40)")
    parser.add_argument("--link", default=LINK, help=f"the query opened (default {LINK.replace('%', '%%')})")
    parser.add_argument("--worktree", action="store_true", help="serve the work tree as it is")
    args = parser.parse_args(argv)

    print(f"{dt.date.today()}, {_common.machine()}, load average {os.getloadavg()}", flush=True)
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="stances-paint-") as work:
        tree = _common.ROOT if args.worktree else snapshot(Path(work))
        setups: list = []
        try:
            setups.append(Direct(tree, tree / "data"))
            setups.append(Served(tree, tree / "data", args.replicas))
            with sync_playwright() as playwright:
                browser = _common.launch_chromium(playwright)
                try:
                    for setup in setups:  # not timed: the first run of each replica loads the data
                        for _ in range(args.replicas):
                            first_paint(browser, setup.url + "?" + args.link, 1000, 0)
                    for repeat in range(args.repeats):
                        for setup in setups if repeat % 2 == 0 else reversed(setups):
                            got = first_paint(browser, setup.url + "?" + args.link, args.down, args.latency)
                            results.setdefault(setup.name, []).append(got)
                            print(f"[{setup.name}: {got['seconds']:.2f} s, {got['bytes'] / 1e6:.2f} MB]", flush=True)
                finally:
                    browser.close()
        finally:
            for setup in setups:
                setup.stop()
    report(results, args)
    return 0


def report(results: dict[str, list[dict]], args: argparse.Namespace) -> None:
    rows = []
    medians = {}
    for name, runs in results.items():
        medians[name] = (_common.median([r["seconds"] for r in runs]), _common.median([r["bytes"] for r in runs]))
        rows.append(
            [
                name,
                f"{medians[name][0]:.2f}",
                f"{medians[name][1] / 1e6:.2f}",
                f"{_common.median([r['http_bytes'] for r in runs]) / 1e6:.2f}",
                f"{_common.median([r['ws_bytes'] for r in runs]) / 1e3:.0f}",
                _common.median([r["requests"] for r in runs]),
            ]
        )
    (direct, served) = list(medians)
    rows.append(
        [
            f"{served} / {direct}",
            _common.ratio(medians[served][0], medians[direct][0]),
            _common.ratio(medians[served][1], medians[direct][1]),
            "",
            "",
            "",
        ]
    )
    _common.print_table(
        f"first map paint over {args.down:g} Mbit/s, {args.latency:g} ms, cache disabled "
        f"(?{args.link}; medians of {args.repeats})",
        ["setup", "first paint s", "bytes MB", "HTTP MB", "websocket KB", "requests"],
        rows,
    )
    for name, runs in results.items():
        print(f"\nlargest responses, {name}:")
        for size, url in runs[-1]["largest"]:
            print(f"  {size / 1e3:8.0f} KB  {url.split('/', 3)[-1][:90]}")


if __name__ == "__main__":
    sys.exit(main())
