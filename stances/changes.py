"""What changed between two dates: each day a country's map look changed, old to new."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from .alliances import members_of_any
from .export import to_frame
from .snapshot import category_of, is_unsure

CHANGE_COLUMNS = [
    ("iso3", "iso3"),
    ("country", "country"),
    ("day", "day"),
    ("old", "old"),
    ("new", "new"),
    ("event_id", "event_id"),
    ("articles", "article_ids"),
    ("outside_5g_event_ids", "outside_5g_event_ids"),
    ("summary", "summary"),
]


def look(row) -> str:
    """What a snapshot row is drawn as, in words: its category, with "(unsure)" where a ?
    marks its stance."""
    return category_of(row) + (" (unsure)" if is_unsure(row) else "")


@dataclass(frozen=True)
class Change:
    """On ``day`` ``iso3``'s map look went from ``old`` to ``new``; ``row`` is its snapshot
    row from that day (the event that set the new stance, its articles, ...)."""

    iso3: str
    day: dt.date
    old: str
    new: str
    row: dict

    def as_row(self) -> dict:
        return {
            "iso3": self.iso3,
            "country": self.row["country"],
            "day": self.day.isoformat(),
            "old": self.old,
            "new": self.new,
            "event_id": self.row["event_id"],
            "articles": self.row["articles"],
            "outside_5g_event_ids": self.row["outside_5g_event_ids"],
            "summary": self.row["summary"],
        }


def changes_between(ds, start: dt.date, end: dt.date, alliances=()) -> list[Change]:
    """Every change of a country's look on a day after ``start`` up to and including ``end``,
    by day then country name; with ``alliances``, of the countries that were members of one
    of them on the day of the change. A change and its reversal within the span both appear."""
    if end < start:
        raise ValueError(f"the second date ({end}) is before the first ({start})")
    index = ds.snapshot_index
    found = []
    for key, days, first in index.countries:
        previous = look(index.rows[first + bisect.bisect_right(days, start)])
        for at, day in enumerate(days, start=1):
            if day <= start:
                continue
            if day > end:
                break
            row = index.rows[first + at]
            now = look(row)
            if now != previous:
                found.append(Change(key, day, previous, now, row))
            previous = now
    if alliances:
        found = [c for c in found if c.iso3 in members_of_any(ds, alliances, c.day)]
    return sorted(found, key=lambda c: (c.day, c.row["country"]))


def changes_frame(changes: list[Change]):
    """The changes as a table with CHANGE_COLUMNS, for the CSV and the page."""
    return to_frame([c.as_row() for c in changes], CHANGE_COLUMNS)


def net_changes(changes: list[Change]) -> dict[str, tuple[str, str]]:
    """iso3 -> (look on the first date, look on the second) for the countries whose look
    differs between the two dates (a change undone within the span is not one)."""
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for change in changes:
        first.setdefault(change.iso3, change.old)
        last[change.iso3] = change.new
    return {key: (first[key], last[key]) for key in first if first[key] != last[key]}
