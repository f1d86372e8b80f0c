"""Serve the dashboard to many readers: Streamlit replicas of app.py behind nginx.

    scripts/serve [--port 8080] [--replicas N] [--host 127.0.0.1] [--data DIR] [--runtime DIR]
                  [--no-restart] [--upstream HOST:PORT ...]

Starts N replicas of `streamlit run app.py` (default: one per core) on free loopback ports,
waits until each answers /_stcore/health, then runs Debian's nginx in the foreground with its
own configuration (deploy/nginx.conf.template) in a runtime folder: a fresh temporary folder,
removed on exit, unless --runtime names one. Every process stays in this one's process group,
so Ctrl-C stops them all; SIGTERM to this process does the same.

A replica that exits is reported and started again on its port after a delay (at most
MAX_RESTARTS times); nginx moves its readers to the others meanwhile. If nginx exits, all stop.

--upstream HOST:PORT (repeatable) puts a replica that runs elsewhere (`streamlit run app.py`
on another machine) behind the same nginx, numbered after the local ones; `--replicas 0`
starts none here. scripts/serve waits until each answers /_stcore/health but does not start
or watch it. Every replica must have the same cookie secret: set
STREAMLIT_SERVER_COOKIE_SECRET to one value everywhere (here it is passed to the local
replicas; unset, a random one is made for them).
"""

from __future__ import annotations

import argparse
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
BROTLI = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")
WORKER_USER = "www-data"  # Debian's nginx user, for workers when started as root
MAX_RESTARTS = 10
RESTART_DELAY = 2.0  # seconds before the first restart of a replica, doubled for each further one
START_TIMEOUT = 120.0  # seconds for a replica or nginx to answer
STOP_TIMEOUT = 10.0  # seconds between SIGTERM and SIGKILL
POLL = 0.25


class ServeError(Exception):
    """Something that stops the servers from starting, said in one line."""


class _Template(string.Template):
    delimiter = "@"  # nginx's own variables start with $


@dataclass
class Replica:
    """One `streamlit run app.py` on a loopback port."""

    number: int
    port: int
    log: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None
    restarts: int = 0
    restart_at: float | None = None  # when it exited: the time it is to be started again
    restarted: bool = False  # started again, not yet answering

    def start(self) -> None:
        command = [
            sys.executable,
            str(ROOT / "deploy" / "streamlit_run.py"),  # streamlit, with Nagle off on its connections
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(self.port),
            "--browser.gatherUsageStats",
            "false",
            # Streamlit watches the app's source files for each session, which made a new
            # session's first run take 0.5 to 1 s instead of 40 ms (bench/README.md, Capacity).
            # A served replica's code does not change under it; data files are still checked
            # by the page itself (view.data_version).
            "--server.fileWatcherType",
            "none",
            # A closed tab's session is kept for reconnection for 30 s, not Streamlit's 120:
            # kept sessions hold memory and lengthen Streamlit's sweeps of every session's
            # downloads and objects, and a reader who comes back later gets the same view
            # from the URL (bench/README.md, "Under many sessions").
            "--server.disconnectedSessionTTL",
            "30",
        ]
        with open(self.log, "a", encoding="utf-8") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def exit_code(self) -> int | None:
        """The replica's exit status, or None while it runs."""
        return None if self.process is None else self.process.poll()


# --- the nginx configuration -----------------------------------------------------------


def backends(replicas: list[Replica], upstreams: list[str]) -> list[tuple[int, str]]:
    """Every replica behind nginx as (number, HOST:PORT): the local ones, then the upstreams."""
    local = [(r.number, f"127.0.0.1:{r.port}") for r in replicas]
    return local + [(len(replicas) + i, address) for i, address in enumerate(upstreams, start=1)]


