"""scripts/serve: two Streamlit replicas behind nginx, on the self-contained test data.

One `scripts/serve --replicas 2` for the module, in a process group of its own (as a
terminal runs it). The page loads through nginx in headless Chromium; JavaScript and the map
file come gzipped; the nginx cookie keeps a browser on one replica. Then the fault: four
pages, each on its own link, two on each replica; replica 1 is killed (SIGKILL) and its pages
must reconnect through nginx to replica 2 and show the same view, while replica 2's pages
stay connected; scripts/serve starts replica 1 again. Last, Ctrl-C (SIGINT to the group)
must stop every process.

Skipped only where nginx or Chromium is missing (and CI is unset).
"""

from __future__ import annotations

import gzip
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bench._common import free_port

from browser_support import ROOT, chromium_missing_reason, make_data_dir

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
_reason = "nginx not found: scripts/serve needs Debian's nginx (apt-get install nginx)" if NGINX is None else None
_reason = _reason or chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


WAIT = 60_000  # ms
COOKIE = "stances_reader"
# A page of each link, and the replica its cookie sends it to.
LINKS = [
    ("?date=2019-06-01&alliance=Five%20Eyes&country=AUS", 1),
    ("?date=2019-02-01&alliance=EU&country=DEU", 2),
    ("?date=2018-12-28&alliance=G7&country=GBR", 1),
    ("?date=2019-04-23&alliance=G7&country=JPN", 2),
]
# Records the page's websockets (a failed attempt to reconnect too): when each opened and
# received its first message (ms since the epoch).
SOCKETS = """(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const seen = {created: Date.now(), opened: null, first: null};
      window.__sockets.push(seen);
      this.addEventListener('open', () => { seen.opened = Date.now(); });
      this.addEventListener('message', () => { if (seen.first === null) seen.first = Date.now(); });
    }
  };
})();"""
SETTLED = """() => {
  const app = document.querySelector('[data-test-connection-state]');
  const run = document.querySelector('[data-test-script-state]');
  return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && run && run.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('.choroplethlocation') !== null;
}"""


class Served:
    """scripts/serve running in its own process group; its output lines in a queue."""

    def __init__(self, data: Path, replicas: int = 2, args: tuple[str, ...] = (), env: dict | None = None):
        """``args``: more of scripts/serve's arguments; ``env``: more environment."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [str(ROOT / "scripts" / "serve"), "--replicas", str(replicas), "--port", str(self.port), *args],
            cwd=ROOT,
            env={**os.environ, "STANCES_DATA_DIR": str(data), **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # a group of its own, as a terminal's foreground job
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stamped: list[tuple[float, str]] = []  # every line, with when it was read
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.replica_ports: dict[int, int] = {}
        self.replica_pids: dict[int, int] = {}

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.stamped.append((time.time() * 1000, line.rstrip("\n")))
            self.lines.put(line.rstrip("\n"))

    def printed_at(self, pattern: str) -> float | None:
        """When (ms since the epoch) scripts/serve last printed a line matching ``pattern``."""
        return max((t for t, line in self.stamped if re.search(pattern, line)), default=None)

    def expect(self, pattern: str, timeout: float = 90) -> re.Match:
        """Wait for an output line matching ``pattern``; return its match."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.output.append(line)
            for m in re.finditer(r"replica (\d+) answers on port (\d+) \(pid (\d+)\)", line):
                self.replica_ports[int(m[1])], self.replica_pids[int(m[1])] = int(m[2]), int(m[3])
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"scripts/serve never printed {pattern!r}; it printed:\n" + "\n".join(self.output))

    def group(self) -> list[int]:
        """The live processes of its process group (the group's id is its pid)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[2]) == self.process.pid and fields[0] != "Z":
                    pids.append(int(entry.name))
        return pids


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = Served(make_data_dir(tmp_path_factory.mktemp("serve")))
    try:
        server.expect(r"serving http://")
        yield server
    finally:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


def get(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    """The body (as sent) and the headers of GET url; set-cookie: nginx's cookie or ""."""
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        found = {k.lower(): v for k, v in response.headers.items()}
        ours = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith(COOKIE + "=")]
        found["set-cookie"] = "\n".join(ours)
        return response.read(), found


