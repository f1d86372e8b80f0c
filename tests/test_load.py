"""Many readers at once, through bench/load_test.py: `streamlit run app.py` on a free port and
concurrent pages in one headless Chromium, each loading the page, moving the date, filtering
by an alliance, opening a record's evidence and downloading the snapshot CSV.

- test_a_few_readers_at_once: 3 sessions at once, about 20 s on a 2-core machine: in the
  default suite.
- test_twenty_readers_at_once: the full load test, 20 sessions at once, about 2 minutes on a
  2-core machine (the 20 browser pages need most of it): too slow for the default suite, so
  it runs only with STANCES_LOAD_TEST=1. Or run `.venv/bin/python bench/load_test.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from browser_support import ROOT, chromium_missing_reason

_reason = chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


def run_load_test(tmp_path, sessions: int, timeout: int) -> dict:
    out = tmp_path / "load.json"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load_test.py"),
            "--sessions",
            str(sessions),
            "--timeout",
            str(timeout),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout + 60,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["errors"] == []
    assert {kind: row["n"] for kind, row in found["interactions"].items()} == {
        kind: sessions for kind in ("load", "date", "alliance", "evidence", "download")
    }
    # Loaded and validated once for the whole server process, not once per session.
    assert found["load_dataset_calls"] == 1
    assert found["server_memory_kb"]["VmHWM"] > 0
    return found


def test_a_few_readers_at_once(tmp_path):
    run_load_test(tmp_path, sessions=3, timeout=240)


@pytest.mark.skipif(
    not os.environ.get("STANCES_LOAD_TEST"),
    reason="the 20-session load test takes about 2 minutes on 2 cores; run it with "
    "STANCES_LOAD_TEST=1 or `.venv/bin/python bench/load_test.py`",
)
def test_twenty_readers_at_once(tmp_path):
    run_load_test(tmp_path, sessions=20, timeout=300)
