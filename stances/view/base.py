"""Colours, looks (faded, unsure), escaping, the map geometry and the data files' fingerprint."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from ..dates import parse_period
from ..snapshot import CATEGORIES, NO_POSITION, OUTSIDE_ONLY, is_unsure  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
GEOMETRY_FILE = ROOT / "static" / "world_110m.json"
MARKERS_FILE = ROOT / "data" / "geo" / "markers.csv"
# plotly.js asks for <topojsonURL>world_110m.json; Streamlit serves static/ at app/static/,
# relative to the page, so this also works under a server.baseUrlPath.
TOPOJSON_URL = "app/static/"

# Okabe-Ito colours (colour-blind safe), one per stance, then outside 5G and a neutral grey.
COLOURS: dict[str, str] = {
    "ban": "#D55E00",  # vermillion
    "core-only exclusion": "#E69F00",  # orange
    "review": "#56B4E9",  # sky blue
    "allow": "#009E73",  # bluish green
    OUTSIDE_ONLY: "#CC79A7",  # reddish purple
    NO_POSITION: "#A6A6A6",  # neutral grey
}
LAND_COLOUR = "#EFEFEF"  # countries without a record
STALE_DAYS = 365  # a position whose last evidence is older than this on the day is faded
FADE = 0.65  # how far a faded fill moves towards the land colour
UNSURE_MARK = "?"  # drawn on a 5G stance that is reported, not confirmed, or of low confidence
SELECTED_OUTLINE = "#000000"  # outline of the country whose evidence is open
OTHER_LEVELS_COLOUR = "#000000"  # agency and operator markers on the timeline
PLAY_SECONDS = 1.5


def stance_label(stance: str | None) -> str:
    """The label for a stance, ``NO_POSITION`` for none (or ``''`` as in the CSV export)."""
    return stance if stance else NO_POSITION


def evidence_end(row: Mapping) -> dt.date | None:
    """The last day of the row's last evidence date (None: no evidence). Index rows carry it
    (``_last_end``): parsing it instead, twice per country, makes the map of 249 countries
    take 2.9 ms to build instead of 2.2 ms (10k events)."""
    if not row["last_evidence"]:
        return None
    return row.get("_last_end") or parse_period(row["last_evidence"])[1]


def first_stale_day(end: dt.date) -> dt.date:
    """The first day on which evidence dated up to ``end`` is more than STALE_DAYS old."""
    return end + dt.timedelta(days=STALE_DAYS + 1)


def evidence_age(row: Mapping, day: dt.date) -> int | None:
    """Days from the end of the row's last evidence date to ``day`` (None: no evidence)."""
    end = evidence_end(row)
    return None if end is None else (day - end).days


def is_stale(row: Mapping, day: dt.date) -> bool:
    """The row's last evidence is more than STALE_DAYS before ``day``: the map fades it."""
    end = evidence_end(row)
    return end is not None and day >= first_stale_day(end)


def fade(colour: str, amount: float = FADE) -> str:
    """``colour`` moved ``amount`` of the way towards the land colour."""
    a, b = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in (colour, LAND_COLOUR))
    return "#" + "".join(f"{round(x + (y - x) * amount):02X}" for x, y in zip(a, b))


def code_of(label: str, stale: bool = False) -> int:
    """The number a category is drawn as (faded ones after the others)."""
    return CATEGORIES.index(label) + (len(CATEGORIES) if stale else 0)


@functools.cache
def stepped_colourscale() -> list[list]:
    """A discrete colour scale for z = 0..2n-1 (every category, then each faded) with
    zmin=-0.5 and zmax=2n-0.5. Made once and shared by every map: not to be changed."""
    colours = [COLOURS[c] for c in CATEGORIES] + [fade(COLOURS[c]) for c in CATEGORIES]
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


class Html(str):
    """Our own HTML, which ``st.html`` draws as it is (through ``_repr_html_``). Any other
    string it dedents first, with a regular expression that stops at every space: 1.1 ms
    for one record's evidence panel of 97 kB (bench/README.md, "1,000 readers")."""

    def _repr_html_(self) -> str:
        return str(self)


def esc(text) -> str:
    """Data text made safe for HTML (shown literally)."""
    return html.escape("" if text is None else str(text), quote=True)


def plotly_esc(text) -> str:
    """Data text made safe for plotly hovers and labels (shown literally).

    Plotly reads a little HTML there (``<b>``, ``<a href=...>``) and decodes ``&lt;``,
    ``&gt;``, ``&amp;`` and numeric entities, but not ``&quot;``: so ``<``, ``>`` and ``&``
    are escaped and quotes left alone (they cannot start a tag).
    """
    return html.escape("" if text is None else str(text), quote=False)


_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^%])")


def md_escape(text: str) -> str:
    """Backslash-escape markdown punctuation so plain text stays plain."""
    return _MD_PUNCTUATION.sub(r"\\\1", text)


def md_inline_code(text: str) -> str:
    """``text`` as a markdown code span: shown literally (no links, emphasis, HTML or emoji)."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def md_code_block(text: str) -> str:
    """``text`` as a fenced markdown code block, so markdown shows it literally."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


# --- geometry -------------------------------------------------------------------------


def geometry_ids(path: Path = GEOMETRY_FILE) -> frozenset[str]:
    """ISO3 ids of the country shapes in the topojson file."""
    return frozenset(geometry_centres(path))


def geometry_centres(path: Path = GEOMETRY_FILE) -> dict[str, tuple[float, float]]:
    """``{iso3: (lat, lon)}``: the centre the topojson gives each country shape (``ct``)."""
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        g["id"]: (g["properties"]["ct"][1], g["properties"]["ct"][0])
        for g in topo["objects"]["countries"]["geometries"]
        if g.get("id")
    }


def marker_positions(path: Path = MARKERS_FILE) -> dict[str, tuple[float, float]]:
    """``{iso3: (lat, lon)}`` for countries drawn as markers (no shape in the 110m file)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for row in rows}


def data_fingerprint(data_dir: Path) -> tuple:
    """Paths, sizes and modification times of the data files: changes when the data is
    edited. Checked on every rerun, so it stats the files and reads nothing (a missing
    folder has no files: the loader reports it)."""
    found = []
    folders = [os.fspath(data_dir)]
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                folders.append(entry.path)
            elif entry.name.endswith((".yaml", ".yml")):
                stat = entry.stat()
                found.append((entry.path, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(found))