def cookie_replica(set_cookie: str) -> int | None:
    found = re.search(rf"{COOKIE}=(\d+)\.[0-9a-f]{{32}}", set_cookie)
    return int(found[1]) if found else None


# --- tests ----------------------------------------------------------------------------


def test_the_page_loads_through_nginx(served, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(served.url) else None)
    page.goto(served.url + "?date=2019-06-01")
    page.wait_for_function(SETTLED, timeout=WAIT, polling=100)
    assert page.locator("[data-testid=stSliderThumbValue]").inner_text() == "2019-06-01"
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert re.fullmatch(r"[12]\.[0-9a-f]{32}", cookies[COOKIE])
    context.close()
    assert [u for u in outside if not u.startswith(("data:", "blob:"))] == []


def test_javascript_css_and_the_map_file_are_gzipped(served):
    html, _ = get(served.url)
    script = re.findall(r'src="\./(static/js/[^"]+\.js)"', html.decode())[0]
    sizes = {}
    for path in [script, "app/static/world_110m.json"]:
        url = served.url + path
        plain, plain_headers = get(url)
        packed, headers = get(url, {"Accept-Encoding": "gzip"})
        assert "content-encoding" not in plain_headers
        assert headers["content-encoding"] == "gzip", path
        assert gzip.decompress(packed) == plain
        assert len(packed) < len(plain) / 2
        sizes[path] = (len(plain), len(packed))
        if path.startswith("static/"):  # Streamlit's hashed bundles: cached for a year
            assert headers["cache-control"] == "public, max-age=31536000, immutable"
    print("gzip sizes (bytes, plain -> gzip):", sizes)


def test_the_map_file_is_kept_by_nginx_and_asked_of_the_replicas_uncompressed(served):
    url = served.url + f"app/static/world_110m.json?v={secrets.token_hex(8)}"  # not yet kept
    packed, first = get(url, {"Accept-Encoding": "gzip"})
    plain, second = get(url)
    assert first["x-stances-cache"] == "MISS" and first["content-encoding"] == "gzip"
    # One copy serves both: the replica was asked without Accept-Encoding, so its answer did
    # not vary with it, and nginx compressed it for the reader who asked.
    assert second["x-stances-cache"] == "HIT" and "content-encoding" not in second
    assert gzip.decompress(packed) == plain == (ROOT / "static" / "world_110m.json").read_bytes()


def test_one_cookie_keeps_a_browser_on_one_replica_and_new_browsers_spread(served):
    first = [get(served.url + "_stcore/health")[1] for _ in range(8)]
    replicas = [cookie_replica(h["set-cookie"]) for h in first]
    assert sorted(replicas) == [1, 1, 1, 1, 2, 2, 2, 2], replicas  # readers without a cookie: in turn
    assert [int(h["x-stances-replica"]) for h in first] == replicas  # the cookie names who answered
    for h in first[:4]:
        cookie = h["set-cookie"].split(";")[0]
        again = [get(served.url + "_stcore/health", {"Cookie": cookie})[1] for _ in range(5)]
        assert {a["x-stances-replica"] for a in again} == {h["x-stances-replica"]}
        assert [a["set-cookie"] for a in again] == [""] * 5  # kept, not set again
    # The same address with different cookies reaches different replicas (no ip_hash).
    one, two = (f"{COOKIE}={n}.{secrets.token_hex(16)}" for n in (1, 2))
    assert get(served.url, {"Cookie": one})[1]["x-stances-replica"] == "1"
    assert get(served.url, {"Cookie": two})[1]["x-stances-replica"] == "2"


def alliance_tags(page):
    """The tags of the sidebar's alliance filter."""
    return page.locator("[data-testid=stMultiSelect]").filter(has_text="Alliance").locator("[data-tag]")


