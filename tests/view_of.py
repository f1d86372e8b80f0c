"""Figures and tables of a whole view, as the page composes them (for the tests)."""

from __future__ import annotations

from collections.abc import Mapping

from stances import view
from stances.export import events_frame


def map_figure(ds, state: view.ViewState, shapes: Mapping, markers: Mapping, region: str = "World"):
    """The map of ``state``, from the same rows as the page's."""
    index = ds.snapshot_index
    rows = [index.rows[at] for at in index.positions(ds, state.day, state.alliances, view.export_stances(state))]
    return view.map_figure_of(rows, state.day, state.country, shapes, markers, region)


def timeline_figure(ds, keys, span: view.Timeframe, all_levels: bool = True, data=None):
    """The timeline of ``keys`` (``data``: their ``timeline_data``, if already made)."""
    if data is None:
        data = view.timeline_data(ds, keys, span.last, all_levels)
    return view.timeline_figure_of(data, span)


def event_log(ds, state: view.ViewState):
    """The event log with citations for the countries shown, at the levels chosen."""
    return events_frame(ds, view.event_keys(ds, state), view.export_levels(state))
