"""What changed between two versions of a data folder: events by id, and the map."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from .changes import look
from .dataset import Dataset
from .schema import Event
from .snapshot import NO_POSITION

# The fields of an event compared one by one (its id is how the two are matched).
EVENT_FIELDS = tuple(name for name in Event.model_fields if name != "id")


@dataclass(frozen=True)
class Recolour:
    """From ``day`` on (until the next change), a country is drawn as ``new`` where it was
    drawn as ``old``: a category, with "(unsure)" where the stance carries a ?."""

    day: dt.date
    old: str
    new: str


@dataclass
class DataDiff:
    added: list[str] = field(default_factory=list)  # event ids
    removed: list[str] = field(default_factory=list)
    modified: dict[str, list[str]] = field(default_factory=dict)  # event id -> the fields that changed
    recoloured: dict[str, list[Recolour]] = field(default_factory=dict)  # iso3 -> where its map changes

    def lines(self) -> list[str]:
        """The diff as text, a line each, for the command line and the CHANGELOG."""
        out = [f"events added ({len(self.added)}): {', '.join(self.added) or '-'}"]
        out.append(f"events removed ({len(self.removed)}): {', '.join(self.removed) or '-'}")
        out.append(f"events modified ({len(self.modified)}):")
        out += [f"  {event_id}: {', '.join(fields)}" for event_id, fields in self.modified.items()]
        out.append(f"countries whose map changes ({len(self.recoloured)}):")
        for key, changes in self.recoloured.items():
            out += [f"  {key} {_since(c.day)}: {c.new} (was {c.old})" for c in changes]
        return out


def _since(day: dt.date) -> str:
    return "from the start" if day == dt.date.min else f"from {day}"


def diff(old: Dataset, new: Dataset) -> DataDiff:
    """Events added, removed and modified (by id), and for every country the days from which
    its map look (category, and whether a ? marks it) differs between ``old`` and ``new``."""
    before, after = old.events_by_id, new.events_by_id
    result = DataDiff(added=sorted(after.keys() - before.keys()), removed=sorted(before.keys() - after.keys()))
    for event_id in sorted(before.keys() & after.keys()):
        a, b = before[event_id][1], after[event_id][1]
        fields = [f for f in EVENT_FIELDS if getattr(a, f) != getattr(b, f)]
        if before[event_id][0] != after[event_id][0]:
            fields.insert(0, "record")
        if fields:
            result.modified[event_id] = fields
    for key in sorted(old.countries.keys() | new.countries.keys()):
        changes = _recolours(_looks(old, key), _looks(new, key))
        if changes:
            result.recoloured[key] = changes
    return result


def _looks(ds: Dataset, key: str) -> tuple[list[dt.date], list[str]]:
    """The days ``key``'s look changes in ``ds`` and its look from each (the first: before any)."""
    for country, days, first in ds.snapshot_index.countries:
        if country == key:
            rows = ds.snapshot_index.rows[first : first + len(days) + 1]
            return days, [look(row) for row in rows]
    return [], [NO_POSITION + " (no record)"]


def _recolours(old: tuple[list[dt.date], list[str]], new: tuple[list[dt.date], list[str]]) -> list[Recolour]:
    def at(looks: tuple[list[dt.date], list[str]], day: dt.date) -> str:
        return looks[1][bisect.bisect_right(looks[0], day)]

    changes: list[Recolour] = []
    days = [dt.date.min, *sorted({*old[0], *new[0]})]  # date.min: before any change
    previous = None
    for day in days:
        pair = (at(old, day), at(new, day))
        if pair[0] != pair[1] and pair != previous:
            changes.append(Recolour(day, *pair))
        previous = pair if pair[0] != pair[1] else None
    return changes
