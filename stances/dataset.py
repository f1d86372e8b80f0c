"""The Dataset: everything in a data folder, validated, with every derived value built once."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .schema import AlliancesFile, Article, ArticleIndex, CountryRecord, Event, MentionsFile, OrganisationRecord

if TYPE_CHECKING:
    from .snapshot import SnapshotIndex

Record = CountryRecord | OrganisationRecord


@dataclass(frozen=True)
class Dataset:
    """A data folder, read and cross-checked by ``load_dataset``. Never modified: the values
    derived from it (article texts, stance timelines, the snapshot index) are built on first
    use and kept."""

    data_dir: Path
    seed_lines: dict[str, list[str]]  # seed file -> its lines (those that could be read)
    articles: dict[str, Article]
    article_index: ArticleIndex | None  # None: articles.yaml did not load
    records: dict[str, Record]
    mentions: MentionsFile | None
    alliances: AlliancesFile | None
    names: dict[str, list[str]]

    @functools.cached_property
    def countries(self) -> dict[str, CountryRecord]:
        return {k: r for k, r in self.records.items() if isinstance(r, CountryRecord)}

    @functools.cached_property
    def events_by_id(self) -> dict[str, tuple[str, Event]]:
        """Event id -> the key of its record, and the event."""
        return {e.id: (key, e) for key, record in self.records.items() for e in record.events}

    @functools.cached_property
    def texts(self) -> dict[str, str]:
        """Article id -> its lines (its continuation too) joined with newlines, for every
        article whose seed could be read."""
        return {
            a.id: "\n".join(line for _, line in self.article_lines(a.id))
            for a in self.articles.values()
            if a.seed in self.seed_lines
        }

    @functools.cached_property
    def timelines(self) -> dict[str, tuple[list[dt.date], list[Event]]]:
        """Record key -> its government 5G stance days and events (asof.government_timeline)."""
        from .asof import government_timeline

        return {key: government_timeline(record) for key, record in self.records.items()}

    @functools.cached_property
    def snapshot_index(self) -> SnapshotIndex:
        """Every snapshot row each country can show (snapshot.SnapshotIndex)."""
        from .snapshot import SnapshotIndex

        return SnapshotIndex(self)

    def article_text(self, article_id: str) -> str:
        return self.texts[article_id]

    def article_lines(self, article_id: str) -> list[tuple[int, str]]:
        """``(line number, text)`` for every line of an article, in order."""
        art = self.articles[article_id]
        lines = self.seed_lines[art.seed]
        out: list[tuple[int, str]] = []
        for first, last in [art.lines, *art.continued]:
            out.extend((n, lines[n - 1]) for n in range(first, min(last, len(lines)) + 1))
        return out

    def quote_line(self, article_id: str, quote: str) -> int:
        """The seed line on which ``quote`` starts inside the article (0 if absent)."""
        offset = 0
        at = self.article_text(article_id).find(quote)
        if at < 0:
            return 0
        for number, line in self.article_lines(article_id):
            if at <= offset + len(line):
                return number
            offset += len(line) + 1
        return 0
