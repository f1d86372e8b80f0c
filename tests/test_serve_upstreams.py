"""scripts/serve --upstream: replicas that run elsewhere behind the same nginx.

Two `streamlit run app.py` on 127.0.0.2 and 127.0.0.3 stand for replicas on other machines
(same cookie secret, each loading its own copy of the data). scripts/serve puts them behind
nginx with one local replica, then with none (--replicas 0). New readers spread over all;
nginx's cookie keeps a reader on its replica; a reader speaking Streamlit's protocol
(bench/_protocol.py) runs the page on each. Skipped where nginx is missing (unless CI is set).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from test_serve import Served, cookie_replica, get

from bench._protocol import Client, day_state, slider_day

from browser_support import APP, ROOT, make_data_dir

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
if NGINX is None and os.environ.get("CI"):
    raise RuntimeError("nginx not found and CI is set: scripts/serve's tests may not be skipped")
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx not found (apt-get install nginx)")

SECRET = secrets.token_hex(32)
ADDRESSES = ("127.0.0.2", "127.0.0.3")


def free_port(address: str) -> int:
    with socket.socket() as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return make_data_dir(tmp_path_factory.mktemp("upstreams"))


@pytest.fixture(scope="module")
def upstreams(data, tmp_path_factory):
    """Two replicas "elsewhere": HOST:PORT of each."""
    logs = tmp_path_factory.mktemp("upstream-logs")
    env = {**os.environ, "STANCES_DATA_DIR": str(data), "STREAMLIT_SERVER_COOKIE_SECRET": SECRET}
    running = []
    for address in ADDRESSES:
        port = free_port(address)
        command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true"]
        command += ["--server.address", address, "--server.port", str(port), "--browser.gatherUsageStats", "false"]
        with open(logs / f"{address}.log", "w", encoding="utf-8") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        running.append((process, f"{address}:{port}"))
    yield [address for _, address in running]
    for process, _ in running:
        process.terminate()
        process.wait(timeout=30)


def serve(data: Path, replicas: int, upstreams: list[str]) -> Served:
    extra = tuple(arg for address in upstreams for arg in ("--upstream", address))
    return Served(data, replicas, extra, {"STREAMLIT_SERVER_COOKIE_SECRET": SECRET})


def stop(served: Served) -> None:
    os.killpg(served.process.pid, signal.SIGINT)
    assert served.process.wait(timeout=30) == 0


async def open_page(url: str, cookie: str) -> tuple[list[str], str]:
    """A reader with nginx's cookie ``cookie`` opens a link and steps the date back a day:
    the page's exceptions and its URL's query after the step."""
    client = Client(url)
    client.cookies.set_cookie(_cookie("stances_reader", cookie))
    try:
        run = await client.open("date=2019-06-01&alliance=Five%20Eyes&country=AUS")
        day = client.widget("day")
        step = await client.rerun([day_state(day, slider_day(day) - dt.timedelta(days=1))], day.fragment_id)
        return run.exceptions + step.exceptions, client.query
    finally:
        await client.close()


def _cookie(name: str, value: str):
    import http.cookiejar

    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, True, None, None, {}
    )


def test_one_local_replica_and_two_upstreams(data, upstreams):
    served = serve(data, 1, upstreams)
    try:
        served.expect(r"serving http://\S+ with 3 replicas")
        said = "\n".join(served.output)
        for number, address in zip((2, 3), upstreams):
            assert f"replica {number} answers at {address} (upstream)" in said
        first = [get(served.url + "_stcore/health")[1] for _ in range(9)]
        assert {cookie_replica(h["set-cookie"]) for h in first} == {1, 2, 3}  # new readers spread
        for number in (1, 2, 3):
            cookie = f"stances_reader={number}.{secrets.token_hex(16)}"
            answered = {
                get(served.url + "_stcore/health", {"Cookie": cookie})[1]["x-stances-replica"] for _ in range(4)
            }
            assert answered == {str(number)}  # and stay on theirs
            exceptions, query = asyncio.run(open_page(served.url, cookie.split("=", 1)[1]))
            assert exceptions == []
            assert query == "date=2019-05-31&alliance=Five+Eyes&country=AUS"
    finally:
        stop(served)


def test_no_local_replica(data, upstreams):
    served = serve(data, 0, upstreams[:1])
    try:
        served.expect(r"serving http://\S+ with 1 replicas")
        assert not any(re.search(r"replica \d+ answers on port", line) for line in served.output)
        assert {cookie_replica(get(served.url + "_stcore/health")[1]["set-cookie"]) for _ in range(3)} == {1}
        exceptions, _ = asyncio.run(open_page(served.url, f"1.{secrets.token_hex(16)}"))
        assert exceptions == []
    finally:
        stop(served)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--replicas", "0"], "--replicas 0 needs at least one --upstream"),
        (["--upstream", "127.0.0.2"], "expected HOST:PORT"),
    ],
)
def test_bad_upstream_arguments(args, message):
    result = subprocess.run(
        [str(ROOT / "scripts" / "serve"), *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert message in result.stderr
