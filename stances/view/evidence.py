"""The evidence panel of one record: its position on the day, then every event with its quotes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..asof import last_evidence, outside_5g_in_force, stance_event
from ..dates import parse_period
from ..schema import LEVELS, Event
from ..snapshot import outside_5g_text
from .base import COLOURS, OUTSIDE_ONLY, STALE_DAYS, esc, first_stale_day, stance_label
from .hover import NOT_YET_REPORTED, certainty_words
from .state import ViewState

# --- evidence -------------------------------------------------------------------------


@dataclass
class Citation:
    article_id: str
    headline: str
    article_date: str
    publisher: str
    seed: str
    line: int
    quote: str


@dataclass
class EventView:
    event: Event
    later: bool
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Evidence:
    key: str
    name: str
    is_country: bool
    current: Event | None  # the government event setting the 5G stance on the day
    earlier: list[EventView]
    later: list[EventView]
    hidden: int = 0  # agency and operator events left out (levels toggle off)
    outside: list = field(default_factory=list)  # government events in force outside 5G
    last_evidence: str | None = None  # date of the latest report on the position, to the day
    linked: EventView | None = None  # the event a link points at, shown first


def _event_view(ds, event: Event, day: dt.date) -> EventView:
    cites = []
    for source in event.sources:
        art = ds.articles[source.article]
        cites.append(
            Citation(
                art.id,
                art.headline or "(no headline)",
                art.date or "undated",
                art.publisher or "publisher not named",
                art.seed,
                ds.quote_line(art.id, source.quote),
                source.quote,
            )
        )
    return EventView(event, event.effective > day, cites)


def evidence(ds, key: str, state: ViewState) -> Evidence:
    """Every event of a record in order, split at the chosen day, at the levels chosen."""
    record = ds.records[key]
    levels = set(LEVELS if state.all_levels else ("government",))
    earlier: list[EventView] = []
    later: list[EventView] = []
    hidden = 0
    for event in record.events:
        if event.actor_level not in levels:
            hidden += 1
            continue
        view = _event_view(ds, event, state.day)
        (later if view.later else earlier).append(view)
    linked = None
    if state.event and ds.events_by_id.get(state.event, ("",))[0] == key:
        linked = _event_view(ds, ds.events_by_id[state.event][1], state.day)
    return Evidence(
        key,
        record.name,
        record.is_country,
        stance_event(ds, key, state.day),
        earlier,
        later,
        hidden,
        outside_5g_in_force(record, state.day),
        last_evidence(ds, key, state.day),
        linked,
    )


def date_label(event) -> str:
    """``2019-04-23`` or ``2018-11 (month)`` with a note of when it takes effect if later."""
    text = event.date if event.date_precision == "day" else f"{event.date} ({event.date_precision})"
    if event.effective != event.start or event.date_precision != "day":
        text += f", in effect from {event.effective.isoformat()}"
    return text


def current_html(ev: Evidence, day: dt.date) -> str:
    """The headline of the evidence panel: the 5G stance on the day, since when, by whom and
    how sure; restrictions in force outside 5G; the last evidence and its age."""
    event = ev.current
    label = stance_label(event.stance if event else None)
    what = "5G stance" if ev.is_country else "Position on 5G"
    head = (
        f'<div class="evidence-current" style="margin:.2rem 0 .6rem 0"><div style="font-size:1.25rem;font-weight:700">'
        f"{esc(ev.name)}</div>{what} as of {day.isoformat()}: {_badge(label)}"
    )
    if event is not None:
        head += (
            f'<div style="opacity:.8">since {esc(date_label(event))}, decided by '
            f"{esc(event.actor)} ({esc(event.status)})</div>"
        )
        unsure = certainty_words(event.status, event.confidence)
        if unsure:
            head += f'<div class="evidence-certainty"><b>{esc(unsure)}</b></div>'
    for other in ev.outside:
        head += (
            f'<div class="evidence-outside">{_badge(OUTSIDE_ONLY, "restricted outside 5G")} '
            f"{esc(outside_5g_text(other))}</div>"
        )
    if ev.last_evidence:
        old = ""
        if day >= first_stale_day(parse_period(ev.last_evidence)[1]):
            old = f" — over {STALE_DAYS} days before this date" + (": the map fades it" if ev.is_country else "")
        head += f'<div class="evidence-last" style="opacity:.8">Last evidence: {esc(ev.last_evidence)}{old}</div>'
    elif event is not None or ev.outside:
        head += f'<div class="evidence-last" style="opacity:.8">Last evidence: {NOT_YET_REPORTED}</div>'
    if not ev.is_country:
        head += '<div style="opacity:.8">An organisation: listed as evidence, not drawn on the map.</div>'
    return head + "</div>"


def _badge(label: str, text: str | None = None) -> str:
    colour = COLOURS[label]
    text_colour = "#000000"
    return (
        f'<span style="background:{colour};color:{text_colour};border-radius:.3rem;'
        f'padding:.05rem .45rem;font-weight:600">{esc(text or label)}</span>'
    )


APPLIES_TO_WORDS = {
    "5g": "applies to 5G networks",
    "other": "outside 5G: does not set the 5G stance",
    "unspecified": "extent not stated: does not set the 5G stance",
}


def event_html(view: EventView, linked: bool = False, around: str = "") -> str:
    """One event as a card: date, stance, actor and level, status, summary, quotes, citations;
    ``around`` (around_html) at its foot."""
    e = view.event
    if e.stance is None or e.applies_to is None:
        colour = "#777777"
        stance = '<span style="opacity:.8">no stance (context)</span>'
    else:
        label = e.stance if e.applies_to == "5g" else OUTSIDE_ONLY
        colour = COLOURS[label]
        stance = (
            _badge(label, e.stance if e.applies_to == "5g" else f"{e.stance}, outside 5G")
            + f' <span style="opacity:.8">{esc(APPLIES_TO_WORDS[e.applies_to])}</span>'
        )
    parts = [
        f'<div class="evidence-event" style="border-left:6px solid {colour};padding:.35rem .8rem;'
        f"margin:.5rem 0;{'opacity:.75;' if view.later and not linked else ''}"
        f'{"background:#FFF6D5;" if linked else ""}">',
        f"<div><b>{esc(date_label(e))}</b> · {stance}</div>",
        f'<div class="evidence-id" style="font-size:.8em;opacity:.7">event {esc(e.id)}</div>',
        f"<div>{esc(e.actor)} · <i>{esc(e.actor_level)}</i> · {esc(e.status)}"
        f" · confidence {esc(e.confidence)}{' · scope: ' + esc(e.scope) if e.scope else ''}</div>",
        f'<div style="margin-top:.3rem">{esc(e.summary)}</div>',
    ]
    if e.date_note:
        parts.append(f'<div style="opacity:.8;font-size:.9em">Date: {esc(e.date_note)}</div>')
    if e.notes:
        parts.append(f'<div style="opacity:.8;font-size:.9em">Note: {esc(e.notes)}</div>')
    for c in view.citations:
        parts.append(
            f'<blockquote class="evidence-quote">“{esc(c.quote)}”</blockquote>'
            f'<div class="evidence-cite">{esc(c.headline)} — '
            f"{esc(c.article_date)}, {esc(c.publisher)} · seed {esc(c.seed)}, line {c.line}</div>"
        )
    parts.append(around + "</div>")
    return "".join(parts)


def quote_context(ds, citation: Citation, around: int = 4) -> list[tuple[int, str, list[tuple[str, bool]]]]:
    """The article's lines around the quote: ``(line, text, pieces)`` where pieces split
    the text into ``(piece, is_quote)``; blank lines are left out."""
    numbered = ds.article_lines(citation.article_id)
    joined = "\n".join(text for _, text in numbered)
    at = joined.find(citation.quote)
    if at < 0:
        return [(n, t, [(t, False)]) for n, t in numbered if t.strip()][: 2 * around + 1]
    stop = at + len(citation.quote)
    spans, offset, first_i, last_i = [], 0, None, None
    for i, (number, text) in enumerate(numbered):
        start, end = offset, offset + len(text)
        lo, hi = max(at, start), min(stop, end)
        pieces = [(text, False)]
        if lo < hi:
            pieces = [(text[: lo - start], False), (text[lo - start : hi - start], True), (text[hi - start :], False)]
            first_i = i if first_i is None else first_i
            last_i = i
        spans.append((number, text, [p for p in pieces if p[0]]))
        offset = end + 1
    if first_i is None or last_i is None:  # not reached: the quote was found above
        return [s for s in spans if s[1].strip()][: 2 * around + 1]
    lo_i, hi_i = max(0, first_i - around), min(len(spans), last_i + around + 1)
    return [s for s in spans[lo_i:hi_i] if s[1].strip()]


def around_label(citations: int) -> str:
    """The label under which an event's card folds the article text around its quotes."""
    return "Read the article around the quote" if citations == 1 else f"Read the articles around the {citations} quotes"


