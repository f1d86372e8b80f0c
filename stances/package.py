"""The published dataset: the events CSV, the snapshot CSV on the evidence horizon, and a
Frictionless Data Package (``datapackage.json``) describing both with Table Schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .asof import evidence_horizon
from .export import EVENT_COLUMNS, SNAPSHOT_COLUMNS, events_frame, snapshot_frame, to_csv
from .schema import APPLIES_TO, EVENT_ID_PATTERN, LEVELS, STANCES
from .snapshot import NO_POSITION, OUTSIDE_ONLY

NAME = "huawei-5g-stances"
TITLE = "Government stances on Huawei in 5G networks"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
ISO3 = r"^[A-Z]{3}$"
STATUS = ["official", "reported"]
CONFIDENCE = ["high", "medium", "low"]
PRECISION = ["day", "month", "year"]


def _f(kind: str, description: str, **constraints) -> dict:
    return {"type": kind, "description": description, **({"constraints": constraints} if constraints else {})}


# column -> Table Schema field (without its name); every exported column has one.
SNAPSHOT_FIELDS = {
    "iso3": _f("string", "ISO 3166-1 alpha-3 code of the country.", required=True, unique=True, pattern=ISO3),
    "country": _f("string", "The country's common name.", required=True),
    "stance": _f(
        "string",
        "The government's 5G stance in force on the snapshot day; empty: no recorded 5G position.",
        enum=list(STANCES),
    ),
    "status": _f("string", "official (announced) or reported (by others, not confirmed).", enum=STATUS),
    "confidence": _f("string", "How firmly the sources support the stance.", enum=CONFIDENCE),
    "outside_5g": _f("string", "Restrictions in force outside 5G (stance: scope (since date)), separated by '; '."),
    "last_evidence": _f(
        "string",
        "Date of the latest article, on or before the day, cited by the country's government events "
        "with a stance (a partial date).",
        pattern=PARTIAL_DATE,
    ),
    "since": _f(
        "string", "The date of the event that set the stance, as printed (a partial date).", pattern=PARTIAL_DATE
    ),
    "since_precision": _f("string", "Precision of `since`.", enum=PRECISION),
    "effective_from": _f("date", "First day the stance is shown: when its date ends or its first report is dated."),
    "actor": _f("string", "Who took the position."),
    "scope": _f("string", "What the position covers, in the sources' terms."),
    "applies_to": _f("string", "What the stance covers (only 5g sets the 5G stance).", enum=["5g"]),
    "summary": _f("string", "The event in the dataset's own words."),
    "event_id": _f("string", "Id of the event that set the stance (see the events table).", pattern=EVENT_ID_PATTERN),
    "article_ids": _f("string", "Ids of the articles the event cites, separated by ';'."),
    "outside_5g_event_ids": _f("string", "Ids of the events behind `outside_5g`, separated by ';'."),
    "outside_5g_article_ids": _f("string", "Ids of the articles behind `outside_5g`, separated by ';'."),
}
EVENT_FIELDS = {
    "iso3": _f("string", "ISO 3166-1 alpha-3 code; empty for an organisation.", pattern=ISO3),
    "country": _f("string", "The country's common name, or the organisation's name.", required=True),
    "event_id": _f("string", "The event's id, stable across releases.", required=True, pattern=EVENT_ID_PATTERN),
    "date": _f("string", "When it happened, as precisely as the sources say.", required=True, pattern=PARTIAL_DATE),
    "date_precision": _f("string", "Precision of `date`.", required=True, enum=PRECISION),
    "effective_from": _f("date", "First day the event counts in the snapshot.", required=True),
    "stance": _f("string", "ban, core-only exclusion, review or allow; empty: context.", enum=list(STANCES)),
    "applies_to": _f("string", "What the stance covers; only 5g sets the 5G stance.", enum=list(APPLIES_TO)),
    "actor_level": _f("string", "government, agency or operator.", required=True, enum=list(LEVELS)),
    "actor": _f("string", "Who acted.", required=True),
    "scope": _f("string", "What the position covers, in the sources' terms."),
    "status": _f("string", "official (announced) or reported.", required=True, enum=STATUS),
    "confidence": _f("string", "How firmly the sources support the event.", required=True, enum=CONFIDENCE),
    "summary": _f("string", "The event in the dataset's own words.", required=True),
    "notes": _f("string", "Doubts, inference (marked as such) and context."),
    "article_id": _f("string", "The cited article's id.", required=True),
    "article_headline": _f("string", "The article's headline as printed."),
    "article_date": _f("string", "The article's date (a partial date).", pattern=PARTIAL_DATE),
    "article_publisher": _f("string", "The article's publisher, where the seed names it."),
    "seed_file": _f("string", "The compilation in seeds/ that holds the article.", required=True),
    "seed_line": _f("integer", "The seed line where the quote begins.", required=True, minimum=1),
    "quote": _f("string", "The sentence cited, verbatim.", required=True),
}


def table_schema(columns, fields: dict, primary_key: list[str]) -> dict:
    """A Table Schema for a CSV of ``columns`` ((field, column) pairs), in their order."""
    names = [column for _, column in columns]
    if set(names) != set(fields):
        raise ValueError(f"fields and columns differ: {sorted(set(names) ^ set(fields))}")
    return {
        "fields": [{"name": name, **fields[name]} for name in names],
        "missingValues": [""],
        "primaryKey": primary_key,
    }


def descriptor(ds, version: str) -> dict:
    """The ``datapackage.json`` of a release of ``ds``."""
    horizon = evidence_horizon(ds)
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": NAME,
        "title": TITLE,
        "version": version,
        "description": (
            "Which governments banned Huawei from their 5G networks, excluded it from the core only, "
            "put it under review or allowed it, when, and on what evidence: every event cites a "
            f"verbatim quote from a dated article. The evidence ends on {horizon}."
        ),
        "licenses": [LICENCE],
        "keywords": ["Huawei", "5G", "telecommunications", "security policy"],
        "resources": [
            {
                "name": "events",
                "path": "events.csv",
                "title": "Every event, one row per cited source",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(EVENT_COLUMNS, EVENT_FIELDS, ["event_id", "article_id", "quote"]),
            },
            {
                "name": "snapshot",
                "path": "snapshot.csv",
                "title": f"Each country's 5G stance on {horizon}, the evidence horizon",
                "description": (
                    "One row per country with a record. An empty stance is shown on the map as "
                    f"'{OUTSIDE_ONLY}' when outside_5g is filled, else as '{NO_POSITION}'."
                ),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(SNAPSHOT_COLUMNS, SNAPSHOT_FIELDS, ["iso3"]),
            },
        ],
    }


def changelog_version(changelog: Path) -> str:
    """The newest release in the data CHANGELOG: its first ``## YYYY-MM-DD`` heading."""
    for line in changelog.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^## (\d{4}-\d{2}-\d{2})\b", line)
        if match:
            return match.group(1)
    raise ValueError(f"{changelog}: no release heading '## YYYY-MM-DD'")


def release_files(ds, version: str) -> dict[str, str]:
    """File name -> text of a release: both CSVs and their datapackage.json."""
    horizon = evidence_horizon(ds)
    if horizon is None:
        raise ValueError("no relevant dated article: the evidence horizon is unknown")
    return {
        "events.csv": to_csv(events_frame(ds)),
        "snapshot.csv": to_csv(snapshot_frame(ds, horizon)),
        "datapackage.json": json.dumps(descriptor(ds, version), indent=2, ensure_ascii=False) + "\n",
    }


def write_release(ds, folder: Path, version: str) -> list[Path]:
    """Write the release into ``folder``; return the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in release_files(ds, version).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
