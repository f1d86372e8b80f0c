"""Cold start: from `streamlit run` to the first painted map, app.py against a hello-world
page, and against the floors (every element of the page, precomputed; the map alone).

    .venv/bin/python bench/coldstart.py [--data real] [--repeats 5]

Chromium is started once, before any timing. Then, repeat by repeat (the order of the
pages reversed every other repeat), a new server process is started and timed from its
launch until, in a fresh browser context (nothing cached), the page is painted: for app.py
and the floors the first animation frame after the map's country paths have their fills,
for bench/hello_app.py the first after its title is shown. The server is
stopped after each start. Printed: the medians, their ratios, how long each server took to
answer /_stcore/health (the Python start-up before any page is asked for), and for the app
when the browser had the plotly.js code Streamlit loads for a first chart and when it asked
for the map file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright  # noqa: E402

from _common import app_server, bench_server, data_dir, launch_chromium, machine, median, print_table, ratio  # noqa: E402

WAIT_MS = 120_000
PAINTED = {
    "map": """() => new Promise((resolve) => {
        const ready = () => [...document.querySelectorAll('.choroplethlocation')].some(e => e.getAttribute('fill'));
        const go = () => requestAnimationFrame(() => resolve(true));
        if (ready()) return go();
        const observer = new MutationObserver(() => { if (ready()) { observer.disconnect(); go(); } });
        observer.observe(document, {subtree: true, childList: true, attributes: true});
    })""",
    "hello": """() => new Promise((resolve) => {
        const ready = () => [...document.querySelectorAll('h1')].some(e => e.innerText.includes('Hello, world'));
        const go = () => requestAnimationFrame(() => resolve(true));
        if (ready()) return go();
        const observer = new MutationObserver(() => { if (ready()) { observer.disconnect(); go(); } });
        observer.observe(document, {subtree: true, childList: true, characterData: true});
    })""",
}


PAGES = ("app", "floor", "floor_map", "hello")


def cold_start(name: str, data: Path, browser, stage: Path) -> dict[str, float]:
    """Seconds from launch: to the page painted, to health answering, to the plotly.js code
    loaded and to the map file asked for (the last two for pages with a map)."""
    server = app_server(data) if name == "app" else bench_server(f"{name}_app.py", data, stage)
    context = None
    marks: dict[str, float] = {}

    def mark(request) -> None:
        now = time.perf_counter() - server.started
        if "plotly" in request.url.lower() and request.url.endswith(".js"):
            marks.setdefault("plotly.js", now)
        elif request.url.endswith("world_110m.json"):
            marks.setdefault("map file", now)

    try:
        marks["health"] = server.wait(timeout=WAIT_MS / 1000, poll=0.01)
        context = browser.new_context(viewport={"width": 1500, "height": 1900})
        page = context.new_page()
        page.on("requestfinished", mark)
        page.on("request", lambda r: mark(r) if r.url.endswith("world_110m.json") else None)
        page.goto(server.url, wait_until="commit", timeout=WAIT_MS)
        page.evaluate(PAINTED["hello" if name == "hello" else "map"])
        marks["painted"] = time.perf_counter() - server.started
        return marks
    finally:
        if context is not None:
            context.close()
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="real", help="real, 1k, 10k, 100k (the app's data)")
    parser.add_argument("--repeats", type=int, default=5, help="starts of each page (default 5)")
    args = parser.parse_args()
    print(f"machine: {machine()}; {dt.datetime.now():%Y-%m-%d %H:%M}")
    data = data_dir(args.data)
    marks = {name: [] for name in PAGES}
    with tempfile.TemporaryDirectory(prefix="stances-bench-") as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for i in range(args.repeats):
                for name in PAGES if i % 2 == 0 else tuple(reversed(PAGES)):
                    got = cold_start(name, data, browser, Path(tmp))
                    marks[name].append(got)
                    print(
                        f"[{name}: " + ", ".join(f"{k} {v:.2f} s" for k, v in got.items()) + "]",
                        file=sys.stderr,
                        flush=True,
                    )
        finally:
            browser.close()

    def med(name: str, key: str) -> float:
        values = [m[key] for m in marks[name] if key in m]
        return median(values) if values else float("nan")

    a, fl, f, h = (med(name, "painted") for name in PAGES)
    print_table(
        f"Cold start, `streamlit run` to first paint, median s ({args.data} data)",
        [
            "starts",
            "app (map painted)",
            "floor (map)",
            "map-only floor (map)",
            "hello world (title)",
            "app / hello",
            "app / floor",
            "floor / hello",
            "map-only floor / hello",
        ],
        [
            [
                args.repeats,
                f"{a:.2f}",
                f"{fl:.2f}",
                f"{f:.2f}",
                f"{h:.2f}",
                ratio(a, h),
                ratio(a, fl),
                ratio(fl, h),
                ratio(f, h),
            ]
        ],
    )
    print_table(
        "Where the time goes, median s from launch",
        ["page", "health answers", "plotly.js loaded", "map file asked for", "painted"],
        [
            [
                name,
                f"{med(name, 'health'):.2f}",
                f"{med(name, 'plotly.js'):.2f}",
                f"{med(name, 'map file'):.2f}",
                f"{med(name, 'painted'):.2f}",
            ]
            for name in PAGES
        ],
    )


if __name__ == "__main__":
    main()
