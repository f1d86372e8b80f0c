"""The map: one choropleth of the snapshot rows, small countries as circles, badges on
unsure stances, and a legend of every category and look."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import plotly.graph_objects as go

from ..snapshot import category_of
from .base import (
    CATEGORIES,
    COLOURS,
    FADE,
    LAND_COLOUR,
    NO_POSITION,
    SELECTED_OUTLINE,
    UNSURE_MARK,
    code_of,
    fade,
    is_stale,
    is_unsure,
    plotly_esc,
    stepped_colourscale,
)
from .figure import unchecked_figure
from .hover import hover_text

CHANGED_OUTLINE = "#0072B2"  # Okabe-Ito blue, used by no stance: a country changed between two dates

# Map zoom presets: the centre and zoom of the one world map (no other geometry is needed).
REGIONS: dict[str, dict] = {
    "World": dict(lon=10, lat=15, scale=1),
    "Europe": dict(lon=12, lat=52, scale=4.2),
    "Asia-Pacific": dict(lon=130, lat=5, scale=2.1),
    "Americas": dict(lon=-80, lat=15, scale=1.9),
}


def geo_layout(region: str = "World") -> dict:
    """The map's ``layout.geo``: the served world map, centred and zoomed on ``region``."""
    at = REGIONS.get(region, REGIONS["World"])
    return dict(
        fitbounds=False,
        projection=dict(type="natural earth", scale=at["scale"]),
        center=dict(lon=at["lon"], lat=at["lat"]),
        showframe=False,
        showcountries=True,
        countrycolor="white",
        showland=True,
        landcolor=LAND_COLOUR,
        showocean=True,
        oceancolor="#F7FBFF",
        showlakes=False,
        showcoastlines=False,
        lataxis=dict(range=[-58, 85]),
    )


FADED_LEGEND = "faded: last report over a year old"
UNSURE_BADGE = dict(size=15, color="#FFFFFF", opacity=0.9, symbol="circle", line=dict(color="#000000", width=1))


def map_legend() -> list[dict]:
    """Legend-only traces: a square per category, then the faded and the unsure looks."""

    def entry(name: str, colour: str | None, symbol: str = "square") -> dict:
        marker = dict(size=12, color=colour, symbol=symbol) if colour else dict(size=1, opacity=0)
        return dict(
            type="scattergeo",
            lat=[None],
            lon=[None],
            mode="markers",
            name=name,
            hoverinfo="skip",
            marker=marker,
            showlegend=True,
        )

    entries = [entry(label, COLOURS[label]) for label in CATEGORIES]
    entries.append(entry(FADED_LEGEND, fade(COLOURS[NO_POSITION], FADE)))
    entries.append(
        dict(
            entry(f"({UNSURE_MARK}) reported or low confidence", None),
            mode="markers+text",
            marker=UNSURE_BADGE,
            text=[UNSURE_MARK],
            textposition="middle center",
            textfont=dict(size=11, color="#000000", family="sans-serif"),
        )
    )
    return entries


