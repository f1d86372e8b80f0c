"""Read a data folder into a validated Dataset, or raise DataError listing every problem."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .problems import DataError, Problem, from_validation
from .schema import AlliancesFile, Article, ArticleIndex, CountryRecord, MentionsFile, NamesFile, OrganisationRecord
from .yamlio import YamlError, read_yaml

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
Record = CountryRecord | OrganisationRecord


@dataclass
class Dataset:
    """Everything in a data folder, validated and cross-checked."""

    data_dir: Path
    seed_lines: dict[str, list[str]]
    articles: dict[str, Article]
    article_index: ArticleIndex
    records: dict[str, Record]
    mentions: MentionsFile
    alliances: AlliancesFile
    names: dict[str, list[str]]
    _timelines: dict = field(default_factory=dict, repr=False)
    _texts: dict = field(default_factory=dict, repr=False)  # article id -> text, built once
    _snapshot_index: object = field(default=None, repr=False)  # see export.snapshot_index

    @property
    def countries(self) -> dict[str, CountryRecord]:
        return {k: r for k, r in self.records.items() if r.is_country}

    def article_text(self, article_id: str) -> str:
        """The article's lines (its continuation too), joined with newlines."""
        text = self._texts.get(article_id)
        if text is None:
            text = self._texts[article_id] = "\n".join(line for _, line in self.article_lines(article_id))
        return text

    def article_lines(self, article_id: str) -> list[tuple[int, str]]:
        """``(line number, text)`` for every line of an article, in order."""
        art = self.articles[article_id]
        lines = self.seed_lines[art.seed]
        out = []
        for first, last in [art.lines, *art.continued]:
            out.extend((n, lines[n - 1]) for n in range(first, min(last, len(lines)) + 1))
        return out

    def quote_line(self, article_id: str, quote: str) -> int:
        """The seed line on which ``quote`` starts inside the article (0 if absent)."""
        offset = 0
        numbered = self.article_lines(article_id)
        at = self.article_text(article_id).find(quote)
        if at < 0:
            return 0
        for number, line in numbered:
            if at <= offset + len(line):
                return number
            offset += len(line) + 1
        return 0


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
            return model.model_validate(raw), lines
        except ValidationError as exc:
            problems.extend(from_validation(show(path), exc, lines))
            return None, lines

    index, index_lines = read(data_dir / "articles.yaml", ArticleIndex)
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
            for i, event in enumerate(record.events):
                event._line = lines.get(("events", i), 1)
            records[key] = record
            record_files[key] = (show(path), lines)

    # Cross-file checks run on every file that could be read, so one broken file does not
    # hide the problems of the others; without the article index, the checks that need
    # articles (seeds, quotes, article dates) are left out and the rest still run.
    dataset = Dataset(
        data_dir=data_dir,
        seed_lines={},
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
