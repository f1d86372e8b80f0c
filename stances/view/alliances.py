"""Alliances over time: how an alliance's members were spread over the map's categories,
with membership as of each day, and the days on which the alliance split."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import plotly.graph_objects as go

from ..alliances import members_as_of
from ..dates import parse_period
from ..schema import country_name
from ..snapshot import category_of
from .base import CATEGORIES, COLOURS, NO_POSITION, UNSURE_MARK, esc, is_unsure, md_escape, plotly_esc
from .figure import PlainFigure
from .state import Timeframe
from .timeline import HATCH, horizon_label, timeline_range

ALLIANCE_CAPTION = (
    "The share of the alliance's members in each category, counting those who were members on "
    "each day; a member with no record counts as “no recorded position”. Hatched: reported, not "
    "confirmed, or low confidence. Dotted lines: the days on which the members' positions split "
    "or came together (listed below). Hover over a bar for the members."
)


DAY_NOTE = "Another alliance, its shares over time and the days it split: under “Alliances”, below the timeline."


@dataclass(frozen=True)
class Member:
    """A member of an alliance on a day, and what the map shows for it."""

    iso3: str
    name: str
    category: str  # a CATEGORIES entry
    unsure: bool = False  # a reported or low-confidence 5G stance

    def label(self) -> str:
        return f"{self.name} ({UNSURE_MARK})" if self.unsure else self.name


@dataclass(frozen=True)
class Step:
    """An alliance from ``day`` until its next step: its members (in name order)."""

    day: dt.date
    members: tuple[Member, ...]

    @cached_property
    def groups(self) -> dict[str, tuple[Member, ...]]:
        """The members under each category held, in legend order."""
        found = {c: tuple(m for m in self.members if m.category == c) for c in CATEGORIES}
        return {c: found[c] for c in CATEGORIES if found[c]}


@dataclass(frozen=True)
class AllianceHistory:
    """An alliance's steps from the first recorded event to ``last`` (the evidence horizon):
    a step on every day a member's category, its certainty or the membership changes."""

    name: str
    steps: tuple[Step, ...]
    last: dt.date

    def on(self, day: dt.date) -> Step | None:
        """The step in force on ``day`` (None before the first)."""
        at = bisect.bisect_right([s.day for s in self.steps], day)
        return self.steps[at - 1] if at else None

    def end_of(self, at: int) -> dt.date:
        """The day after the ``at``-th step (the first of the next; after ``last``: the day after it)."""
        return self.steps[at + 1].day if at + 1 < len(self.steps) else self.last + dt.timedelta(days=1)

    @cached_property
    def splits(self) -> tuple[tuple[Step, Step], ...]:
        """``(before, after)`` for every step at which the number of categories among the
        members changed: one shared category became several, or the other way round (not
        when the alliance had no members before)."""
        pairs = zip(self.steps, self.steps[1:])
        return tuple((a, b) for a, b in pairs if a.members and len(a.groups) != len(b.groups))


def _membership_days(ds, name: str) -> set[dt.date]:
    """The days on which someone joins ``name`` or is no longer a member."""
    alliance = next(a for a in ds.alliances.alliances if a.name == name)
    days = {parse_period(m.joined)[0] for m in alliance.members}
    days |= {parse_period(m.left)[1] + dt.timedelta(days=1) for m in alliance.members if m.left}
    return days


def alliance_history(ds, name: str, first: dt.date, last: dt.date) -> AllianceHistory:
    """The steps of ``name`` from ``first`` to ``last``, worked out only on the days something
    changes: a membership, or a member's snapshot row (Dataset.snapshot_index)."""
    index = ds.snapshot_index
    rows_of = {key: (days, start) for key, days, start in index.countries}
    alliance = next(a for a in ds.alliances.alliances if a.name == name)
    ever = {m.iso3 for m in alliance.members}
    days = _membership_days(ds, name) | {d for key in ever & rows_of.keys() for d in rows_of[key][0]}
    steps: list[Step] = []
    for day in sorted({first, *(d for d in days if first < d <= last)}):
        members = []
        for key in members_as_of(ds, name, day):
            if key in rows_of:
                changes, start = rows_of[key]
                row = index.rows[start + bisect.bisect_right(changes, day)]
                members.append(Member(key, row["country"], category_of(row), is_unsure(row)))
            else:
                members.append(Member(key, country_name(key), NO_POSITION))
        members.sort(key=lambda m: m.name)
        if not steps or tuple(members) != steps[-1].members:
            steps.append(Step(day, tuple(members)))
    return AllianceHistory(name, tuple(steps), last)


# --- the chart ------------------------------------------------------------------------


def _bar_hover(history: AllianceHistory, at: int, category: str, members: tuple[Member, ...]) -> str:
    step = history.steps[at]
    total = len(step.members)
    until = history.end_of(at) - dt.timedelta(days=1)
    names = ", ".join(plotly_esc(m.label()) for m in members)
    return (
        f"<b>{plotly_esc(category)}</b>: {len(members)} of {total} members "
        f"({len(members) / total:.0%})<br>{names}<br>{step.day} to {until}"
    )


