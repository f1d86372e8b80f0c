"""The published release: both CSVs and a Frictionless Data Package that describes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frictionless import Package

from stances.export import EVENT_COLUMNS
from stances.load import DEFAULT_DATA_DIR, load_dataset
from stances.package import EVENT_FIELDS, changelog_version, release_files, table_schema

ROOT = DEFAULT_DATA_DIR.parent
RELEASE = ROOT / "release"


@pytest.fixture(scope="module")
def real():
    return load_dataset(DEFAULT_DATA_DIR)


def errors_of(folder: Path) -> list[tuple[str, str]]:
    report = Package(str(folder / "datapackage.json")).validate()
    return [(row[0], row[1]) for row in report.flatten(["type", "note"])]


def test_committed_release_is_up_to_date(real):
    version = changelog_version(ROOT / "CHANGELOG.md")
    for name, text in release_files(real, version).items():
        committed = (RELEASE / name).read_text(encoding="utf-8")
        assert committed == text, f"release/{name} is out of date: run `python -m stances package`"


def test_committed_release_is_a_valid_data_package():
    assert errors_of(RELEASE) == []
    descriptor = json.loads((RELEASE / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in descriptor["resources"]]
    assert names == ["events", "snapshot"]
    snapshot = descriptor["resources"][1]["schema"]
    assert snapshot["primaryKey"] == ["iso3"]
    stance = next(f for f in snapshot["fields"] if f["name"] == "stance")
    assert stance["constraints"]["enum"] == ["ban", "core-only exclusion", "review", "allow"]


def copy_release(tmp_path: Path) -> Path:
    folder = tmp_path / "release"
    shutil.copytree(RELEASE, folder)
    return folder


def test_validation_catches_a_stance_outside_the_vocabulary(tmp_path):
    folder = copy_release(tmp_path)
    path = folder / "snapshot.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",ban,official,", ",banned,official,", 1), "utf-8")
    assert ("constraint-error", "constraint \"enum\" is \"['ban', 'core-only exclusion', 'review', 'allow']\"") in [
        (kind, note) for kind, note in errors_of(folder)
    ]


def test_validation_catches_a_repeated_event_row_and_a_bad_date(tmp_path):
    folder = copy_release(tmp_path)
    path = folder / "events.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(2, lines[1])  # the first event row twice: its primary key repeats
    path.write_text("\n".join(lines), encoding="utf-8")
    kinds = {kind for kind, _ in errors_of(folder)}
    assert "primary-key" in kinds
    snapshot = folder / "snapshot.csv"
    snapshot.write_text(snapshot.read_text(encoding="utf-8").replace(",2018-12-16,", ",16/12/2018,", 1), "utf-8")
    assert "type-error" in {kind for kind, _ in errors_of(folder)}


def test_every_column_is_described_once():
    with pytest.raises(ValueError, match="fields and columns differ"):
        table_schema(EVENT_COLUMNS[:-1], EVENT_FIELDS, ["event_id"])
    schema = table_schema(EVENT_COLUMNS, EVENT_FIELDS, ["event_id", "article_id", "quote"])
    assert [f["name"] for f in schema["fields"]] == [column for _, column in EVENT_COLUMNS]
    assert all(f["description"] for f in schema["fields"])


def test_version_is_the_newest_changelog_release(tmp_path):
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\nText.\n\n## 2027-01-05: more\n\n## 2026-11-27: first\n", "utf-8")
    assert changelog_version(changelog) == "2027-01-05"
    changelog.write_text("# Changelog\n\nNo release yet.\n", "utf-8")
    with pytest.raises(ValueError, match="no release heading"):
        changelog_version(changelog)


def test_package_command_writes_a_release_that_validates(tmp_path, folder):
    from stances.cli import main

    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("## 2030-01-01: test\n", "utf-8")
    out = tmp_path / "out"
    assert main(["package", "--data", str(folder.data), "--out", str(out), "--changelog", str(changelog)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["datapackage.json", "events.csv", "snapshot.csv"]
    assert json.loads((out / "datapackage.json").read_text("utf-8"))["version"] == "2030-01-01"
    assert errors_of(out) == []


def test_citation_names_the_current_release_and_the_data_licence():
    import yaml

    from stances.package import LICENCE

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "authors"):  # required by CFF 1.2.0
        assert citation[key], key
    version = changelog_version(ROOT / "CHANGELOG.md")
    assert citation["version"] == version == citation["date-released"]
    assert citation["license"] == LICENCE["name"]
    assert LICENCE["name"] in (ROOT / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
