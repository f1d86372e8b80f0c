"""Comparing two dates: the countries whose map look changed, each change with its evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from ..changes import Change, changes_between, net_changes
from .base import md_escape
from .state import ViewState, to_query


@dataclass(frozen=True)
class Comparison:
    """The changes of the countries shown, after ``start`` up to ``day``, in order, and the
    net change of each country whose look differs between the two days."""

    start: dt.date
    day: dt.date
    changes: tuple[Change, ...]
    net: dict[str, tuple[str, str]]

    def last_change_day(self, key: str) -> dt.date | None:
        days = [c.day for c in self.changes if c.iso3 == key]
        return days[-1] if days else None


def comparison_of(ds, state: ViewState, shown: frozenset) -> Comparison | None:
    """The comparison ``state`` asks for (None without a valid ``start``), for the countries
    ``shown`` on its day."""
    if state.start is None or state.start >= state.day:
        return None
    found = tuple(c for c in changes_between(ds, state.start, state.day, state.alliances) if c.iso3 in shown)
    return Comparison(state.start, state.day, found, net_changes(list(found)))


def event_of(change: Change) -> str:
    """The event behind a change: the one that set the new 5G stance, else the latest
    restriction outside 5G in force ('' when the change is to no position at all)."""
    return change.row["event_id"] or change.row["outside_5g_event_ids"].split("; ")[-1]


def change_link(state: ViewState, change: Change) -> str:
    """A URL query that opens the comparison at the change's country, its event first."""
    query = to_query(ViewState(day=state.day, start=state.start, alliances=state.alliances, country=change.iso3))
    if event_of(change):
        query["event"] = event_of(change)
    return "?" + urlencode(query)


def compare_md(comparison: Comparison) -> str:
    """The line above the map when comparing: how many countries changed between the days."""
    n = len(comparison.net)
    countries = "country" if n == 1 else "countries"
    return (
        f"**Comparing {comparison.start.isoformat()} with {comparison.day.isoformat()}**: "
        f"{n} {countries} shown differently ({len(comparison.changes)} change(s) on the way), "
        "outlined in blue on the map."
    )


def changes_md(comparison: Comparison, state: ViewState) -> str:
    """The changes in order, a line each, linked to the evidence of the event behind each."""
    if not comparison.changes:
        return f"No country shown changed between {comparison.start.isoformat()} and {comparison.day.isoformat()}."
    lines = []
    for change in comparison.changes:
        event = event_of(change)
        link = f"[{md_escape(event)}]({change_link(state, change)})" if event else ""
        lines.append(
            f"- **{change.day.isoformat()}** {md_escape(change.row['country'])}: "
            f"{md_escape(change.old)} → **{md_escape(change.new)}** {link}".rstrip()
        )
    return "\n".join(lines)


def changed_hover(comparison: Comparison, key: str) -> str:
    """A hover line for a country whose look changed: ``Changed since D1: old → new (on D)``."""
    old, new = comparison.net[key]
    on = comparison.last_change_day(key)
    return f"Changed since {comparison.start.isoformat()}: {old} → {new} (last on {on})"
