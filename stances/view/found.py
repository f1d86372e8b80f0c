"""Search results as the page shows them: each matching event, its words highlighted."""

from __future__ import annotations

from ..search import Hit
from .base import esc, md_escape, stance_label
from .evidence import date_label

FIELD_NAMES = {"summary": "Summary", "actor": "Actor", "quote": "Quote", "headline": "Headline"}
SHOWN_HITS = 25  # results drawn at once; the rest are counted


def marked(text: str, spans) -> str:
    """``text`` escaped for HTML, with each span in a <mark>."""
    out, at = [], 0
    for start, end in spans:
        out += [esc(text[at:start]), f'<mark style="background:#FFE08A;color:#000">{esc(text[start:end])}</mark>']
        at = end
    out.append(esc(text[at:]))
    return "".join(out)


def hit_html(ds, hit: Hit) -> str:
    """A result: the record, the event's date, stance and id, and every text that matched."""
    event = hit.event
    record = ds.records[hit.key]
    stance = stance_label(event.stance) if event.stance else "context"
    head = (
        f"<b>{esc(record.name)}</b> · {esc(date_label(event))} · {esc(stance)} · "
        f'<code style="font-size:.85em">{esc(event.id)}</code>'
    )
    rows = "".join(
        f'<div style="margin:.15rem 0 .15rem .8rem"><span style="opacity:.75">{FIELD_NAMES[field]}:</span> '
        f"{marked(text, spans)}</div>"
        for field, text, spans in hit.matches
    )
    return f'<div class="search-hit" style="margin:.3rem 0">{head}{rows}</div>'


def results_md(query: str, hits: list) -> str:
    """The line above the results."""
    if not hits:
        return f"No event matches “{md_escape(query)}” (summaries, actors, quotes and headlines searched)."
    more = f"; the first {SHOWN_HITS} are listed" if len(hits) > SHOWN_HITS else ""
    return f"**{len(hits)} event(s)** match “{md_escape(query)}”{more}."
