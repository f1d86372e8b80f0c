"""The view state: the dates it spans, the URL, filters and download names."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..alliances import alliance_names
from ..asof import change_days, evidence_horizon
from ..dates import parse_day
from ..schema import STANCES
from ..search import MAX_QUERY
from .base import CATEGORIES, NO_POSITION, OUTSIDE_ONLY, md_escape, md_inline_code

# The stance filter's words in a URL for the categories that are not stance names.
URL_WORDS = {NO_POSITION: "none", OUTSIDE_ONLY: "outside"}

# --- the view state and the URL ------------------------------------------------------


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores."""

    day: dt.date
    alliances: tuple[str, ...] = ()
    stances: tuple[str, ...] = ()  # labels from CATEGORIES; empty means all
    all_levels: bool = True  # list agency and operator actions beside government ones
    country: str | None = None
    event: str | None = None  # an event of ``country`` the link points at
    start: dt.date | None = None  # compare with this earlier day ("from" in the URL)
    q: str = ""  # a search of the evidence
    article: str | None = None  # the article open in the reader
    bloc: str | None = None  # the alliance the Alliances section shows (None: default_bloc)


@dataclass(frozen=True)
class Timeframe:
    """The days the slider spans (to the evidence horizon), the day it opens on, the days
    some government position changes (the steps), and every day some country's snapshot
    row changes (``breaks``: a position, or the date of its last evidence)."""

    first: dt.date
    last: dt.date
    default: dt.date
    changes: tuple[dt.date, ...]
    breaks: tuple[dt.date, ...]
    horizon: dt.date | None  # None: no article is dated (then ``last`` is today)


def timeframe(ds, today: dt.date | None = None) -> Timeframe:
    """From the earliest recorded event to the evidence horizon (the latest relevant
    article; ``today`` if no article is dated), opening on the latest position change.
    A change after the horizon (an event whose only report is dated to a month that the
    horizon falls in) is left out: the slider cannot reach it."""
    today = today or dt.date.today()
    starts = [e.start for r in ds.records.values() for e in r.events]
    effective = [e.effective for r in ds.records.values() for e in r.events]
    horizon = evidence_horizon(ds)
    first = min(starts) if starts else (horizon or today)
    last = horizon or max([today, *effective])
    changes = tuple(d for d in change_days(ds) if d <= last)
    default = changes[-1] if changes else last
    breaks = tuple(sorted({d for _, days, _ in ds.snapshot_index.countries for d in days if d <= last}))
    return Timeframe(first, last, default, changes, breaks, horizon)


def previous_change(changes, day: dt.date) -> dt.date | None:
    """The last of the sorted ``changes`` before ``day``."""
    at = bisect.bisect_left(changes, day)
    return changes[at - 1] if at else None


def next_change(changes, day: dt.date) -> dt.date | None:
    """The first of the sorted ``changes`` after ``day``."""
    at = bisect.bisect_right(changes, day)
    return changes[at] if at < len(changes) else None


def as_of_basis(span: Timeframe, state: ViewState) -> dt.date:
    """The earliest day whose snapshot is that of ``state``: the last break on or before
    its day, since no snapshot row changes in between (the first day before any break).
    With an alliance filter, the day itself: members join and leave on other days."""
    if state.alliances:
        return state.day
    at = bisect.bisect_right(span.breaks, state.day)
    return span.breaks[at - 1] if at else span.first


DEFAULT_BLOC = "Five Eyes"  # the Alliances section's alliance without a filter or a link


