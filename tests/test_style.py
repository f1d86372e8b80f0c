"""The code is formatted, linted and type-checked, and the package's pins match the requirements."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_code_is_formatted():
    result = run("ruff", "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_linted():
    result = run("ruff", "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_package_type_checks():
    result = run("mypy")  # the files and settings are in pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")


def _pins(path) -> list[str]:
    lines = [line.strip() for line in (ROOT / path).read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith(("#", "-r"))]


def test_pyproject_pins_what_the_requirements_files_pin():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["dependencies"] == _pins("requirements.txt")
    assert project["optional-dependencies"]["test"] == _pins("requirements-test.txt")


def test_pyproject_lists_every_package_the_installed_command_needs():
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    found = sorted(".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "stances").rglob("__init__.py"))
    assert sorted(packages) == found
