"""The government stance of a country as of a date.

Rule: the stance on day D is that of the latest government-level event with a stance
whose *effective* day is on or before D. An event's effective day is the first day the
record proves it had happened: the last day of its date (a day; the end of its month or
year) or, if sooner, the date of the earliest article that reports it. So a month- or
year-precision event never shows before it can have been taken, and shows no later than
the first report of it. Agency and operator events are evidence only.
"""
from __future__ import annotations

import bisect
import datetime as dt

from .schema import Event


def government_timeline(record) -> tuple[list[dt.date], list[Event]]:
    """Government events with a stance, ordered by effective day (file order breaks ties)."""
    events = [e for e in record.events if e.actor_level == "government" and e.stance is not None]
    events.sort(key=lambda e: e.effective)
    return [e.effective for e in events], events


def stance_event(ds, key: str, day: dt.date) -> Event | None:
    """The government event that sets ``key``'s stance on ``day``, or None if none is known."""
    timeline = ds._timelines.get(key)
    if timeline is None:
        timeline = ds._timelines[key] = government_timeline(ds.records[key])
    days, events = timeline
    at = bisect.bisect_right(days, day)
    return events[at - 1] if at else None


def stance_as_of(ds, key: str, day: dt.date) -> str | None:
    """The stance name of ``key`` on ``day``: ``stance_as_of(ds, 'GBR', date(2019, 6, 1))``."""
    event = stance_event(ds, key, day)
    return event.stance if event else None


def change_days(ds) -> list[dt.date]:
    """Every day on which some country's government stance takes effect, sorted."""
    days = set()
    for record in ds.countries.values():
        days.update(government_timeline(record)[0])
    return sorted(days)
