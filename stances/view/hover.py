"""What a hover says of a country: its 5G stance, how sure, outside 5G, and how old."""

from __future__ import annotations

import datetime as dt
import functools
import textwrap
from collections.abc import Mapping

from ..snapshot import unsure
from .base import NO_POSITION, STALE_DAYS, UNSURE_MARK, evidence_age, plotly_esc


@functools.lru_cache(maxsize=4096)  # the same notes on every map (bench/README.md, "1,000 readers")
def _wrapped(text: str, width: int = 70, limit: int | None = 220) -> str:
    """Data text escaped for a hover, shortened to ``limit`` and broken into lines."""
    return "<br>".join(plotly_esc(line) for line in textwrap.wrap(_short(text, limit) if limit else text, width))


def certainty_words(status: str, confidence: str) -> str:
    """How sure a stance is, in words, with the map's ``?`` where the map draws one:
    ``'? reported, not confirmed; confidence low'``, ``'confidence medium'``, or ``''``."""
    words = ["reported, not confirmed"] if status == "reported" else []
    if confidence and confidence != "high":
        words.append(f"confidence {confidence}")
    return (f"{UNSURE_MARK} " if unsure(status, confidence) else "") + "; ".join(words)


NOT_YET_REPORTED = "no report on or before this date: known from later reports"


def hover_text(row: Mapping, day: dt.date) -> str:
    """Map hover: country; its 5G stance, since when, who decided and how sure; restrictions
    outside 5G; the last evidence and whether it is over a year old (data escaped)."""
    lines = [f"<b>{plotly_esc(row['country'])}</b>"]
    if row["stance"]:
        since = plotly_esc(row["since"])
        if row["since_precision"] != "day":
            since += (
                f" ({plotly_esc(row['since_precision'])} known; in effect from {plotly_esc(row['effective_from'])})"
            )
        lines += [
            f"5G stance: {plotly_esc(row['stance'])}",
            f"since {since}",
            f"decided by {plotly_esc(row['actor'])} ({plotly_esc(row['status'])})",
        ]
        unsure = certainty_words(row["status"], row["confidence"])
        if unsure:
            lines.append(plotly_esc(unsure))
            if row.get("_notes"):
                lines.append(_wrapped(row["_notes"]))
    else:
        lines.append(f"{NO_POSITION} on 5G as of {day.isoformat()}")
    if row["outside_5g"]:
        lines.append(f"Restricted outside 5G: {_wrapped(row['outside_5g'], limit=None)}")
    age = evidence_age(row, day)
    if age is not None:
        old = f" — over a year before {day.isoformat()}" if age > STALE_DAYS else ""
        lines.append(f"Last evidence: {plotly_esc(row['last_evidence'])}{old}")
    elif row["stance"] or row["outside_5g"]:
        lines.append(f"Last evidence: {NOT_YET_REPORTED}")
    return "<br>".join(lines)


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
