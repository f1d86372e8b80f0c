"""JSON Schemas of the data files, generated from the pydantic models, for editors: a YAML
file that names its schema (``# yaml-language-server: $schema=...``) has a typo flagged as
it is typed. Draft-07, which editors' YAML support reads best."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .schema import AlliancesFile, ArticleIndex, CountryRecord, MentionsFile, OrganisationRecord

# schema file -> (model, the data files it describes, relative to the data folder)
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "country.schema.json": (CountryRecord, "countries/*.yaml"),
    "organisation.schema.json": (OrganisationRecord, "organisations/*.yaml"),
    "articles.schema.json": (ArticleIndex, "articles.yaml"),
    "alliances.schema.json": (AlliancesFile, "alliances.yaml"),
    "mentions.schema.json": (MentionsFile, "mentions.yaml"),
}


def json_schema(model: type[BaseModel]) -> dict:
    """``model``'s JSON Schema as draft-07 (``definitions`` rather than ``$defs``)."""
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    return {"$schema": "http://json-schema.org/draft-07/schema#", **schema}


def schema_texts() -> dict[str, str]:
    """Schema file name -> its text, as committed."""
    return {
        name: json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n"
        for name, (model, _) in SCHEMAS.items()
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schema_texts().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
