"""The map as a picture to download, PNG or SVG, made without a network.

The picture is the map as shown (``map_figure_of``: colours, faded, ``?``, outlines), laid
out for print with a dated title, the filters in words, the legend and a source line.
plotly.js draws it in a headless Chromium through kaleido, from local files only: the
plotly.js of the plotly package, no MathJax, and the map shapes read from ``static/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from pathlib import Path

import cachetools
import plotly
import plotly.graph_objects as go
from plotly.utils import PlotlyJSONEncoder

from ..asof import evidence_horizon
from ..package import NAME, TITLE, changelog_version
from .base import GEOMETRY_FILE, plotly_esc
from .evidence import record_label
from .state import ViewState, file_name

WIDTH, HEIGHT = 1600, 1000  # pixels of the PNG, and the SVG's size
IMAGE_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TOPOJSON_DIR = GEOMETRY_FILE.parent.as_uri() + "/"  # plotly.js reads <this>world_110m.json
SECONDS = 90  # at most, to draw one picture once the browser is up

_drawing = threading.Lock()  # one browser at a time: each one takes a core while it starts
_made: cachetools.LRUCache = cachetools.LRUCache(maxsize=16)  # (figure hash, format) -> bytes
_made_lock = threading.Lock()


class ImageError(Exception):
    """The map could not be drawn as a picture (no browser, or the browser failed)."""


def find_browser() -> str | None:
    """The Chromium or Chrome to draw with: ``$BROWSER_PATH`` (kaleido's own variable) if
    set, else the first of BROWSERS on the PATH."""
    return _browser(os.environ.get("BROWSER_PATH") or "", os.environ.get("PATH", ""))


# Looked up at most once a minute per setting: the page asks on every date change, and the
# search stats several files (0.17 ms of a 7 ms rerun, bench/rerun.py --profile app).
@cachetools.cached(cachetools.TTLCache(maxsize=8, ttl=60), lock=threading.Lock())
def _browser(browser_path: str, path: str) -> str | None:
    if browser_path:
        return browser_path if os.access(browser_path, os.X_OK) else None
    return next((found for name in BROWSERS if (found := shutil.which(name, path=path))), None)


def image_unavailable() -> str | None:
    """Why the map cannot be downloaded as a picture on this machine, or None."""
    if find_browser() is not None:
        return None
    where = f"BROWSER_PATH={os.environ['BROWSER_PATH']!r}" if os.environ.get("BROWSER_PATH") else "this server"
    return (
        f"The map downloads (PNG, SVG) need Chromium or Chrome, and {where} has none "
        f"(looked for {', '.join(BROWSERS)}): install Debian's chromium package."
    )


def release_of(data_dir: Path) -> str:
    """The data release a folder holds: the newest heading of the CHANGELOG.md beside it
    ("unreleased" where there is none)."""
    try:
        return changelog_version(Path(data_dir).parent / "CHANGELOG.md")
    except (OSError, ValueError):
        return "unreleased"


def image_file_name(state: ViewState, region: str, fmt: str) -> str:
    """``huawei-5g-map_2019-06-01_five-eyes_europe.png``: the CSV downloads' name, with the
    map's region where it is not the world."""
    name = file_name("map", state).removesuffix(".csv")
    if region != "World":
        name += "_" + region.lower().replace("-", "").replace(" ", "-")
    return f"{name}.{fmt}"


# --- the words on the picture -----------------------------------------------------------


def title_of(state: ViewState) -> str:
    return f"{TITLE}, as of {state.day.isoformat()}"


def filters_of(state: ViewState, outlined: str | None = None) -> str:
    """The filters in words, then what the outlines mean ("" parts left out)."""
    chosen = []
    if state.alliances:
        chosen.append(f"members of {' or '.join(state.alliances)} on {state.day.isoformat()}")
    if state.stances:
        chosen.append(f"5G stance {' or '.join(state.stances)}")
    words = f"Filters: {'; '.join(chosen)}." if chosen else "No filters: every country with a record."
    if state.start:
        words += f" Outlined in blue: changed from {state.start.isoformat()} to {state.day.isoformat()}."
    if outlined:
        words += f" Outlined in black: {outlined}."
    return words


def source_of(release: str, ds) -> str:
    horizon = evidence_horizon(ds)
    up_to = horizon.isoformat() if horizon else "an unknown date"
    return f"Source: {NAME}, data release {release}, evidence up to {up_to}; each colour cites a dated article"


# --- the figure and its drawing -------------------------------------------------------


def _drawn(figure: dict) -> set[str]:
    """The records a map figure draws: its choropleths' countries and its small-country markers."""
    found: set[str] = set()
    for trace in figure["data"]:
        if trace.get("type") == "choropleth":
            found.update(trace.get("locations") or ())
        elif trace.get("name") == "small countries":
            found.update(trace.get("customdata") or ())
    return found


def print_figure(fig: go.Figure, ds, state: ViewState, release: str) -> dict:
    """The map figure ``fig`` laid out for print at WIDTH x HEIGHT: the same traces, under a
    title with the date, the filters in words and the legend, over a source line."""
    figure = fig.to_plotly_json()
    layout = dict(figure["layout"])
    drawn = _drawn(figure)
    outlined = record_label(ds, state.country) if state.country in drawn else None
    layout.update(
        width=WIDTH,
        height=HEIGHT,
        margin=dict(l=40, r=40, t=230, b=70),
        paper_bgcolor="#FFFFFF",
        font=dict(family="Arial, Helvetica, sans-serif", size=16, color="#222222"),
        title=dict(
            text=f"<b>{plotly_esc(title_of(state))}</b>",
            subtitle=dict(text=plotly_esc(filters_of(state, outlined)), font=dict(size=18, color="#444444")),
            font=dict(size=30),
            x=40 / WIDTH,
            xanchor="left",
            y=0.975,
            yanchor="top",
            yref="container",
        ),
        legend={
            **layout.get("legend", {}),
            "font": dict(size=16),
            "entrywidth": 0.33,
            "y": 1.01,
        },
        annotations=[
            dict(
                text=plotly_esc(source_of(release, ds)),
                xref="paper",
                yref="paper",
                x=0,
                y=0,
                xanchor="left",
                yanchor="top",
                yshift=-24,
                showarrow=False,
                font=dict(size=16, color="#444444"),
            )
        ],
    )
    return {"data": figure["data"], "layout": layout}


def draw(figure: dict, fmt: str) -> bytes:
    """``figure`` as ``fmt`` (png or svg), drawn by plotly.js in the local browser, offline;
    the last few are kept. Raises ImageError where no browser is found or it fails."""
    if fmt not in IMAGE_TYPES:
        raise ValueError(f"unknown image format {fmt!r}: use {' or '.join(IMAGE_TYPES)}")
    spec = json.dumps(figure, cls=PlotlyJSONEncoder, sort_keys=True)
    key = (hashlib.sha256(spec.encode("utf-8")).hexdigest(), fmt)
    with _made_lock:
        if key in _made:
            return _made[key]
    browser = find_browser()
    if browser is None:
        raise ImageError(image_unavailable())
    import kaleido  # starts nothing; imported here as only a download needs it

    try:
        with _drawing:
            made = kaleido.calc_fig_sync(
                figure,
                opts=dict(format=fmt, width=WIDTH, height=HEIGHT, scale=1),
                topojson=TOPOJSON_DIR,
                kopts=dict(path=browser, plotlyjs=str(PLOTLY_JS), mathjax=False, timeout=SECONDS),
            )
    except Exception as exc:
        raise ImageError(f"drawing the map as {fmt.upper()} with {browser} failed: {exc}") from exc
    with _made_lock:
        _made[key] = made
    return made


def map_image(fig: go.Figure, ds, state: ViewState, fmt: str, release: str) -> bytes:
    """The map ``fig`` (as ``map_figure_of`` made it for ``state``) as a PNG or SVG for print."""
    return draw(print_figure(fig, ds, state, release), fmt)
