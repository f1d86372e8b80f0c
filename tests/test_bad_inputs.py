"""Every broken input of the table (tests/bad_inputs.py), three ways: through load_dataset
(test_validation.py), through `python -m stances check --data DIR`, and through the
dashboard (AppTest with STANCES_DATA_DIR=DIR). Each way names the file, the line and the
problem; the CLI exits 1, the app shows the list in one st.error and never raises.

The CLI and the app check the data as of the real date, so the problems they must print are
those of ``load_dataset(DIR)`` with its default ``today``.
"""

from __future__ import annotations

import time

import pytest
from test_cli import run_module

from stances import DataError, Problem, load_dataset

from bad_inputs import CASES, PWNED, apply
from browser_support import run_app


def expected_problems(folder) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        load_dataset(folder.data)
    return caught.value.problems


def the_line(problems: list[Problem], folder, file, line, fragment) -> str:
    """The table's problem as printed, ``file:line: message``; it must be among ``problems``."""
    expected_line = line if isinstance(line, int) else folder.line_of(file, line)
    hits = [str(p) for p in problems if (p.file, p.line) == (file, expected_line) and fragment in p.message]
    assert hits, f"no {file}:{expected_line}: ...{fragment}... in:\n" + "\n".join(map(str, problems))
    return hits[0]


@pytest.mark.parametrize("edits, file, line, fragment", CASES)
def test_cli_check_names_file_line_and_problem(folder, edits, file, line, fragment):
    apply(folder, edits)
    problems = expected_problems(folder)
    printed = the_line(problems, folder, file, line, fragment)
    started = time.monotonic()
    result = run_module("check", "--data", folder.data, timeout=60)  # a process: a hang is stopped
    assert time.monotonic() - started < 30  # a huge or hostile file must not hang the check
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [str(p) for p in problems] + [f"{len(problems)} problem(s) found"]
    assert printed in result.stderr.splitlines()
    assert not (folder.root / PWNED).exists()


@pytest.mark.parametrize("edits, file, line, fragment", CASES)
def test_app_shows_the_same_problems_and_does_not_crash(folder, monkeypatch, edits, file, line, fragment):
    apply(folder, edits)
    problems = expected_problems(folder)
    printed = the_line(problems, folder, file, line, fragment)
    monkeypatch.setenv("STANCES_DATA_DIR", str(folder.data))
    at = run_app()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    message = at.error[0].value
    assert f"The data does not validate: {len(problems)} problem(s)" in message
    assert printed in message
    for problem in problems:
        assert str(problem) in message
    assert not at.get("plotly_chart")  # the problems instead of the map
    assert not (folder.root / PWNED).exists()
