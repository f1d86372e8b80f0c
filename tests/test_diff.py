"""stances diff: events by id, and the countries whose map changes, between two data folders."""

from __future__ import annotations

import datetime as dt
import shutil

from test_cli import run

from stances.diff import DataDiff, Recolour, diff

from conftest import DataFolder, day


def test_nothing_changed(folder):
    assert diff(folder.load(), folder.load()) == DataDiff()


def test_added_removed_modified_and_recoloured(folder, tmp_path):
    old = folder.load()
    shutil.copytree(folder.root, tmp_path / "new", dirs_exist_ok=True)
    new = DataFolder(tmp_path / "new")
    # The UK's review becomes reported; Australia's ban becomes a ban outside 5G; Canada's
    # 2022 ban is removed; Germany gains nothing on the map from a new agency event.
    new.replace(
        "data/countries/GBR.yaml",
        "    actor: UK government\n    status: official\n    summary: Review",
        "    actor: UK government\n    status: reported\n    summary: Review",
    )
    new.replace("data/countries/AUS.yaml", "applies_to: 5g", "applies_to: other\n    scope: Government purchases")
    can = new.read("data/countries/CAN.yaml")
    new.write("data/countries/CAN.yaml", can[: can.index("  - id: CAN-e9")])
    new.replace(
        "data/countries/DEU.yaml",
        "  - id: DEU-e7",
        "  - id: DEU-e7b\n    date_precision: month\n"
        "    date: '2019-10'\n    actor_level: agency\n    actor: BSI\n    status: official\n"
        "    summary: A second look.\n    sources:\n      - article: de-rules\n        quote: names no vendor\n"
        "  - id: DEU-e7",
    )
    result = diff(old, new.load())
    assert result.added == ["DEU-e7b"]
    assert result.removed == ["CAN-e9"]
    assert result.modified == {"AUS-e5": ["applies_to", "scope"], "GBR-e1": ["status"]}
    assert result.recoloured == {
        "AUS": [Recolour(day("2018-08-23"), "ban", "restricted outside 5G only")],
        "CAN": [Recolour(day("2022-12-31"), "ban", "review (unsure)")],
        "GBR": [Recolour(day("2018-12-10"), "review", "review (unsure)")],
    }
    assert result.lines()[:4] == [
        "events added (1): DEU-e7b",
        "events removed (1): CAN-e9",
        "events modified (2):",
        "  AUS-e5: applies_to, scope",
    ]


def test_a_new_record_is_a_change_from_the_start(folder, tmp_path):
    shutil.copytree(folder.root, tmp_path / "new", dirs_exist_ok=True)
    new = DataFolder(tmp_path / "new")
    new.write(
        "data/countries/NOR.yaml",
        "iso3: NOR\nevents:\n  - id: NOR-e1\n    date_precision: day\n"
        "    date: '2019-06-10'\n    actor_level: operator\n    actor: Telenor\n    status: official\n"
        "    summary: Context.\n    sources:\n      - article: bt-core\n        quote: remove Huawei\n",
    )
    result = diff(folder.load(), new.load())
    assert result.recoloured == {
        "NOR": [Recolour(dt.date.min, "no recorded position (no record)", "no recorded position")]
    }
    assert result.lines()[-1] == "  NOR from the start: no recorded position (was no recorded position (no record))"


def test_the_command_line(folder, tmp_path):
    shutil.copytree(folder.root, tmp_path / "new", dirs_exist_ok=True)
    new = DataFolder(tmp_path / "new")
    new.replace("data/countries/GBR.yaml", "Removal deadline 2027.", "Removal by 2027.")
    result = run("diff", folder.data, new.data)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "events added (0): -",
        "events removed (0): -",
        "events modified (1):",
        "  GBR-e4: notes",
        "countries whose map changes (0):",
    ]
    new.replace("data/countries/GBR.yaml", "stance: review", "stance: reviewed")
    broken = run("diff", folder.data, new.data)
    assert broken.returncode == 1 and broken.stderr.splitlines()[-1] == f"{new.data}: 1 problem(s) found"