def read_view(page) -> dict:
    """What the page shows: the slider's day, the alliance filter, the evidence heading, the
    countries drawn on the map and the URL's query."""
    return {
        "day": page.locator("[data-testid=stSliderThumbValue]").inner_text(),
        "alliances": alliance_tags(page).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))"),
        "evidence": page.locator(".evidence-current").inner_text().split("\n")[0],
        "countries": sorted(
            page.evaluate("() => [...document.querySelectorAll('.choroplethlocation')].map(e => e.__data__.loc)")
        ),
        "query": page.evaluate("() => location.search"),
    }


def test_pages_of_a_killed_replica_reconnect_to_the_other_with_the_same_view(served, browser):
    pages = []
    for query, replica in LINKS:
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        context.add_cookies([{"name": COOKIE, "value": f"{replica}.{secrets.token_hex(16)}", "url": served.url}])
        context.add_init_script(SOCKETS)
        page = context.new_page()
        page.goto(served.url + query, wait_until="commit")
        pages.append((page, replica))
    before = []
    for page, _ in pages:
        page.wait_for_function(SETTLED, timeout=WAIT, polling=100)
        page.locator(".evidence-current").wait_for(timeout=WAIT)
        alliance_tags(page).first.wait_for(timeout=WAIT)  # the sidebar may draw after the map
        before.append(read_view(page))
    assert [v["day"] for v in before] == ["2019-06-01", "2019-02-01", "2018-12-28", "2019-04-23"]
    assert [v["alliances"] for v in before] == [["Five Eyes"], ["EU"], ["G7"], ["G7"]]
    assert [v["evidence"] for v in before] == ["Australia", "Germany", "United Kingdom", "Japan"]

    killed_at = time.time() * 1000
    os.kill(served.replica_pids[1], signal.SIGKILL)
    served.expect(r"replica 1 \(port \d+\) exited with -9; starting it again", timeout=10)
    reconnected = []
    for (page, replica), view in zip(pages, before):
        if replica == 1:
            # The page notices, reconnects through nginx (to replica 2: replica 1 is down) and
            # keeps what it shows; its next run, here Streamlit's "r" (rerun) key, runs there.
            page.wait_for_function(
                "() => window.__sockets.length > 1 && window.__sockets.at(-1).opened !== null",
                timeout=WAIT,
                polling=50,
            )
            opened = page.evaluate("() => window.__sockets.at(-1).opened")
            reconnected.append(opened - killed_at)
            page.keyboard.press("r")
            page.wait_for_function("() => window.__sockets.at(-1).first !== null", timeout=WAIT, polling=50)
            page.wait_for_function(SETTLED, timeout=WAIT, polling=100)
            cookie = {c["name"]: c["value"] for c in page.context.cookies()}[COOKIE]
            if not cookie.startswith("2."):  # a page slow to retry may find replica 1 started again
                back = served.printed_at(r"replica 1 answers again")
                assert back is not None and back <= opened, "nginx moved the reader to the surviving replica"
        assert read_view(page) == view
    for page, replica in pages:
        if replica == 2:  # never disconnected by the fault: no websocket opened after the kill
            # (a page may open more than one while it first loads on a busy machine)
            sockets = page.evaluate("() => window.__sockets")
            assert [s for s in sockets if s["created"] >= killed_at] == [], (killed_at, sockets)
    print(f"websocket open again after the kill in {', '.join(f'{ms:.0f}' for ms in reconnected)} ms")
    assert max(reconnected) < 15_000

    # scripts/serve starts the killed replica again; nginx then sends new readers to it too.
    served.expect(r"replica 1 answers again on port", timeout=60)
    replicas = {cookie_replica(get(served.url + "_stcore/health")[1]["set-cookie"]) for _ in range(6)}
    assert replicas == {1, 2}
    for page, _ in pages:
        page.context.close()


def test_ctrl_c_stops_every_process(served):
    group = served.group()
    assert len(group) >= 5  # scripts/serve, two replicas, nginx's master and a worker
    os.killpg(served.process.pid, signal.SIGINT)
    assert served.process.wait(timeout=30) == 0
    served.expect(r"serve: stopped", timeout=5)
    deadline = time.monotonic() + 10
    while served.group() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served.group() == []
    with pytest.raises(OSError):
        get(served.url + "_stcore/health")