def default_bloc(alliances) -> str:
    """The Alliances section's alliance unless the reader chose one: the sidebar filter's first."""
    return alliances[0] if alliances else DEFAULT_BLOC


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was not understood, and what is shown instead."""

    name: str
    value: str
    why: str
    done: str = "Ignored"  # what was done with the parameter

    def __str__(self) -> str:
        return f"{self.done} the link's {self.name}={self.value!r}: {self.why}."

    def markdown(self) -> str:
        return f"{self.done} the link's `{self.name}` parameter {md_inline_code(self.value)}: {md_escape(self.why)}."


def parse_query(params: Mapping[str, str], ds, span: Timeframe) -> tuple[ViewState, list[Notice]]:
    """The view a URL asks for, and a notice for every parameter that was not understood
    (that parameter then keeps its default)."""
    notices = []
    state = ViewState(day=span.default)

    def refuse(name: str, value: str, why: str, done: str = "Ignored"):
        notices.append(Notice(name, value, why, done))

    def day_of(name: str, fallback: str) -> dt.date | None:
        try:
            return parse_day(params[name])
        except ValueError:
            refuse(name, params[name], f"not a date of the form YYYY-MM-DD; {fallback}")
            return None

    if "date" in params:
        value = params["date"]
        day = day_of("date", "showing the latest change")
        if day is not None:
            if span.first <= day <= span.last:
                state = replace(state, day=day)
            elif day > span.last:
                state = replace(state, day=span.last)
                refuse(
                    "date",
                    value,
                    f"the evidence ends on {span.last} (the latest article); showing {span.last}, not what held later",
                    "Moved",
                )
            else:
                refuse("date", value, f"before the first recorded event ({span.first}); showing the latest change")
    if "from" in params:
        start = day_of("from", "no comparison")
        if start is not None and not span.first <= start < state.day:
            refuse("from", params["from"], f"to compare, give a day from {span.first} to before {state.day}")
        elif start is not None:
            state = replace(state, start=start)
    if "alliance" in params:
        value, known = params["alliance"], alliance_names(ds)
        wanted = _split(value)
        unknown = [w for w in wanted if w not in known]
        if unknown or not wanted:
            refuse("alliance", value, f"known alliances are {', '.join(known)}; showing all countries")
        else:
            state = replace(state, alliances=tuple(dict.fromkeys(wanted)))
    if "bloc" in params:
        if params["bloc"] in alliance_names(ds):
            state = replace(state, bloc=params["bloc"])
        else:
            names = ", ".join(alliance_names(ds))
            refuse("bloc", params["bloc"], f"known alliances are {names}; showing {default_bloc(state.alliances)}")
    if "stance" in params:
        value = params["stance"]
        words = {word: label for label, word in URL_WORDS.items()}
        wanted = [words.get(w, w) for w in _split(value)]
        unknown = [w for w in wanted if w not in CATEGORIES]
        if unknown or not wanted:
            refuse("stance", value, f"known stances are {', '.join(STANCES)}, outside and none; showing all stances")
        else:
            state = replace(state, stances=tuple(c for c in CATEGORIES if c in wanted))
    if "levels" in params:
        value = params["levels"]
        if value in ("all", "government"):
            state = replace(state, all_levels=value == "all")
        else:
            refuse("levels", value, "use all or government; showing all levels")
    if params.get("q", "").strip():
        state = replace(state, q=params["q"].strip()[:MAX_QUERY])
    if "article" in params:
        if params["article"] in ds.articles:
            state = replace(state, article=params["article"])
        else:
            refuse("article", params["article"], "no article has that id")
    linked = ds.events_by_id.get(params.get("event", ""))
    if "event" in params and linked is None:
        refuse("event", params["event"], "no event has that id")
    if "country" in params:
        value = params["country"]
        if linked is not None and value != linked[0]:
            refuse("country", value, f"the linked event is {linked[0]}'s; showing {linked[0]}", "Moved")
        elif linked is None and value not in ds.records:
            refuse("country", value, "no record has that code or id")
        elif linked is None:
            state = replace(state, country=value)
    if linked is not None:
        state = replace(state, country=linked[0], event=params["event"])
    return state, notices


def to_query(state: ViewState) -> dict[str, str]:
    """The URL parameters for ``state`` (defaults other than the date are left out)."""
    query = {"from": state.start.isoformat()} if state.start else {}
    query["date"] = state.day.isoformat()
    if state.alliances:
        query["alliance"] = ",".join(state.alliances)
    if state.stances:
        query["stance"] = ",".join(URL_WORDS.get(s, s) for s in state.stances)
    if not state.all_levels:
        query["levels"] = "government"
    if state.country:
        query["country"] = state.country
    if state.event:
        query["event"] = state.event
    if state.q:
        query["q"] = state.q
    if state.article:
        query["article"] = state.article
    if state.bloc and state.bloc != default_bloc(state.alliances):
        query["bloc"] = state.bloc
    return query


def export_stances(state: ViewState) -> set[str] | None:
    """The stance filter as ``snapshot_frame`` takes it (None: every category)."""
    return set(state.stances) if state.stances else None


def export_levels(state: ViewState) -> tuple[str, ...] | None:
    return None if state.all_levels else ("government",)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def file_name(kind: str, state: ViewState) -> str:
    """``huawei-5g-snapshot_2019-06-01_five-eyes_ban+review.csv`` and the like."""
    parts = [f"huawei-5g-{kind}", state.day.isoformat()]
    if kind == "changes" and state.start:
        parts.insert(1, state.start.isoformat())
    if state.alliances:
        parts.append("+".join(_slug(a) for a in state.alliances))
    if state.stances:
        parts.append("+".join(_slug(URL_WORDS.get(s, s)) for s in state.stances))
    if kind == "events" and not state.all_levels:
        parts.append("government-only")
    return "_".join(parts) + ".csv"
