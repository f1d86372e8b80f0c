"""The tables behind the map, the snapshot table, the downloads and the event log."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from ..export import SNAPSHOT_COLUMNS, snapshot_frame, to_frame
from ..snapshot import category_of
from .base import CATEGORIES
from .state import ViewState, export_stances


def snapshot(ds, state: ViewState):
    """The snapshot table shown, downloaded and mapped (the filters applied)."""
    return snapshot_frame(ds, state.day, state.alliances, export_stances(state))


@dataclass(frozen=True)
class Shown:
    """The snapshot of a view, in the forms the page uses: its rows (dicts, what
    map_figure_of takes; shared between snapshots, never modified), the countries in it,
    how many hold each stance (legend order), and the table shown, as an Arrow table
    (Streamlit sends those as they are; a DataFrame it converts first)."""

    rows: list
    keys: frozenset
    tally: dict
    table: pa.Table

    def frame(self):
        """The snapshot as a DataFrame (what the CSV is written from)."""
        return to_frame(self.rows, SNAPSHOT_COLUMNS)


class SnapshotTables:
    """The Dataset's snapshot rows (Dataset.snapshot_index) also as one Arrow table, so the
    snapshot of a day is its rows' positions and one ``take``."""

    def __init__(self, ds):
        self.index = ds.snapshot_index
        self.table = pa.table(
            {column: pa.array([r[field] for r in self.index.rows], pa.string()) for field, column in SNAPSHOT_COLUMNS}
        )

    def shown(self, ds, state: ViewState) -> Shown:
        picked = self.index.positions(ds, state.day, state.alliances, export_stances(state))
        rows = [self.index.rows[at] for at in picked]
        labels = [category_of(r) for r in rows]
        return Shown(
            rows,
            frozenset(r["iso3"] for r in rows),
            {c: labels.count(c) for c in CATEGORIES},
            self.table.take(pa.array(picked, pa.int64())),
        )


def event_keys(ds, state: ViewState, countries=None) -> frozenset[str]:
    """The records whose events the event log lists: the countries shown (``countries``,
    if already known), and the organisations too when no alliance or stance filter is on."""
    keys = frozenset(snapshot(ds, state)["iso3"] if countries is None else countries)
    if not state.alliances and not state.stances:
        keys |= {k for k, r in ds.records.items() if not r.is_country}
    return keys
