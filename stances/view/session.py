"""One reader's page: its state (Streamlit's session state, or any mutable mapping), the
tables shared by every reader, and what the page's widgets do. No Streamlit here: the tests
drive a Page with a plain dict."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import cachetools

from ..alliances import alliance_names
from ..export import count_event_rows, events_frame, to_csv
from ..search import MAX_QUERY, search
from .base import CATEGORIES, PLAY_SECONDS, data_fingerprint
from .evidence import EventView, around_html, contexts, evidence, panel_html, record_label, record_options
from .map import key_from_point
from .state import (
    Notice,
    Timeframe,
    ViewState,
    as_of_basis,
    default_bloc,
    export_levels,
    next_change,
    parse_query,
    previous_change,
)
from .tables import Shown, SnapshotTables, event_keys

# Seconds between two checks of the data files on date changes: a slider drag reruns the
# dated part many times a second, and statting the 253 files of 10k events takes 0.8 ms, a
# tenth of a date change's 9 ms (bench/rerun.py).
DATA_RECHECK_SECONDS = 1.0

# How many of each table to keep per Dataset: the snapshot of 64 as-of periods, and so on.
TABLE_LIMITS = dict(
    geometry=1,
    span=2,
    picker=1,
    index=1,
    snapshot=64,
    snapshot_csv=8,
    timeline=16,  # one per set of countries shown: readers move through alliances and dates
    event_keys=64,
    event_count=64,
    events=4,
    events_csv=4,
    comparison=16,
    search=16,
    reader=16,
    contexts=1024,  # one per event: 1 to 10 kB each
    changes_csv=4,
    alliances=8,
)


class Tables:
    """Tables derived from one Dataset, kept as long as it is: an LRU cache per kind
    (cachetools), shared by every reader (a table is never modified once made; two readers
    missing the same one may both make it, and one is kept). A lookup costs microseconds,
    where each Streamlit-cached function costs about 0.6 ms per rerun (it is decorated again
    on every run of the script, then its arguments hashed)."""

    def __init__(self, **limits: int):
        self._caches: dict[str, cachetools.LRUCache] = {
            kind: cachetools.LRUCache(maxsize=n) for kind, n in {**TABLE_LIMITS, **limits}.items()
        }
        self._lock = threading.Lock()

    def get(self, kind: str, key: Any, make: Callable[[], Any]) -> Any:
        """The ``kind`` table for ``key``, made by ``make()`` if not kept."""
        cache = self._caches[kind]
        with self._lock:
            if key in cache:
                return cache[key]
        value = make()
        with self._lock:
            cache[key] = value
        return value


def picker_of(ds) -> tuple[list[str], dict[str, str]]:
    """The record picker's keys, in order, and their labels."""
    options = record_options(ds)
    return options, {key: record_label(ds, key) for key in options}


