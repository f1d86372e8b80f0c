"""The benchmark scripts still work (bench/): the synthetic data generator writes a folder that
validates, and the floor pages run on it; the capacity scripts run, briefly, against the direct
server and scripts/serve. No timing here: benchmarks are not tests."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from browser_support import ROOT

BENCH = ROOT / "bench"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """4 countries x 7 events, each article reporting up to 3 of them."""
    out = tmp_path_factory.mktemp("bench") / "synthetic"
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "make_data.py"),
            str(out),
            "--countries",
            "4",
            "--events",
            "7",
            "--per-article",
            "3",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    return out / "data"


def test_generated_data_validates(synthetic):
    result = subprocess.run(
        [sys.executable, "-m", "stances", "check", "--data", str(synthetic)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 articles, 4 countries" in result.stdout and "28 events" in result.stdout


@pytest.mark.parametrize("page", ["floor_app.py", "floor_map_app.py", "hello_app.py"])
def test_bench_pages_run(synthetic, monkeypatch, page):
    monkeypatch.setenv("STANCES_DATA_DIR", str(synthetic))
    at = AppTest.from_file(str(BENCH / page), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "hello_app.py":
        at.button[0].click().run()  # "◀ Previous change"
        at.slider(key="day").set_value(at.slider(key="day").value).run()
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.get("plotly_chart")) == (3 if page == "floor_app.py" else 1)  # map, timeline, alliances


# --- the capacity scripts: bench/capacity.py, bench/first_paint.py, bench/rerun_gap.py ----------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"), reason="nginx not found (apt-get install nginx)"
)


def run_bench(script: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, str(BENCH / script), "--worktree", *args],
        cwd=BENCH,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@needs_nginx
def test_capacity_runs_both_setups(tmp_path):
    out = tmp_path / "capacity.json"
    run_bench(
        "capacity.py",
        *("--readers", "3", "--think", "0.5", "--arrival", "2", "--duration", "3"),
        *("--throughput-readers", "3", "--throughput-seconds", "3", "--repeats", "1", "--json", str(out)),
    )
    found = json.loads(out.read_text())
    assert all(s["wall_s"] >= 2 + 3 for s in found["curve"])  # readers arrived over 2 s, then 3 s
    steps = found["curve"] + found["throughput"]
    assert sorted({s["setup"] for s in steps}) == ["direct, 1 replica", "scripts/serve, 2 replicas"]
    for s in steps:
        assert s["errors"] == 0, s["error_kinds"]
        assert s["kinds"]["open"]["n"] >= 3 and s["interactions"] > s["kinds"]["open"]["n"]
        assert s["rss_mb"] > 50
        lag = s["client_lag_ms"]  # the load generator's own delay, measured beside the readers
        assert set(lag) == {"50", "95", "99"} and 0 <= lag["50"] <= lag["95"] <= lag["99"]
    served = [s for s in steps if s["setup"].startswith("scripts/serve")]
    assert all(set(s["readers_per_replica"]) <= {"1", "2"} for s in served)


@pytest.mark.parametrize(
    "served, setups",
    [
        (False, ["direct, 1 replica, HEAD", "direct, 1 replica"]),
        pytest.param(True, ["scripts/serve, 2 replicas, HEAD", "scripts/serve, 2 replicas"], marks=needs_nginx),
    ],
)
def test_capacity_against_an_earlier_commit(tmp_path, served, setups):
    out = tmp_path / "against.json"
    part = "curve" if served else "throughput"
    run_bench(
        "capacity.py",
        *("--against", "HEAD", "--think", "0.5", "--json", str(out)),
        *(("--served", "--skip-throughput") if served else ("--skip-curve",)),
        *("--readers", "3", "--arrival", "1", "--duration", "2"),
        *("--throughput-readers", "3", "--throughput-seconds", "3", "--repeats", "1"),
    )
    steps = json.loads(out.read_text())[part]
    assert [s["setup"] for s in steps] == setups
    assert all(s["errors"] == 0 and s["interactions"] > 0 for s in steps)
    if served:
        assert all(set(s["readers_per_replica"]) <= {"1", "2"} for s in steps)


def test_interaction_cost_compares_commits(tmp_path):
    out = tmp_path / "cost.json"
    command = [
        sys.executable,
        str(BENCH / "interaction_cost.py"),
        "--sessions",
        "2",
        "--json",
        str(out),
        "HEAD",
        "HEAD",
    ]
    result = subprocess.run(command, cwd=BENCH, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    found = json.loads(out.read_text())
    assert [c["rev"] for c in found["commits"]] == ["HEAD", "HEAD (2)"] and found["commits"][0]["ratio"] == 1.0
    for commit in found["commits"]:
        assert commit["n"] == {"open": 2, "date": 6, "alliance": 2, "country": 4}
        assert commit["ms"]["open"] > 0 and commit["per_interaction_ms"] > 0


@needs_nginx
def test_first_paint_through_both_setups():
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        pytest.skip("/usr/bin/chromium not found")
    result = run_bench("first_paint.py", "--repeats", "1", "--down", "1000", "--latency", "0")
    rows = {line.split("|")[1].strip(): line for line in result.stdout.splitlines() if line.startswith("| ")}
    assert {"direct, 1 replica", "scripts/serve, 2 replicas"} <= set(rows)
    assert "static/js/" in result.stdout  # the largest responses are listed


@needs_nginx
def test_fault_brings_back_every_view_of_the_killed_replica(tmp_path):
    out = tmp_path / "fault.json"
    run_bench(
        "fault.py",
        *("--readers", "10", "--think", "1", "--before", "2", "--grace", "5", "--max-seconds", "120"),
        *("--json", str(out)),
        timeout=240,
    )
    found = json.loads(out.read_text())
    assert found["connected"] == 10 and found["errors"] == 0, found["error_kinds"]
    assert found["affected"] == found["per_replica"][found["killed"]] == found["affected_on_killed_replica"]
    assert found["views_back"] == found["affected"] > 0 and found["views_lost"] == 0
    assert found["unaffected_stepped"] == found["unaffected"] == 10 - found["affected"]
    assert sum(found["reconnected_to"].values()) == found["affected"]  # each timed from close to run


def test_rerun_gap_profiles_every_kind_of_run():
    result = run_bench("rerun_gap.py", "--sessions", "1", "--reruns", "2")
    for kind in ("first run", "whole page", "fragment"):
        assert re.search(rf"^\| {kind} \| ({1 if kind == 'first run' else 2}) \|", result.stdout, re.M), kind
        assert f"{kind}: the profiled script runs by library" in result.stdout


COMMANDS = sorted(p.name for p in BENCH.glob("*.py") if not p.name.startswith("_") and not p.name.endswith("_app.py"))


@pytest.mark.parametrize("script", COMMANDS)
def test_every_bench_script_explains_itself(script):
    result = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"], cwd=BENCH, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and "usage:" in result.stdout, result.stderr
