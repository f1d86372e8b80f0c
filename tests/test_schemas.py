"""The JSON Schemas in schemas/ are those the models make, and every data file names its own
and validates against it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from stances.schemas import SCHEMAS, schema_texts

from conftest import ROOT

DATA = ROOT / "data"


def test_committed_schemas_are_up_to_date():
    for name, text in schema_texts().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"run: stances schema ({name})"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_data_file_names_its_schema_and_validates(name):
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    files = sorted(DATA.glob(SCHEMAS[name][1]))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        first = text.split("\n", 1)[0]
        target = (path.parent / first.removeprefix("# yaml-language-server: $schema=")).resolve()
        assert first.startswith("# yaml-language-server: $schema=") and target == (ROOT / "schemas" / name)
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(text))]
        assert errors == [], path.name


def test_the_schema_catches_a_misspelt_stance():
    validator = jsonschema.Draft7Validator(json.loads((ROOT / "schemas" / "country.schema.json").read_text()))
    record = yaml.safe_load((DATA / "countries" / "GBR.yaml").read_text(encoding="utf-8"))
    record["events"][-1]["stance"] = "core only"
    record["events"][-1]["sumary"] = "typo"
    messages = sorted(e.message for e in validator.iter_errors(record))
    assert any("'core only' is not valid" in m for m in messages)
    assert any("'sumary' was unexpected" in m for m in messages)
