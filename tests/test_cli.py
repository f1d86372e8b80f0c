import io
import os
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass

import pandas as pd
import pytest

from stances import DataError
from stances.cli import _parser, main

from conftest import ROOT


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def run(*args, env=None) -> Result:
    """``python -m stances ARGS``, in-process: its exit code and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.pop("STANCES_DATA_DIR", None)
    os.environ.update(env or {})
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return Result(code, out.getvalue(), err.getvalue())


def run_module(*args, timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m stances ARGS`` in a process of its own (without STANCES_DATA_DIR)."""
    clean = {k: v for k, v in os.environ.items() if k != "STANCES_DATA_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "stances", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env=clean,
    )


def test_python_dash_m_runs_the_command_line(folder):
    result = run_module("check", "--data", folder.data)
    assert (result.returncode, result.stdout) == (0, run("check", "--data", folder.data).stdout)


def csv_rows(text: str) -> list[dict]:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).to_dict("records")


def test_check_ok(folder):
    result = run("check", "--data", folder.data)
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        "ok: 10 articles, 4 countries, 1 organisations, 10 events, 1 mentions\n",
        "",
    )


def test_check_data_dir_from_environment(folder):
    result = run("check", env={"STANCES_DATA_DIR": str(folder.data)})
    assert result.returncode == 0
    assert result.stdout.startswith("ok: 10 articles, 4 countries")


def test_check_lists_every_problem(folder):
    folder.replace("data/countries/GBR.yaml", "stance: core-only exclusion", "stance: Ban")
    folder.replace("data/countries/AUS.yaml", "article: au-ban", "article: au-bam")
    folder.replace("data/mentions.yaml", "iso3: CHN", "iso3: YUG")
    with pytest.raises(DataError) as caught:
        folder.load()
    result = run("check", "--data", folder.data)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [str(p) for p in caught.value.problems] + ["3 problem(s) found"]
    assert [line.split(":")[:2] for line in result.stderr.splitlines()[:-1]] == [
        ["data/countries/AUS.yaml", str(folder.line_of("data/countries/AUS.yaml", "au-bam"))],
        ["data/countries/GBR.yaml", str(folder.line_of("data/countries/GBR.yaml", "stance: Ban"))],
        ["data/mentions.yaml", "2"],
    ]


def test_export_snapshot(folder):
    result = run("export", "snapshot", "--data", folder.data, "--as-of", "2019-06-01", "--alliance", "EU")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[0].split(",")[:4] == ["iso3", "country", "stance", "status"]
    assert [(r["iso3"], r["stance"], r["since"], r["actor"], r["status"]) for r in csv_rows(result.stdout)] == [
        ("DEU", "", "", "", ""),
        ("GBR", "core-only exclusion", "2019-04-24", "National Security Council", "reported"),
    ]


def test_export_snapshot_past_the_horizon_answers_and_warns(folder):
    # The latest article of the test data is dated 2023-02-01.
    past = run("export", "snapshot", "--data", folder.data, "--as-of", "2023-02-02")
    at = run("export", "snapshot", "--data", folder.data, "--as-of", "2023-02-01")
    assert (past.returncode, at.returncode, at.stderr) == (0, 0, "")
    assert past.stdout == at.stdout  # what the sources say up to the horizon
    assert past.stderr == (
        "warning: 2023-02-02 is after the evidence horizon 2023-02-01 (the latest article); "
        "the snapshot shows what the sources say up to 2023-02-01, not what held on 2023-02-02\n"
    )


def test_export_snapshot_two_alliances(folder):
    result = run(
        "export",
        "snapshot",
        "--data",
        folder.data,
        "--as-of",
        "2020-02-01",
        "--alliance",
        "EU",
        "--alliance",
        "Five Eyes",
    )
    assert [r["iso3"] for r in csv_rows(result.stdout)] == ["AUS", "CAN", "DEU", "GBR"]


def test_export_events_to_file(folder, tmp_path):
    out = tmp_path / "events.csv"
    result = run("export", "events", "--data", folder.data, "--out", out)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    rows = csv_rows(out.read_text(encoding="utf-8"))
    assert len(rows) == 12
    assert rows[0] == {
        "iso3": "AUS",
        "country": "Australia",
        "event_id": "AUS-e5",
        "date": "2018-08-23",
        "date_precision": "day",
        "effective_from": "2018-08-23",
        "stance": "ban",
        "applies_to": "5g",
        "actor_level": "government",
        "actor": "Australian government",
        "scope": "",
        "status": "official",
        "confidence": "high",
        "summary": "High-risk vendors barred from 5G.",
        "notes": "",
        "article_id": "au-ban",
        "article_headline": "Canberra shuts Huawei out of 5G",
        "article_date": "2018-08",
        "article_publisher": "",
        "seed_file": "wire_001.txt",
        "seed_line": "13",
        "quote": "barred “high-risk vendors” from 5G",
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "2019-13-01"], "error: '2019-13-01' is not a date of the form YYYY-MM-DD"),
        (["--as-of", "2019-06"], "error: '2019-06' is not a date of the form YYYY-MM-DD"),
        (["--as-of", "June 2019"], "error: 'June 2019' is not a date of the form YYYY-MM-DD"),
        ([], "error: export snapshot needs --as-of YYYY-MM-DD"),
        (
            ["--as-of", "2019-06-01", "--alliance", "ASEAN"],
            "error: unknown alliance 'ASEAN'; known: EU, NATO, Five Eyes",
        ),
    ],
)
def test_export_bad_arguments(folder, args, message):
    result = run("export", "snapshot", "--data", folder.data, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


def test_unknown_table_is_a_usage_error(folder):
    result = run("export", "countries", "--data", folder.data)
    assert result.returncode == 2
    assert "invalid choice: 'countries'" in result.stderr
    assert "Traceback" not in result.stderr


def test_coverage_all_covered(folder):
    result = run("coverage", "--data", folder.data)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()[:-1]] == [
        ["mention", "CHN"],
        ["record", "DEU"],
        ["record", "GBR"],
    ]
    assert result.stdout.splitlines()[-1] == "3 countries named; 0 with neither a record nor a mention"


def test_coverage_missing_country(folder):
    folder.replace_in_seed("Officials said the review", "Officials in Norway said the review")
    result = run("coverage", "--data", folder.data)
    assert result.returncode == 1
    assert "missing  NOR Norway" in result.stdout
    assert result.stdout.splitlines()[-1] == "4 countries named; 1 with neither a record nor a mention"


def test_coverage_counts_a_mention(folder):
    folder.replace_in_seed("Officials said the review", "Officials in Norway said the review")
    folder.replace("data/mentions.yaml", "mentions:\n", "mentions:\n  - {iso3: NOR, reason: Named in passing.}\n")
    result = run("coverage", "--data", folder.data)
    assert result.returncode == 0
    assert "mention  NOR Norway" in result.stdout


def test_readme_mentions_every_subcommand():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = next(a for a in _parser()._actions if a.dest == "command").choices
    assert sorted(commands) == ["check", "coverage", "diff", "export", "fmt", "index", "package", "schema", "suggest"]
    missing = [c for c in commands if not re.search(rf"python -m stances\s+{c}\b", readme)]
    assert missing == []


def test_a_reader_that_stops_early_is_not_an_error():
    """`stances suggest | head -1`: the closed pipe ends the command quietly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "stances", "suggest"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"  1. [")
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, err
    assert "Traceback" not in err