class Page:
    """A reader's view over ``state`` (the session's widget values and a few flags)."""

    def __init__(self, state: MutableMapping, ds, span: Timeframe, tables: Tables):
        self.s, self.ds, self.span, self.tables = state, ds, span, tables

    # --- opening and keeping the state valid ----------------------------------------------

    def open(self, params: Mapping[str, str]) -> None:
        """A new session opens the view the URL asks for (``notices`` says what it could
        not); any session takes what the play loop left, and drops values the data no
        longer allows (it may have changed under a running session)."""
        s = self.s
        if "day" not in s:
            wanted, s["notices"] = parse_query(params, self.ds, self.span)
            s.update(
                day=wanted.day,
                alliances=list(wanted.alliances),
                stances=list(wanted.stances),
                all_levels=wanted.all_levels,
                country=wanted.country,
                event=wanted.event,
                start=wanted.start,
                q=wanted.q,
                article=wanted.article,
                bloc=wanted.bloc,
                playing=False,
                region="World",
            )
        self.take_pending()
        s["day"] = min(max(s["day"], self.span.first), self.span.last)
        s["alliances"] = [a for a in s["alliances"] if a in alliance_names(self.ds)]
        if s["country"] not in self.ds.records:
            s["country"] = None
        if s.get("event") not in self.ds.events_by_id:
            s["event"] = None
        if s.get("article") not in self.ds.articles:
            s["article"] = None
        if s.get("start") is not None and not self.span.first <= s["start"] <= self.span.last:
            s["start"] = None
        if s.get("bloc") not in alliance_names(self.ds):  # the section's default, chosen once
            bloc = default_bloc(s["alliances"])
            s["bloc"] = bloc if bloc in alliance_names(self.ds) else next(iter(alliance_names(self.ds)), None)

    def notices(self) -> list[Notice]:
        return self.s.pop("notices", [])

    def take_pending(self) -> None:
        """Apply the values the play loop of the last run set for this one."""
        for name, value in self.s.pop("pending", {}).items():
            self.s[name] = value

    def view(self) -> ViewState:
        s = self.s
        linked = self.ds.events_by_id.get(s.get("event") or "")
        return ViewState(
            event=s["event"] if linked and linked[0] == s["country"] else None,
            day=s["day"],
            alliances=tuple(s["alliances"]),
            stances=tuple(c for c in CATEGORIES if c in s["stances"]),
            all_levels=s["all_levels"],
            country=s["country"],
            start=s["start"] if s.get("start") is not None and s["start"] < s["day"] else None,
            q=(s.get("q") or "").strip()[:MAX_QUERY],
            article=s.get("article"),
            bloc=None if s.get("bloc") == default_bloc(s["alliances"]) else s.get("bloc"),
        )

    # --- the tables ------------------------------------------------------------------------

    def snapshot(self, state: ViewState) -> tuple[Shown, tuple]:
        """The snapshot of ``state``, made once per as-of period (see as_of_basis), and its key."""
        basis = (as_of_basis(self.span, state), state.alliances, state.stances)
        index = self.tables.get("index", None, lambda: SnapshotTables(self.ds))
        same = ViewState(day=basis[0], alliances=state.alliances, stances=state.stances)
        return self.tables.get("snapshot", basis, lambda: index.shown(self.ds, same)), basis

    def event_log(self, state: ViewState, countries: frozenset) -> tuple[int, tuple]:
        """The event log of ``countries`` (those shown in ``state``): its row count and its
        key for ``events_of``. The table itself is made only when shown or downloaded: on a
        date step its count is all the page needs."""
        filtered = bool(state.alliances or state.stances)
        keys = self.tables.get("event_keys", (countries, filtered), lambda: event_keys(self.ds, state, countries))
        logged = (keys, export_levels(state))
        return self.tables.get("event_count", logged, lambda: count_event_rows(self.ds, *logged)), logged

    def events_of(self, logged: tuple):
        """The event log table of ``logged`` (from ``event_log``)."""
        return self.tables.get("events", logged, lambda: events_frame(self.ds, *logged))

    def comparison(self, state: ViewState, shown: frozenset):
        """The comparison ``state`` asks for, of the countries ``shown`` (None: not comparing)."""
        from .compare import comparison_of

        key = (state.start, state.day, state.alliances, shown)
        return self.tables.get("comparison", key, lambda: comparison_of(self.ds, state, shown))

    def search(self, query: str) -> list:
        """The events matching ``query`` (stances.search), made once per query."""
        return self.tables.get("search", query, lambda: search(self.ds, query))

    def open_event(self, key: str, event_id: str) -> None:
        """A search result is chosen: its record's evidence, the event first."""
        self.s["country"], self.s["event"] = key, event_id

    def evidence(self, state: ViewState, query: Mapping[str, str]) -> str:
        """The evidence panel of the chosen record (view.panel_html), its links to articles
        opening them at ``query``; each event's quote contexts made once for every reader."""

        def around(item: EventView) -> str:
            made = self.tables.get("contexts", item.event.id, lambda: contexts(self.ds, item))
            return around_html(item, made, query)

        if state.country is None:
            raise ValueError("no record chosen: the panel lists one record's evidence")
        return panel_html(evidence(self.ds, state.country, state), state.day, around)

    def close_article(self) -> None:
        self.s["article"] = None

    def reader(self, article_id: str, query: dict[str, str]) -> str:
        """The article reader's HTML (view.reader_html), made once per article and URL."""
        from .reader import reader_html

        key = (article_id, tuple(sorted(query.items())))
        return self.tables.get("reader", key, lambda: reader_html(self.ds, article_id, query))

    def alliance(self, name: str):
        """The Alliances section of ``name`` (view.alliance_view): its steps, chart and splits."""
        from .alliances import alliance_view

        drawn = (name, self.span.first, self.span.last)  # a date change hashes two dates, not the span
        return self.tables.get("alliances", drawn, lambda: alliance_view(self.ds, name, self.span))

    def stop_comparing(self) -> None:
        self.s["start"] = None

    def csv_of(self, kind: str, key, make_frame) -> Callable[[], str]:
        """A download's data: made when the button is clicked, not on every rerun."""
        return lambda: self.tables.get(kind, key, lambda: to_csv(make_frame()))

    def picker(self) -> tuple[list[str], dict[str, str]]:
        return self.tables.get("picker", None, lambda: picker_of(self.ds))

    def timeline(self, shown: frozenset, all_levels: bool):
        from .timeline import timeline_data

        drawn = (shown, self.span.last, all_levels)
        return self.tables.get("timeline", drawn, lambda: timeline_data(self.ds, *drawn))

    # --- what the widgets do -------------------------------------------------------------------

    def step(self, direction: int) -> None:
        find = next_change if direction > 0 else previous_change
        target = find(self.span.changes, self.s["day"])
        if target is not None:
            self.s["day"] = target

    def start_playing(self) -> None:
        changes = self.span.changes
        if self.s["playing"] and changes and next_change(changes, self.s["day"]) is None:
            self.s["day"] = changes[0]  # at the end: play from the first change

    def pick(self, points: list[Mapping]) -> None:
        """A click on the map: open the evidence of the first clicked record."""
        for point in points:
            key = key_from_point(point)
            if key in self.ds.records:
                if key != self.s["country"]:
                    self.leave_event()
                self.s["country"] = key
                return

    def leave_event(self) -> None:
        """Another record is chosen: the event a link pointed at is left behind."""
        self.s["event"] = None

    def play_on(self, state: ViewState) -> None:
        """After a beat, set the next change (or stop at the last) for the next run."""
        time.sleep(PLAY_SECONDS)
        target = next_change(self.span.changes, state.day)
        self.s["pending"] = {"day": target} if target else {"playing": False}

    # --- full runs and the data files ------------------------------------------------------------

    def begin_full_run(self) -> None:
        self.s.update(full_run=True, data_checked=time.monotonic())

    def end_full_run(self) -> None:
        self.s["full_run"] = False

    def in_full_run(self) -> bool:
        return self.s["full_run"]

    def data_changed(self, data_dir: Path, version: int) -> bool:
        """On a date change (not a full run), whether the data files changed since the page
        was drawn from ``version``; checked at most every DATA_RECHECK_SECONDS."""
        if self.s["full_run"] or time.monotonic() - self.s["data_checked"] <= DATA_RECHECK_SECONDS:
            return False
        self.s["data_checked"] = time.monotonic()
        return data_version(data_dir) != version


def data_version(data_dir: Path) -> int:
    """A number that changes when a data file is edited (its hash of the files' fingerprint:
    Streamlit would take 5 ms a rerun to hash the fingerprint of 250 files itself)."""
    return hash(data_fingerprint(data_dir))