def around_html(item: EventView, quote_contexts: list[tuple[str, str]], query: Mapping[str, str]) -> str:
    """An event's quote contexts (view.contexts), folded under around_label: the browser
    opens them, with no rerun (and closes them when the panel is drawn anew). Under each, a
    link that opens the page at ``query`` with the article in the reader, in a new tab: the
    reader's own view stays as it is."""
    parts = [f'<details class="evidence-around"><summary>{esc(around_label(len(item.citations)))}</summary>']
    for context, article_id in quote_contexts:
        href = "?" + urlencode({**query, "article": article_id})
        parts.append(
            f'{context}<div class="evidence-read-line"><a class="evidence-read" href="{esc(href)}" '
            'target="_blank" rel="noopener">Open the whole article</a></div>'
        )
    return "".join(parts) + "</details>"


# The look of what the panel repeats (quotes, citations, the lines of article contexts): a
# class each, styled once per panel, which keeps a record's panel a third smaller than
# inline styles on every line.
PANEL_CSS = (
    "<style>"
    ".evidence-quote{margin:.4rem 0 .1rem 0;padding-left:.7rem;border-left:3px solid #999;font-style:italic}"
    ".evidence-cite{font-size:.85em;opacity:.85}"
    ".evidence-around{margin-top:.35rem}"
    ".evidence-around>summary{cursor:pointer;font-size:.9em;font-weight:600}"
    ".article-context{font-size:.92em}"
    ".article-context-title{font-weight:600;margin:.3rem 0}"
    ".article-context .line{display:flex;gap:.6rem;margin:.25rem 0}"
    ".article-context .line>span:first-child{opacity:.6;min-width:2.5rem;text-align:right;"
    "font-variant-numeric:tabular-nums}"
    ".article-context mark{background:#FFE08A;color:#000}"
    ".evidence-read-line{margin:.1rem 0 .6rem 3.1rem}"
    ".evidence-note{font-size:.875rem;opacity:.7;margin:.4rem 0}"
    "</style>"
)


