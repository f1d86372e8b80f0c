"""The page's words: the method, the captions and the summary line."""

from __future__ import annotations

from pathlib import Path

from .base import STALE_DAYS
from .state import Timeframe, ViewState
from .tables import Shown

METHOD_MD = (Path(__file__).parent / "method.md").read_text(encoding="utf-8")

MAP_CAPTION = (
    "Click a country, or the circle of a small country, to see its evidence. "
    "Colour: the government's stance on Huawei in its 5G networks. Purple: no 5G "
    "stance, but a restriction of narrower scope (government purchases, one "
    "network). Grey: a record but no 5G position on this date; plain: no record. "
    f"Faded: the last report on the position is over {STALE_DAYS} days "
    "old on this date. ?: reported, not confirmed, or low confidence. "
    "The Snapshot table below says the same in words: every country shown, its stance on "
    "this date and since when; “Evidence for” opens a country from the keyboard."
)

# A heading for screen readers only, between the page's title (h1) and the subheaders (h3).
DAY_HEADING_HTML = (
    '<h2 style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);'
    'white-space:nowrap;margin:0;padding:0">The chosen day: map, snapshot and evidence</h2>'
)

TIMELINE_CAPTION = (
    "Each row is a country's government stance on Huawei in its 5G networks over time (purple: "
    "restricted outside 5G only; hatched: reported, not confirmed, or low confidence; "
    f"faded: over {STALE_DAYS} days after the last report). The black line marks the slider's "
    "day. Hover over a band for its dates, or read them in the table above: it gives each "
    "position and since when, on the slider's day."
)


def summary_md(state: ViewState, now: Shown, span: Timeframe) -> str:
    """The line above the map: the day, how many countries hold each stance, and where the
    evidence ends."""
    tally = " · ".join(f"{n} {label}" for label, n in now.tally.items())
    ends = (
        f"Evidence up to **{span.horizon.isoformat()}**, the date of the latest article: "
        "the map shows nothing after it."
        if span.horizon
        else "No article is dated."
    )
    return f"**As of {state.day.isoformat()}** ({len(now.rows)} countries shown): {tally}  \n{ends}"
