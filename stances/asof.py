"""The government stance of a country as of a date, and what else holds on that date.

Rule: the 5G stance on day D is that of the latest government-level event with a stance
that applies to 5G networks (``applies_to: 5g``) whose *effective* day is on or before D.
An event's effective day is the first day the record proves it had happened: the last day
of its date (a day; the end of its month or year) or, if sooner, the date of the earliest
article that reports it. So a month- or year-precision event never shows before it can
have been taken, and shows no later than the first report of it. Agency and operator
events are evidence only.

Government events with a stance of narrower or unstated scope (``applies_to: other`` or
``unspecified``: one network's contracts, government purchases, "curbs") never set the 5G
stance; they are *outside 5G* and in force from their effective day until a later one of
the same scope takes effect.
"""

from __future__ import annotations

import bisect
import datetime as dt

from .schema import Event


def _sets_position(event: Event) -> bool:
    return event.actor_level == "government" and event.stance is not None


def government_timeline(record) -> tuple[list[dt.date], list[Event]]:
    """Government 5G events with a stance, ordered by effective day (file order breaks ties)."""
    events = [e for e in record.events if _sets_position(e) and e.applies_to == "5g"]
    events.sort(key=lambda e: e.effective)
    return [e.effective for e in events], events


def outside_5g_timeline(record) -> list[Event]:
    """Government events with a stance that does not apply to 5G networks, by effective day."""
    events = [e for e in record.events if _sets_position(e) and e.applies_to != "5g"]
    return sorted(events, key=lambda e: e.effective)


def outside_5g_key(event: Event) -> tuple[str, str]:
    """What a restriction outside 5G covers: a later event with the same key replaces it."""
    return event.applies_to or "", event.scope or ""


def outside_5g_in_force(record, day: dt.date) -> list[Event]:
    """The outside-5G events in force on ``day``: taken effect, and not replaced by a later
    one of the same scope class and scope that has taken effect. In the order they took effect."""
    latest: dict[tuple[str, str], Event] = {}
    for event in outside_5g_timeline(record):
        if event.effective > day:
            break
        latest.pop(outside_5g_key(event), None)
        latest[outside_5g_key(event)] = event
    return list(latest.values())


def evidence_days(ds, record) -> list[tuple[dt.date, str]]:
    """``(last day of the article's date, its date as written)`` for every dated article cited
    by a government event with a stance of ``record``, sorted: the reports on its position."""
    found = set()
    for event in record.events:
        if _sets_position(event):
            for source in event.sources:
                article = ds.articles.get(source.article)
                if article is not None and article.date is not None:
                    found.add((article.end, article.date))
    return sorted(found)


def latest_on(evidence: list[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The date (as written) of the latest of the sorted ``evidence`` on or before ``day``."""
    at = bisect.bisect_right(evidence, (day, "\uffff"))
    return evidence[at - 1][1] if at else None


def last_evidence(ds, key: str, day: dt.date) -> str | None:
    """The date (as written) of the latest article on or before ``day`` that reports on
    ``key``'s position (see evidence_days), or None."""
    return latest_on(evidence_days(ds, ds.records[key]), day)


def stance_event(ds, key: str, day: dt.date) -> Event | None:
    """The government event that sets ``key``'s 5G stance on ``day``, or None if none is known."""
    days, events = ds.timelines[key]
    at = bisect.bisect_right(days, day)
    return events[at - 1] if at else None


def stance_as_of(ds, key: str, day: dt.date) -> str | None:
    """The 5G stance name of ``key`` on ``day``: ``stance_as_of(ds, 'GBR', date(2019, 6, 1))``."""
    event = stance_event(ds, key, day)
    return event.stance if event else None


def change_days(ds) -> list[dt.date]:
    """Every day on which some country's government position (its 5G stance, or a stance
    outside 5G) takes effect, sorted."""
    days = set()
    for key, record in ds.countries.items():
        days.update(ds.timelines[key][0])
        days.update(e.effective for e in outside_5g_timeline(record))
    return sorted(days)


def evidence_horizon(ds) -> dt.date | None:
    """The day the evidence ends: the latest date of an article that bears on Huawei, each
    article taken at the first day its date can mean (an article of "2020-12" may be from
    1 December), so that no day is claimed past what some article is known to cover."""
    starts = [a.start for a in ds.articles.values() if a.relevant and a.date is not None]
    return max(starts) if starts else None
