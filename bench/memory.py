"""Peak memory (resident set) of the server process: app.py against the floor and hello world.

    .venv/bin/python bench/memory.py [--data 10k] [--repeats 3] [--changes 10]

Repeat by repeat (the order of the pages reversed every other repeat), a new server is
started for each page on the same data; one Chromium page opens it, waits for it to be
drawn, then steps the date back --changes times with "◀ Previous change" (hello world just
loads), each time waiting for the rerun to finish. Then VmHWM, the peak resident set of the
server process, is read from /proc/<pid>/status and the server stopped. Printed: medians
and their ratios. The app's peak includes loading and validating the data (once per
process); the floor's includes the same load plus its precomputed tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from browser import Counter  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from _common import app_server, bench_server, data_dir, launch_chromium, machine, median, print_table, ratio  # noqa: E402

PAGES = ("app", "floor", "hello")
WAIT_MS = 600_000


def peak(name: str, data: Path, browser, stage: Path, changes: int) -> tuple[float, float]:
    """(VmHWM MB after the session, VmHWM MB once the first page was drawn)."""
    server = app_server(data) if name == "app" else bench_server(f"{name}_app.py", data, stage)
    context = None
    try:
        server.wait(timeout=WAIT_MS / 1000)
        context = browser.new_context(viewport={"width": 1500, "height": 1900})
        page = context.new_page()
        counter = Counter(page)
        page.goto(server.url)
        if name == "hello":
            page.get_by_text("Hello, world").wait_for(timeout=WAIT_MS)
            page.wait_for_timeout(500)
            return server.peak_rss_mb(), server.peak_rss_mb()
        page.wait_for_selector(".choroplethlocation", timeout=WAIT_MS)
        _wait_finished(page, counter)
        first = server.peak_rss_mb()
        button = page.get_by_role("button", name="◀ Previous change")
        for _ in range(changes):
            counter.reset()
            button.click()
            _wait_finished(page, counter)
        return server.peak_rss_mb(), first
    finally:
        if context is not None:
            context.close()
        server.stop()


def _wait_finished(page, counter: Counter) -> None:
    waited = 0
    while not counter.finished and waited < WAIT_MS:
        page.wait_for_timeout(20)
        waited += 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default="10k", help="real, 1k, 10k, 100k")
    parser.add_argument("--repeats", type=int, default=3, help="servers started per page (default 3)")
    parser.add_argument("--changes", type=int, default=10, help="date changes per session (default 10)")
    args = parser.parse_args()
    print(f"machine: {machine()}; {dt.datetime.now():%Y-%m-%d %H:%M}")
    data = data_dir(args.data)
    after = {name: [] for name in PAGES}
    first = {name: [] for name in PAGES}
    with tempfile.TemporaryDirectory(prefix="stances-bench-") as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for i in range(args.repeats):
                for name in PAGES if i % 2 == 0 else tuple(reversed(PAGES)):
                    end, start = peak(name, data, browser, Path(tmp), args.changes)
                    after[name].append(end)
                    first[name].append(start)
                    print(
                        f"[{name}: peak {start:.0f} MB after the first page, {end:.0f} MB at the end]",
                        file=sys.stderr,
                        flush=True,
                    )
        finally:
            browser.close()
    a, f, h = (median(after[n]) for n in PAGES)
    print_table(
        f"Peak resident memory of the server (VmHWM), median MB ({args.data} data, {args.changes} date changes)",
        ["servers", "app", "floor", "hello world", "app / floor", "app / hello", "app after first page"],
        [[args.repeats, f"{a:.0f}", f"{f:.0f}", f"{h:.0f}", ratio(a, f), ratio(a, h), f"{median(first['app']):.0f}"]],
    )


if __name__ == "__main__":
    main()
