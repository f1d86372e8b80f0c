"""Adding a source end to end, by the README's "Adding a source" steps: a third compilation
(tests/fixtures/010_test_compilation.txt, invented for the tests) is indexed, searched for
stance sentences, cited by a new event, checked, formatted, diffed, exported, published and
opened in the dashboard."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from frictionless import Package
from streamlit.testing.v1 import AppTest
from test_cli import run

from conftest import ROOT

SEED = "010_test_compilation.txt"
FIXTURE = ROOT / "tests" / "fixtures" / SEED
QUOTE = (
    "The Dutch government said on Monday it had opened a review of the security of its 5G networks "
    "that could lead to rules barring some equipment suppliers, including Huawei."
)
RECORD = """\
# yaml-language-server: $schema=../../schemas/country.schema.json
iso3: NLD
events:
  - id: NLD-2019-03-04-review
    date_precision: day
    date: '2019-03-04'
    stance: review
    applies_to: 5g
    actor_level: government
    actor: Dutch government
    scope: 5G networks
    status: official
    confidence: high
    summary: >-
      The government opened a review of the security of its 5G networks that could lead to
      rules barring some suppliers, Huawei among them.
    sources:
      - article: {article}
        quote: "{quote}"
"""


@pytest.fixture
def copies(tmp_path) -> tuple[Path, Path]:
    """Two copies of the shipped data and seeds: the release before, and the one to edit."""
    for name in ("before", "after"):
        shutil.copytree(ROOT / "data", tmp_path / name / "data")
        shutil.copytree(ROOT / "seeds", tmp_path / name / "seeds")
    return tmp_path / "before" / "data", tmp_path / "after" / "data"


def in_order(old: list[str], new: list[str]) -> bool:
    """Every line of ``old`` is in ``new``, in the same order (lines were only added)."""
    rest = iter(new)
    return all(any(line == candidate for candidate in rest) for line in old)


def ok(*args) -> str:
    result = run(*args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_adding_a_compilation_end_to_end(copies, monkeypatch, tmp_path):
    before, data = copies
    shutil.copy(FIXTURE, data.parent / "seeds" / SEED)

    # 1. index it: the proposal is appended; nothing already there changes
    old_index = (data / "articles.yaml").read_text(encoding="utf-8")
    out = ok("index", SEED, "--data", data, "--write")
    new_index = (data / "articles.yaml").read_text(encoding="utf-8")
    assert len(new_index) > len(old_index)
    assert in_order(old_index.splitlines(), new_index.splitlines())
    assert "dutch-cabinet-opens-review" in new_index and SEED in out
    ok("check", "--data", data)
    ok("fmt", "--check", "--data", data)  # the proposal is written in the canonical layout

    # 2. suggest: the stance sentence is the first uncited candidate of the new article
    out = ok("suggest", "--data", data, "--article", "dutch-cabinet-opens-review")
    first = out.split("\n  2. ")[0]
    assert f"{SEED}:11" in first and "NLD" in first and "review" in first
    assert re.search(r"\d+ sentences scanned, \d+ candidates, [1-9]\d* uncited candidates", out)

    # 3. record the event, quoting the seed line suggest pointed at
    line = FIXTURE.read_text(encoding="utf-8").split("\n")[10]
    assert QUOTE in line
    (data / "countries" / "NLD.yaml").write_text(
        RECORD.format(article="dutch-cabinet-opens-review", quote=QUOTE), encoding="utf-8"
    )
    # a country with a record has no mention: the Netherlands' (a false match) goes
    mentions = (data / "mentions.yaml").read_text(encoding="utf-8")
    block = re.search(r"  - iso3: NLD\n(    .*\n)+", mentions)
    assert block is not None
    (data / "mentions.yaml").write_text(mentions.replace(block.group(0), ""), encoding="utf-8")
    out = ok("suggest", "--data", data, "--article", "dutch-cabinet-opens-review")
    assert f"{SEED}:11" not in out  # now cited

    # 4. check, check coverage of the seeds, put in the canonical layout, check again
    ok("check", "--data", data)
    assert "NLD Netherlands" in ok("coverage", "--data", data)
    ok("fmt", "--data", data)
    ok("fmt", "--check", "--data", data)
    ok("check", "--data", data)

    # 5. diff against the release before: one event added, one country recoloured
    out = ok("diff", before, data)
    assert "events added (1): NLD-2019-03-04-review" in out
    assert "NLD from 2019-03-04: review (was no recorded position (no record))" in out

    # 6. export and publish: the event is in the CSVs and the package validates
    assert "NLD,Netherlands,NLD-2019-03-04-review,2019-03-04" in ok("export", "events", "--data", data)
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("## 2030-01-01: the test compilation\n", encoding="utf-8")
    release = tmp_path / "release"
    ok("package", "--data", data, "--out", release, "--changelog", changelog)
    assert "NLD-2019-03-04-review" in (release / "events.csv").read_text(encoding="utf-8")
    assert Package(str(release / "datapackage.json")).validate().valid
    assert json.loads((release / "datapackage.json").read_text("utf-8"))["version"] == "2030-01-01"

    # 7. the dashboard shows it: the map colours the Netherlands and the panel quotes it
    monkeypatch.setenv("STANCES_DATA_DIR", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(country="NLD", date="2019-03-10")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    panel = "\n".join(e.proto.body for e in at.get("html"))
    assert QUOTE in panel and "NLD-2019-03-04-review" in panel
    snapshot = at.dataframe[0].value
    snapshot = snapshot.to_pandas() if hasattr(snapshot, "to_pandas") else snapshot
    nld = snapshot[snapshot["iso3"] == "NLD"]
    assert list(nld["stance"]) == ["review"]
