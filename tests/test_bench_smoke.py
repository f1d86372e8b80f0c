"""The benchmark scripts still work (bench/): the synthetic data generator writes a folder that
validates, and the floor pages run on it. No timing here: benchmarks are not tests."""

from __future__ import annotations

import subprocess
import sys

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
        assert len(at.get("plotly_chart")) == (2 if page == "floor_app.py" else 1)
