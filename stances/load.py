"""Read a data folder into a validated Dataset, or raise DataError listing every problem."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .dataset import Dataset, Record
from .problems import DataError, Problem, from_validation
from .schema import (
    AlliancesFile,
    ArticleIndex,
    CountryRecord,
    MentionsFile,
    NamesFile,
    OrganisationRecord,
)
from .yamlio import YamlError, read_yaml

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MAX_SEED_BYTES = 20_000_000


def data_dir_from_env(default: Path = DEFAULT_DATA_DIR) -> Path:
    """The data folder named by ``STANCES_DATA_DIR``, else the project's own."""
    return Path(os.environ.get("STANCES_DATA_DIR") or default)


def load_dataset(data_dir: Path | str = DEFAULT_DATA_DIR, today: dt.date | None = None) -> Dataset:
    """Load and validate ``data_dir``; raise DataError with every problem found.

    ``today`` is the day the data is checked as of (default: the real date): an event or
    article dated after it is an error.
    """
    from .validate import cross_check

    today = today or dt.date.today()
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), 1, "data folder not found")])

    def show(path: Path) -> str:
        try:
            return str(path.relative_to(data_dir.parent))
        except ValueError:
            return str(path)

    article_ends: dict = {}  # article id -> the last day of its date, once the index is read

    def read(path: Path, model: type[BaseModel]):
        if not path.is_file():
            problems.append(Problem(show(path), 1, "file not found"))
            return None, {}
        try:
            raw, lines = read_yaml(path)
        except YamlError as exc:
            problems.append(Problem(show(path), exc.line, exc.message))
            return None, {}
        try:
            return model.model_validate(raw, context={"lines": lines, "article_ends": article_ends}), lines
        except ValidationError as exc:
            problems.extend(from_validation(show(path), exc, lines))
            return None, lines

    # The article index first: the records' effective days are derived from its dates.
    index, index_lines = read(data_dir / "articles.yaml", ArticleIndex)
    seed_lines: dict[str, list[str]] = {}
    if index is not None:
        article_ends.update({a.id: a.end for a in index.articles if a.date})
        seed_lines = _read_seeds(index, data_dir, show(data_dir / "articles.yaml"), index_lines, show, problems)
    mentions, mention_lines = read(data_dir / "mentions.yaml", MentionsFile)
    alliances, alliance_lines = read(data_dir / "alliances.yaml", AlliancesFile)
    names, _ = read(data_dir / "country_names.yaml", NamesFile)

    records: dict[str, Record] = {}
    record_files: dict[str, tuple[str, dict]] = {}
    for folder, model, field_name in (
        ("countries", CountryRecord, "iso3"),
        ("organisations", OrganisationRecord, "id"),
    ):
        for path in sorted((data_dir / folder).glob("*")):
            if path.suffix != ".yaml":
                problems.append(Problem(show(path), 1, "only .yaml files belong in this folder"))
                continue
            record, lines = read(path, model)
            if record is None:
                continue
            key = getattr(record, field_name)
            if key != path.stem:
                problems.append(
                    Problem(
                        show(path),
                        lines.get((field_name,), 1),
                        f"{field_name} '{key}' does not match the file name '{path.name}'",
                    )
                )
                continue
            if key in records:
                problems.append(Problem(show(path), 1, f"'{key}' is defined twice"))
                continue
            records[key] = record
            record_files[key] = (show(path), lines)

    # Cross-file checks run on every file that could be read, so one broken file does not
    # hide the problems of the others; without the article index, the checks that need
    # articles (seeds, quotes, article dates) are left out and the rest still run.
    dataset = Dataset(
        data_dir=data_dir,
        seed_lines=seed_lines,
        articles={a.id: a for a in index.articles} if index else {},
        article_index=index,
        records=records,
        mentions=mentions,
        alliances=alliances,
        names=names.names if names else {},
    )
    problems.extend(cross_check(dataset, show, index_lines, record_files, mention_lines, alliance_lines, today))
    if problems:
        raise DataError(problems)
    return dataset


def _read_seeds(
    index: ArticleIndex, data_dir: Path, file: str, lines: dict, show, problems: list
) -> dict[str, list[str]]:
    """The lines of every seed file the index names that can be read; a problem for each
    that cannot (missing, too large, not UTF-8, not a plain file name)."""
    found = {}
    seeds_dir = (data_dir / index.seeds_dir).resolve()
    for i, seed in enumerate(index.seeds):
        path = seeds_dir / seed.file
        where = lines.get(("seeds", i, "file"), 1)
        if Path(seed.file).name != seed.file:
            problems.append(Problem(file, where, f"seed file '{seed.file}' must be a plain file name"))
        elif not path.is_file():
            problems.append(Problem(file, where, f"seed file not found: {show(path)}"))
        elif path.stat().st_size > MAX_SEED_BYTES:
            problems.append(Problem(file, where, f"seed file {seed.file} is over {MAX_SEED_BYTES:,} bytes"))
        else:
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != seed.sha256:
                problems.append(
                    Problem(
                        file,
                        lines.get(("seeds", i, "sha256"), where),
                        f"seed file {seed.file} is not the file indexed (its sha256 differs): "
                        "seeds are never edited; a new compilation is a new file",
                    )
                )
            try:
                found[seed.file] = raw.decode("utf-8").split("\n")
            except UnicodeDecodeError:
                problems.append(Problem(file, where, f"seed file {seed.file} is not UTF-8 text"))
    return found