def nginx_config(
    runtime: Path, host: str, port: int, replicas: list[Replica], as_root: bool, upstreams: list[str] | None = None
) -> str:
    """The text of nginx.conf for these replicas and upstreams (deploy/nginx.conf.template
    filled in)."""
    health = "max_fails=1 fail_timeout=5s"
    every = backends(replicas, upstreams or [])
    servers = "\n".join(f"        server {address} {health};" for _, address in every)
    groups = []
    for number, address in every:
        lines = [f"    upstream replica{number} {{", f"        zone replica{number} 64k;"]
        lines.append(f"        server {address} {health};")
        lines += [f"        server {other} {health} backup;" for n, other in every if n != number]
        lines += ["        keepalive 16;", "    }"]
        groups.append("\n".join(lines))
    brotli = BROTLI.exists()
    return _Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        user=f"user {WORKER_USER};" if as_root else "# workers run as the user who started nginx",
        load_modules=f"load_module {BROTLI};" if brotli else "# no brotli module installed",
        runtime=runtime,
        host=host,
        port=port,
        brotli=(
            "    brotli on;\n    brotli_comp_level 5;\n    brotli_min_length 1024;\n"
            "    brotli_types text/css text/javascript application/javascript application/json\n"
            "                 application/manifest+json image/svg+xml text/plain;"
            if brotli
            else "    # brotli: libnginx-mod-http-brotli-filter is not installed"
        ),
        pool_map="\n".join(f"        {n} replica{n};" for n, _ in every),
        served_map="\n".join(f'        "~(^|, ){re.escape(address)}$" {n};' for n, address in every),
        servers=servers,
        replica_upstreams="\n".join(groups),
    )


def prepare_runtime(runtime: Path, as_root: bool) -> None:
    """Make the runtime folder and the folders nginx's workers write to; as root, hand
    those to the worker user (who must be able to reach them)."""
    for sub in ("tmp", "cache"):
        (runtime / sub).mkdir(parents=True, exist_ok=True)
    if not as_root:
        return
    try:
        user = pwd.getpwnam(WORKER_USER)
    except KeyError as exc:
        raise ServeError(f"user {WORKER_USER} does not exist: nginx's workers run as it when started as root") from exc
    runtime.chmod(0o711)
    for folder in [runtime, *runtime.parents]:
        if not folder.stat().st_mode & 0o001:
            raise ServeError(
                f"{folder} is closed to other users, so nginx's workers ({WORKER_USER}) cannot reach {runtime}; "
                "choose a --runtime folder under /tmp"
            )
    for sub in ("tmp", "cache"):
        os.chown(runtime / sub, user.pw_uid, user.pw_gid)


