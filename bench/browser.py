"""In Chromium: from a date change to the map repainted, and the bytes each rerun sends;
app.py against the floors.

    .venv/bin/python bench/browser.py [--sizes real] [--repeats 15]

One `streamlit run` server each for app.py, bench/floor_app.py and bench/floor_map_app.py
(the floors staged next to a copy of static/, so all three serve the map file themselves),
one headless Chromium page each. A country K and a change day C are picked from the data
such that K's colour differs between C and the change before it (P). Every page opens on
?date=C; then, repeat by repeat and page by page (order reversed every other repeat):

- button: "◀ Previous change" then "Next change ▶" are clicked (from the page's own script,
  so no Playwright round trip is timed), each timed from the click to the first animation
  frame after K's path in the map has its new fill (a MutationObserver watches the page);
- slider: the same, with ArrowLeft/ArrowRight pressed on the focused date slider (between
  C-1 and C), timed from the keydown event.

Every websocket frame the page receives from the click until the rerun's script_finished
message is counted: the bytes a date change costs the browser (Streamlit sends a repeated
message of 10 KB or more as a reference to the copy the browser keeps, so an unchanged
large element costs nothing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from stances import load_dataset, snapshot_frame, view  # noqa: E402
from stances.snapshot import category_of  # noqa: E402

from _common import (
    FILL_OF,
    app_server,
    bench_server,
    data_dir,
    launch_chromium,
    machine,  # noqa: E402
    median,
    print_table,
    ratio,
    rgb,
)

PAGES = ("app", "floor", "floor_map")
WAIT_MS = 60_000

# Arms a watch: from the trigger (a click made here, or the keydown event of a key pressed
# next) to the first animation frame after K's path has its new fill; the result, in ms,
# lands in window.__took. A MutationObserver sees the change as soon as plotly makes it.
ARM = """([how, label, iso, want]) => {
  const fillOf = %s;
  window.__took = undefined;
  let t0 = null, seen = false;
  const check = () => {
    if (seen || t0 === null || fillOf(iso) !== want) return false;
    seen = true;
    requestAnimationFrame(() => { window.__took = performance.now() - t0; });
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true});
  setTimeout(() => { if (!seen) { observer.disconnect(); window.__took = -1; } }, %d);
  if (how === 'button') {
    const button = [...document.querySelectorAll('button')].find(b => b.innerText.includes(label));
    t0 = performance.now();
    button.click();
  } else {
    const slider = document.querySelector('[data-testid=stSlider] input[type=range]');
    slider.addEventListener('keydown', (e) => { t0 = e.timeStamp; }, {once: true, capture: true});
    slider.focus();
  }
}""" % (FILL_OF, WAIT_MS)  # noqa: UP031 (a JavaScript template full of braces)


def pick(data: Path) -> tuple[str, dt.date, dt.date, str, str]:
    """(K, P, C, K's fill on P, K's fill on C): the latest change day C whose change from
    the change before it (P) recolours a country drawn as a shape."""
    ds = load_dataset(data)
    frame = view.timeframe(ds)
    shapes = view.geometry_ids()
    for i in range(len(frame.changes) - 1, 0, -1):
        before, after = frame.changes[i - 1], frame.changes[i]

        def fills(day: dt.date) -> dict[str, str]:
            return {
                r["iso3"]: rgb(
                    view.fade(view.COLOURS[category_of(r)]) if view.is_stale(r, day) else view.COLOURS[category_of(r)]
                )
                for r in snapshot_frame(ds, day).to_dict("records")
            }

        old, new = fills(after - dt.timedelta(days=1)), fills(after)
        for iso3 in new:
            if iso3 in shapes and old[iso3] != new[iso3]:
                return iso3, before, after, old[iso3], new[iso3]
    raise SystemExit(f"no change day in {data} recolours a country with a shape")


class Counter:
    """Websocket bytes received by a page, rerun by rerun."""

    def __init__(self, page):
        self.bytes = 0
        self.finished = False
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        self.bytes += len(data)
        try:
            if ForwardMsg.FromString(data).WhichOneof("type") == "script_finished":
                self.finished = True
        except Exception:  # noqa: BLE001 - not a ForwardMsg: counted, nothing else
            pass

    def reset(self) -> None:
        self.bytes, self.finished = 0, False


def trial(page, counter: Counter, how: str, label: str, iso3: str, want: str) -> tuple[float, int]:
    """One date change: (ms to the map repainted, websocket bytes until script_finished)."""
    page.bring_to_front()
    counter.reset()
    page.evaluate(ARM, [how, label, iso3, want])
    if how == "slider":
        page.keyboard.press(label)
    page.wait_for_function("() => window.__took !== undefined", timeout=WAIT_MS + 5000, polling=20)
    ms = page.evaluate("() => window.__took")
    waited = 0
    while not counter.finished and waited < WAIT_MS:
        page.wait_for_timeout(10)
        waited += 10
    if ms < 0 or not counter.finished:
        raise RuntimeError(f"{page.url}: {how} {label}: the map did not turn {iso3} {want}")
    page.wait_for_timeout(50)  # let trailing messages of this rerun arrive before the next
    return ms, counter.bytes


def run_size(label: str, repeats: int, playwright, stage: Path) -> dict:
    data = data_dir(label)
    iso3, before, after, old, new = pick(data)
    print(f"[{label}: {iso3} turns {old} -> {new} on {after} (previous change {before})]", file=sys.stderr, flush=True)
    servers = {"app": app_server(data)}
    results = {p: {"button": [], "slider": [], "bytes": []} for p in PAGES}
    browser = None
    try:
        for page_name in PAGES[1:]:
            servers[page_name] = bench_server(f"{page_name}_app.py", data, stage / label)
        for server in servers.values():
            server.wait()
        browser = launch_chromium(playwright)
        pages, counters = {}, {}
        for name, server in servers.items():
            context = browser.new_context(viewport={"width": 1500, "height": 1900})
            page = context.new_page()
            counters[name] = Counter(page)
            page.goto(f"{server.url}?date={after.isoformat()}")
            page.wait_for_function(f"(iso) => ({FILL_OF})(iso) === '{new}'", arg=iso3, timeout=WAIT_MS)
            page.wait_for_timeout(500)
            pages[name] = page
        # one untimed round each, so every page has loaded plotly's code and the map file
        for name in PAGES:
            trial(pages[name], counters[name], "button", "Previous change", iso3, old)
            trial(pages[name], counters[name], "button", "Next change", iso3, new)
        for i in range(repeats):
            order = PAGES if i % 2 == 0 else tuple(reversed(PAGES))
            for name in order:
                page, counter = pages[name], counters[name]
                for step, want in (("Previous change", old), ("Next change", new)):
                    ms, sent = trial(page, counter, "button", step, iso3, want)
                    results[name]["button"].append(ms)
                    results[name]["bytes"].append(sent)
            # the slider: from C to C-1 by keyboard is a day move with the same recolouring
            for name in order:
                page, counter = pages[name], counters[name]
                for key, want in (("ArrowLeft", old), ("ArrowRight", new)):
                    ms, _ = trial(page, counter, "slider", key, iso3, want)
                    results[name]["slider"].append(ms)
    finally:
        if browser is not None:
            browser.close()
        for server in servers.values():
            server.stop()
    return {p: {k: median(v) for k, v in r.items()} for p, r in results.items()} | {"n": repeats * 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["real"], help="real, 1k, 10k, 100k")
    parser.add_argument("--repeats", type=int, default=15, help="rounds of 2 date changes per page")
    args = parser.parse_args()
    print(f"machine: {machine()}; {dt.datetime.now():%Y-%m-%d %H:%M}")
    results = {}
    with tempfile.TemporaryDirectory(prefix="stances-bench-") as tmp, sync_playwright() as playwright:
        for label in args.sizes:
            results[label] = run_size(label, args.repeats, playwright, Path(tmp))
    rows = []
    for label, r in results.items():
        for how in ("button", "slider"):
            rows.append(
                [
                    label,
                    how,
                    r["n"],
                    f"{r['app'][how]:.0f}",
                    f"{r['floor'][how]:.0f}",
                    f"{r['floor_map'][how]:.0f}",
                    ratio(r["app"][how], r["floor"][how]),
                    ratio(r["app"][how], r["floor_map"][how]),
                ]
            )
    print_table(
        "Date change to the map repainted in Chromium, median ms",
        ["data", "by", "changes", "app", "floor", "map-only floor", "app / floor", "app / map-only floor"],
        rows,
    )
    rows = [
        [
            label,
            f"{r['app']['bytes']:,.0f}",
            f"{r['floor']['bytes']:,.0f}",
            f"{r['floor_map']['bytes']:,.0f}",
            ratio(r["app"]["bytes"], r["floor"]["bytes"]),
        ]
        for label, r in results.items()
    ]
    print_table(
        "Websocket bytes received per date change (median)",
        ["data", "app", "floor", "map-only floor", "app / floor"],
        rows,
    )


if __name__ == "__main__":
    main()