def map_figure_of(
    rows: list[Mapping],
    day: dt.date,
    country: str | None,
    shapes: Mapping[str, tuple],
    markers: Mapping[str, tuple],
    region: str = "World",
    changed: Mapping[str, str] | None = None,
) -> go.Figure:
    """The map of snapshot ``rows`` on ``day`` (``country`` outlined), from plain dicts:
    one choropleth of every country with a shape (``shapes``: its centre), coloured by
    category and faded where the last evidence is over STALE_DAYS old; the chosen one's
    outline as a second choropleth of that country alone (drawn above its neighbours); one
    scattergeo of the small countries (``markers``); a ``?`` on every reported or
    low-confidence 5G stance; and a legend of every category and look. ``changed``: the
    countries to outline in CHANGED_OUTLINE when comparing two days, with a hover line each."""
    changed = changed or {}
    drawn = [r for r in rows if r["iso3"] in shapes]
    dotted = [r for r in rows if r["iso3"] not in shapes and r["iso3"] in markers]
    n = 2 * len(CATEGORIES)
    keep = dict(marker=dict(opacity=1))  # a click must not fade the other countries' colours

    def hover_of(row: Mapping) -> str:
        extra = changed.get(row["iso3"])
        return hover_text(row, day) + (f"<br><b>{plotly_esc(extra)}</b>" if extra else "")

    def z(row: Mapping) -> int:
        return code_of(category_of(row), is_stale(row, day))

    def choropleth(these: list[Mapping], line: dict, name: str) -> dict:
        return dict(
            type="choropleth",
            locations=[r["iso3"] for r in these],
            locationmode="ISO-3",
            z=[z(r) for r in these],
            text=[hover_of(r) for r in these],
            hoverinfo="text",
            zmin=-0.5,
            zmax=n - 0.5,
            colorscale=stepped_colourscale(),
            showscale=False,
            marker=dict(line=line),
            selected=keep,
            unselected=keep,
            name=name,
            showlegend=False,
        )

    colours = stepped_colourscale()[::2]
    chosen_dot = [r["iso3"] == country for r in dotted]
    traces = [
        choropleth(drawn, dict(color="white", width=0.6), "countries"),
        dict(
            type="scattergeo",
            lat=[markers[r["iso3"]][0] for r in dotted],
            lon=[markers[r["iso3"]][1] for r in dotted],
            text=[hover_of(r) for r in dotted],
            hoverinfo="text",
            customdata=[r["iso3"] for r in dotted],
            mode="markers",
            name="small countries",
            marker=dict(
                size=[13 if c else 10 for c in chosen_dot],
                color=[colours[z(r)][1] for r in dotted],
                line=dict(
                    color=[
                        CHANGED_OUTLINE if r["iso3"] in changed and not c else SELECTED_OUTLINE
                        for r, c in zip(dotted, chosen_dot)
                    ],
                    width=[2.5 if c or r["iso3"] in changed else 1 for r, c in zip(dotted, chosen_dot)],
                ),
                symbol="circle",
            ),
            selected=keep,
            unselected=keep,
            showlegend=False,
        ),
    ]
    moved = [r for r in drawn if r["iso3"] in changed and r["iso3"] != country]
    if moved:
        traces.append(choropleth(moved, dict(color=CHANGED_OUTLINE, width=2.2), "changed"))
    outlined = [r for r in drawn if r["iso3"] == country]
    if outlined:
        traces.append(choropleth(outlined, dict(color=SELECTED_OUTLINE, width=2.2), "chosen country"))
    unsure = [r for r in rows if is_unsure(r) and (r["iso3"] in shapes or r["iso3"] in markers)]
    at = [shapes.get(r["iso3"]) or markers[r["iso3"]] for r in unsure]
    traces.append(
        dict(  # a white badge: readable on any fill and on the chosen outline
            type="scattergeo",
            lat=[p[0] for p in at],
            lon=[p[1] for p in at],
            mode="markers+text",
            marker=UNSURE_BADGE,
            text=[UNSURE_MARK] * len(unsure),
            textfont=dict(size=11, color="#000000", family="sans-serif"),
            textposition="middle center",
            name="reported or low confidence",
            # The country's own hover and click (a skipped hover would swallow the click).
            hovertext=[hover_of(r) for r in unsure],
            hoverinfo="text",
            customdata=[r["iso3"] for r in unsure],
            showlegend=False,
        )
    )
    traces += map_legend()
    if changed:
        traces.append(
            dict(
                type="scattergeo",
                lat=[None],
                lon=[None],
                mode="markers",
                name="outlined blue: changed between the two dates",
                hoverinfo="skip",
                marker=dict(
                    size=12, color="rgba(0,0,0,0)", symbol="square", line=dict(color=CHANGED_OUTLINE, width=2.5)
                ),
                showlegend=True,
            )
        )
    return unchecked_figure(
        traces,
        layout=dict(
            geo=geo_layout(region),
            margin=dict(l=0, r=0, t=0, b=0),
            height=420,
            clickmode="event+select",
            legend=dict(
                orientation="h",
                yanchor="bottom",
                y=1.0,
                xanchor="left",
                x=0.0,
                title=dict(text="5G stance:", side="top"),
                itemclick=False,
                itemdoubleclick=False,
                entrywidth=190,  # in pixels: entries wrap onto new rows on a narrow screen
                entrywidthmode="pixels",
            ),
            dragmode=False,
        ),
    )


def key_from_point(point: Mapping) -> str | None:
    """The record a clicked map point stands for (a country's location, a marker's customdata)."""
    key = point.get("location") or point.get("customdata")
    if isinstance(key, list):
        key = key[0] if key else None
    return key if isinstance(key, str) else None