def find_nginx() -> str:
    """The nginx binary, or a ServeError saying how to install it."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise ServeError("nginx not found: install Debian's nginx (apt-get install nginx)")
    return found


# --- processes -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether GET url returns 200 within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_until_answers(url: str, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"{what} exited with {process.returncode} before it answered; see {log}")
        if answers(url):
            return
        time.sleep(POLL)
    raise ServeError(f"{what} did not answer {url} within {START_TIMEOUT:.0f}s; see {log}")


def stop_all(processes: list[subprocess.Popen]) -> None:
    """SIGTERM to every live process, then SIGKILL to any still running after STOP_TIMEOUT."""
    live = [p for p in processes if p.poll() is None]
    for p in live:
        p.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for p in live:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def wait_for_upstream(number: int, address: str) -> None:
    """Wait until a replica that runs elsewhere answers its health check."""
    url = f"http://{address}/_stcore/health"
    deadline = time.monotonic() + START_TIMEOUT
    while not answers(url):
        if time.monotonic() > deadline:
            raise ServeError(f"upstream {address} did not answer {url} within {START_TIMEOUT:.0f}s")
        time.sleep(POLL)
    say(f"replica {number} answers at {address} (upstream)")


class Stop(Exception):
    """SIGINT or SIGTERM arrived."""


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def say(message: str) -> None:
    print(f"serve: {message}", flush=True)


def supervise(replicas: list[Replica], nginx: subprocess.Popen, restart: bool) -> int:
    """Watch the processes until a signal or nginx's exit; report replicas that exit, start
    them again after a delay (unless ``restart`` is false) and report when they answer.
    Returns the exit status for the whole."""
    while True:
        if nginx.poll() is not None:
            say(f"nginx exited with {nginx.returncode}; stopping")
            return 1
        for r in replicas:
            check_replica(r, restart)
        time.sleep(POLL)


def check_replica(r: Replica, restart: bool) -> None:
    """One look at a replica: report its exit, start it again when due, report its return."""
    now = time.monotonic()
    code = r.exit_code()
    if code is not None and r.restart_at is None:
        if restart and r.restarts < MAX_RESTARTS:
            r.restart_at = now + min(60.0, RESTART_DELAY * 2**r.restarts)
            say(
                f"replica {r.number} (port {r.port}) exited with {code}; starting it again in {r.restart_at - now:.0f}s"
            )
        else:
            say(f"replica {r.number} (port {r.port}) exited with {code}; not started again")
            r.process = None
    elif r.restart_at is not None and now >= r.restart_at:
        r.restarts += 1
        r.restart_at = None
        r.restarted = True
        r.start()
    elif r.restarted and code is None and answers(r.url + "_stcore/health", timeout=0.2):
        r.restarted = False
        assert r.process is not None
        say(f"replica {r.number} answers again on port {r.port} (pid {r.process.pid})")


def serve(args: argparse.Namespace) -> int:
    nginx_binary = find_nginx()
    as_root = os.geteuid() == 0
    own_runtime = args.runtime is None
    runtime = Path(tempfile.mkdtemp(prefix="stances-serve-")) if own_runtime else args.runtime.resolve()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    # One cookie secret for all replicas: a browser moved to another one keeps a valid cookie.
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
    if args.data is not None:
        env["STANCES_DATA_DIR"] = str(args.data.resolve())
    replicas = [Replica(n, free_port(), runtime / f"replica-{n}.log", env) for n in range(1, args.replicas + 1)]
    nginx: subprocess.Popen | None = None
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    try:
        prepare_runtime(runtime, as_root)
        say(f"runtime folder {runtime}")
        for r in replicas:
            r.start()
        for r in replicas:
            assert r.process is not None
            wait_until_answers(r.url + "_stcore/health", r.process, f"replica {r.number}", r.log)
            say(f"replica {r.number} answers on port {r.port} (pid {r.process.pid})")
        for number, address in backends(replicas, args.upstream)[len(replicas) :]:
            wait_for_upstream(number, address)
        conf = runtime / "nginx.conf"
        conf.write_text(nginx_config(runtime, args.host, args.port, replicas, as_root, args.upstream), encoding="utf-8")
        error_log = runtime / "error.log"
        nginx = subprocess.Popen(
            [nginx_binary, "-e", str(error_log), "-p", str(runtime), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
        )
        wait_until_answers(f"http://{args.host}:{args.port}/_stcore/health", nginx, "nginx", error_log)
        say(
            f"serving http://{args.host}:{args.port}/ with {len(replicas) + len(args.upstream)} replicas "
            f"(nginx pid {nginx.pid})"
        )
        return supervise(replicas, nginx, restart=args.restart)
    except Stop as stop:
        say(f"{stop}: stopping")
        return 0
    except ServeError as exc:
        print(f"serve: error: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stop_all([p for p in [nginx, *(r.process for r in replicas)] if p is not None])
        if own_runtime:
            shutil.rmtree(runtime, ignore_errors=True)
        say("stopped")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (default 8080)")
    parser.add_argument("--host", default="127.0.0.1", help="nginx's address (default 127.0.0.1)")
    parser.add_argument(
        "--replicas", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: one per core)"
    )
    parser.add_argument("--data", type=Path, help="the data folder (default $STANCES_DATA_DIR or data/)")
    parser.add_argument("--runtime", type=Path, help="folder for nginx's files and the logs (default: temporary)")
    parser.add_argument("--no-restart", dest="restart", action="store_false", help="leave a replica that exits")
    parser.add_argument(
        "--upstream",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="a replica running elsewhere, put behind nginx too (repeatable)",
    )
    args = parser.parse_args(argv)
    for address in args.upstream:
        if not re.fullmatch(r"[A-Za-z0-9.-]+:\d{1,5}|\[[0-9A-Fa-f:]+\]:\d{1,5}", address):
            parser.error(f"--upstream {address!r}: expected HOST:PORT")
    if not 0 <= args.replicas <= 64:
        parser.error("--replicas must be between 0 and 64")
    if args.replicas + len(args.upstream) == 0:
        parser.error("nothing to serve: --replicas 0 needs at least one --upstream")
    return args


def main(argv: list[str] | None = None) -> int:
    return serve(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