def panel_html(found: Evidence, day: dt.date, around: Callable[[EventView], str]) -> str:
    """The evidence panel as one HTML block: the stance on the day (current_html), the event a
    link points at, then every event, the later ones apart; ``around(item)`` folds each
    card's quote contexts under it. One block, not an element per event: those were most
    of a date step's Streamlit elements (bench/README.md, "1,000 readers")."""
    parts = [PANEL_CSS, current_html(found, day)]
    if found.linked:
        parts += [
            "<h4>The linked event</h4>",
            event_html(found.linked, linked=True, around=around(found.linked)),
            "<h4>Every event</h4>",
        ]
    if found.hidden:
        parts.append(
            _note(
                f"{found.hidden} agency or operator action(s) hidden: turn on "
                "“List agency and operator actions” to see them."
            )
        )
    if not found.earlier:
        parts.append(_note(f"No recorded event on or before {day.isoformat()}."))
    parts += [event_html(item, around=around(item)) for item in found.earlier]
    if found.later:
        parts.append(f"<h4>Later — after {day.isoformat()}</h4>")
        parts += [event_html(item, around=around(item)) for item in found.later]
    return "".join(parts)


def _note(text: str) -> str:
    """A line in the look of st.caption."""
    return f'<p class="evidence-note">{esc(text)}</p>'


def contexts(ds, item: EventView) -> list[tuple[str, str]]:
    """For each quote of an event: the article's lines around it as HTML (under "Quote i of
    N: headline" when there are several), and the article's id."""
    n = len(item.citations)
    return [
        (context_html(quote_context(ds, c), f"Quote {i} of {n}: {c.headline}" if n > 1 else ""), c.article_id)
        for i, c in enumerate(item.citations, start=1)
    ]


def context_html(lines, title: str = "") -> str:
    """The article lines around a quote, the quote highlighted, each line numbered; under
    ``title`` when an event has several quotes."""
    rows = [f'<div class="article-context-title">{esc(title)}</div>'] if title else []
    for number, _text, pieces in lines:
        body = "".join(f"<mark>{esc(p)}</mark>" if q else esc(p) for p, q in pieces)
        rows.append(f'<div class="line"><span>{number}</span><span>{body}</span></div>')
    return f'<div class="article-context">{"".join(rows)}</div>'


def record_options(ds) -> list[str]:
    """Keys for the record picker: countries by name, then organisations by name."""
    return [k for k, _ in sorted(ds.records.items(), key=lambda kv: (not kv[1].is_country, kv[1].name))]


def record_label(ds, key: str) -> str:
    record = ds.records[key]
    return f"{record.name} ({key})" if record.is_country else f"{record.name} (organisation)"