def alliance_figure(history: AllianceHistory, span: Timeframe) -> go.Figure:
    """Stacked bars, one column per step as wide as the step lasts: the share of members in
    each category, the unsure part of each hatched, in the map's colours. It opens on the
    timeline's span of dates (double-click shows every step)."""
    traces = []
    for category in CATEGORIES:
        for unsure in (False, True):
            x, width, y, hover = [], [], [], []
            for at, step in enumerate(history.steps):
                members = tuple(m for m in step.groups.get(category, ()) if m.unsure == unsure)
                if members:
                    x.append(step.day.isoformat())
                    width.append((history.end_of(at) - step.day).days * 86_400_000)
                    y.append(len(members) / len(step.members))
                    hover.append(_bar_hover(history, at, category, members))
            traces.append(
                go.Bar(
                    name=category,
                    x=x,
                    y=y,
                    width=width,
                    offset=0,
                    hovertext=hover,
                    hoverinfo="text",
                    showlegend=False,
                    marker=dict(
                        color=COLOURS[category],
                        line=dict(width=0),
                        pattern=dict(
                            shape=HATCH if unsure else "",
                            fillmode="overlay",
                            fgcolor="#000000",
                            fgopacity=0.5,
                            solidity=0.2,
                        ),
                    ),
                )
            )
    # The legend: zero-height bars, never seen, one per category, then the hatching (as the
    # timeline's, so it lists every category whichever the alliance's members held).
    looks = [(c, COLOURS[c], "") for c in CATEGORIES] + [("hatched: reported or low confidence", "#FFFFFF", HATCH)]
    for name, colour, hatch in looks:
        traces.append(
            go.Bar(
                name=name,
                x=[history.last.isoformat()],
                y=[0],
                marker=dict(color=colour, line=dict(width=0), pattern=dict(shape=hatch, fgcolor="#000000")),
                hoverinfo="skip",
                showlegend=True,
            )
        )
    lo, hi = timeline_range(span)
    horizon = history.last + dt.timedelta(days=1)
    return go.Figure(
        traces,
        layout=dict(
            barmode="stack",
            height=320,
            margin=dict(l=0, r=0, t=40, b=0),
            shapes=[_vertical(b.day, "dot") for _, b in history.splits] + [_vertical(horizon, "dash")],
            annotations=[horizon_label(horizon.isoformat(), history.last.isoformat())],
            xaxis=dict(type="date", range=[lo.isoformat(), hi.isoformat()]),
            yaxis=dict(range=[0, 1], tickformat=".0%", fixedrange=True, title=dict(text="share of members")),
            legend=dict(
                orientation="h", yanchor="top", y=1.0, x=0, yref="container", itemclick=False, traceorder="normal"
            ),
            hovermode="closest",
        ),
    )


def _vertical(day: dt.date, dash: str) -> dict:
    x = day.isoformat()
    return dict(
        type="line", xref="x", yref="paper", x0=x, x1=x, y0=0, y1=1, line=dict(color="#333333", width=1, dash=dash)
    )


# --- the words ------------------------------------------------------------------------


def _groups_md(step: Step) -> str:
    return "; ".join(
        f"**{md_escape(category)}**: " + ", ".join(md_escape(m.label()) for m in members)
        for category, members in step.groups.items()
    )


def splits_md(history: AllianceHistory) -> str:
    """A heading, then every split as a markdown list item: the day, how many categories
    before and after, and who held what from that day."""
    heading = f"#### When the members of {md_escape(history.name)} split or came together\n\n"
    if not history.splits:
        return heading + "Never: the members always held the same number of categories."
    items = [
        f"- **{b.day}**: {len(a.groups)} → {len(b.groups)} "
        f"{'category' if len(b.groups) == 1 else 'categories'}. {_groups_md(b)}"
        for a, b in history.splits
    ]
    return heading + "\n".join(items)


def members_html(history: AllianceHistory, day: dt.date) -> str:
    """The members under each category on ``day``, each category in its colour."""
    step = history.on(day)
    title = f"<b>{esc(history.name)} on {day.isoformat()}</b>"
    if step is None or not step.members:
        return f'<div class="alliance-day">{title}: no members.</div>'
    rows = []
    for category, members in step.groups.items():
        names = ", ".join(esc(m.label()) for m in members)
        rows.append(
            f'<li class="alliance-group" data-category="{esc(category)}">'
            f'<span style="display:inline-block;width:0.9em;height:0.9em;margin-right:0.4em;'
            f'background:{COLOURS[category]}"></span>'
            f"<b>{esc(category)}</b> ({len(members)} of {len(step.members)}): {names}</li>"
        )
    return (
        f'<div class="alliance-day">{title} ({len(step.members)} members)'
        f'<ul style="list-style:none;padding-left:0;margin:0.3em 0">{"".join(rows)}</ul>'
        f"<small>{esc(DAY_NOTE)}</small></div>"
    )


@dataclass(frozen=True)
class AllianceView:
    """What the Alliances section shows of one alliance whatever the day: its steps, the
    chart and the splits in words (kept per alliance in the page's Tables)."""

    history: AllianceHistory
    figure: go.Figure
    splits: str


def alliance_view(ds, name: str, span: Timeframe) -> AllianceView:
    history = alliance_history(ds, name, span.first, span.last)
    # checked by plotly once here, then handed to every rerun without copies
    return AllianceView(history, PlainFigure.of(alliance_figure(history, span)), splits_md(history))
