"""Shared by the benchmark scripts and the browser tests: data folders, Streamlit servers,
Chromium, medians.

Nothing here times anything by itself. Every figure the scripts print is a ratio of two
medians measured in the same run, the two things interleaved, because the machine is noisy.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
APP = ROOT / "app.py"
REAL_DATA = ROOT / "data"
CHROMIUM = "/usr/bin/chromium"
# streamlit as the dashboard runs it: with Nagle off on its connections (its docstring says why)
STREAMLIT_RUN = Path(__file__).resolve().parent.parent / "deploy" / "streamlit_run.py"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
CACHE = Path(os.environ.get("STANCES_BENCH_CACHE") or Path(tempfile.gettempdir()) / "stances-bench")

# AppTest runs pages outside a server; Streamlit then warns about a missing ScriptRunContext.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")


# Sizes used throughout: label -> (countries, events per country).
SIZES = {"1k": (25, 40), "10k": (250, 40), "100k": (250, 400)}


def synthetic_data(label: str) -> Path:
    """The data folder of a synthetic size ("1k", "10k", "100k"), generated once and kept in
    CACHE (a new version of make_data.py makes a new folder)."""
    try:
        import make_data  # a script in bench/ (its folder is on the path)
    except ImportError:
        from bench import make_data  # bench._common, imported by the tests

    countries, events = SIZES[label]
    version = hashlib.sha256((BENCH / "make_data.py").read_bytes()).hexdigest()[:10]
    out = CACHE / f"{countries}x{events}-{version}"
    done = out / "complete"
    if not done.exists():
        print(
            f"[generating {label} events: {countries} countries x {events} events into {out}]",
            file=sys.stderr,
            flush=True,
        )
        make_data.make(out, countries, events)
        done.write_text("ok\n")
    return out / "data"


def data_dir(label: str) -> Path:
    return REAL_DATA if label == "real" else synthetic_data(label)


def median(values) -> float:
    return statistics.median(values)


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu or platform.machine()}, Python {platform.python_version()}"


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    sys.stdout.flush()


# --- Streamlit servers ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def staged(script: str, into: Path) -> Path:
    """A copy of bench/<script> in ``into``, next to a copy of static/ and
    .streamlit/config.toml: Streamlit serves static/ from the main script's folder and reads
    config.toml from the working directory, so a bench page serves the map file as app.py does."""
    into.mkdir(parents=True, exist_ok=True)
    if not (into / "static").exists():
        shutil.copytree(ROOT / "static", into / "static")
        (into / ".streamlit").mkdir(exist_ok=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", into / ".streamlit" / "config.toml")
    target = into / script
    shutil.copy(BENCH / script, target)
    return target


class Server:
    """``streamlit run SCRIPT`` on a free port (the app from the project folder, bench pages
    from a staged folder); stop() always ends it. Its output goes to a log file in CACHE,
    named in the error if it does not start, and deleted if it did."""

    def __init__(
        self,
        script: Path,
        data: Path,
        cwd: Path | None = None,
        launcher: list[str] | None = None,
        env: dict[str, str] | None = None,
        log: Path | None = None,
    ):
        """``launcher`` replaces ``python -m streamlit run SCRIPT`` (e.g. a wrapper script);
        ``log``: where its output goes and stays (default: a file in CACHE, deleted if the
        server started)."""
        self.script = Path(script)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {
            **os.environ,
            "STANCES_DATA_DIR": str(data),
            "STANCES_BENCH_ROOT": str(ROOT),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        self.log = log or CACHE / "logs" / f"{self.script.stem}-{self.port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log, "w", encoding="utf-8")
        self.keep_log = log is not None
        self.failed = False
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            (launcher or [sys.executable, str(STREAMLIT_RUN), "run", str(self.script)])
            + [
                "--server.headless",
                "true",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=cwd or self.script.parent,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait(self, timeout: float = 120, poll: float = 0.02) -> float:
        """Block until /_stcore/health answers; return the seconds since the process started."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.failed = True
                raise RuntimeError(f"streamlit exited with {self.process.returncode} ({self.script}); see {self.log}")
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(poll)
        self.failed = True
        raise RuntimeError(f"streamlit did not answer on {self.url} within {timeout}s; see {self.log}")

    def peak_rss_mb(self) -> float:
        """VmHWM of the server process (its peak resident set), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        if not self.failed and not self.keep_log:
            self.log.unlink(missing_ok=True)


def app_server(data: Path) -> Server:
    return Server(APP, data, cwd=ROOT)


def bench_server(script: str, data: Path, stage: Path) -> Server:
    return Server(staged(script, stage), data)


# --- Chromium ---------------------------------------------------------------------------


def launch_chromium(playwright):
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


FILL_OF = """(iso) => {
  const el = [...document.querySelectorAll('.choroplethlocation')].find(e => e.__data__ && e.__data__.loc === iso);
  return el ? el.getAttribute('fill') : null;
}"""


def rgb(hex_colour: str) -> str:
    """``#D55E00`` as plotly writes it in an SVG fill: ``rgb(213, 94, 0)``."""
    return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))
