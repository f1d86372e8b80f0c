"""The article reader: a whole article as printed, every cited sentence marked and linked to
the events that cite it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from .base import esc


@dataclass(frozen=True)
class Cited:
    """An event that quotes the article: its record's key, its id and the quote."""

    key: str
    event_id: str
    quote: str


def citations_of(ds, article_id: str) -> list[Cited]:
    """Every (event, quote) citing ``article_id``, records in name order, events in order."""
    found = []
    for record in sorted(ds.records.values(), key=lambda r: (not r.is_country, r.name)):
        for event in record.events:
            found += [Cited(record.key, event.id, s.quote) for s in event.sources if s.article == article_id]
    return found


def reader_lines(ds, article_id: str) -> list[tuple[int, list[tuple[str, tuple[Cited, ...]]]]]:
    """``(seed line, pieces)`` for every non-blank line of the article, where pieces split the
    line into ``(text, the citations quoting it)``; ``()`` for text no event cites."""
    numbered = ds.article_lines(article_id)
    text = "\n".join(t for _, t in numbered)
    by_char: list[list[Cited]] = [[] for _ in text]
    for cited in citations_of(ds, article_id):
        at = text.find(cited.quote)
        while at >= 0:
            for i in range(at, at + len(cited.quote)):
                by_char[i].append(cited)
            at = text.find(cited.quote, at + 1)
    out = []
    offset = 0
    for number, line in numbered:
        pieces: list[tuple[str, tuple[Cited, ...]]] = []
        for i, char in enumerate(line):
            who = tuple(by_char[offset + i])
            if pieces and pieces[-1][1] == who:
                pieces[-1] = (pieces[-1][0] + char, who)
            else:
                pieces.append((char, who))
        if line.strip():
            out.append((number, pieces))
        offset += len(line) + 1
    return out


def _link(cited: Cited, query: dict[str, str]) -> str:
    href = "?" + urlencode({**query, "country": cited.key, "event": cited.event_id})
    return f'<a href="{esc(href)}" target="_self" style="font-size:.8em">{esc(cited.event_id)}</a>'


def _ranges(article) -> str:
    return ", ".join(f"{a}–{b}" for a, b in [article.lines, *article.continued])


def reader_html(ds, article_id: str, query: dict[str, str]) -> str:
    """The article: headline, date, publisher, seed and lines, then its text, each line
    numbered, cited text marked with links to the citing events (``query``: the page's URL
    parameters, kept in the links)."""
    article = ds.articles[article_id]
    date = article.date or "undated"
    if article.date_precision and article.date_precision != "day":
        date += f" ({article.date_precision})"
    if article.date_basis == "inferred":
        date += ", inferred"
    meta = " · ".join(
        part
        for part in (
            esc(date),
            esc(article.publisher) if article.publisher else "",
            f"seed {esc(article.seed)}, lines {esc(_ranges(article))}",
        )
        if part
    )
    cited = citations_of(ds, article_id)
    rows = []
    for number, pieces in reader_lines(ds, article_id):
        body = []
        for text, who in pieces:
            if not who:
                body.append(esc(text))
                continue
            links = " ".join(_link(c, query) for c in dict.fromkeys(who))
            body.append(f'<mark style="background:#FFE08A;color:#000">{esc(text)}</mark> <sup>{links}</sup>')
        rows.append(
            f'<div style="display:flex;gap:.6rem;margin:.3rem 0"><span style="opacity:.6;min-width:2.5rem;'
            f'text-align:right;font-variant-numeric:tabular-nums">{number}</span><span>{"".join(body)}</span></div>'
        )
    events = len({c.event_id for c in cited})
    return (
        f'<div class="article-reader"><h4 style="margin:.2rem 0">{esc(article.headline or "(no headline)")}</h4>'
        f'<div style="opacity:.75;font-size:.9em">{meta} · cited by {events} event(s)</div>'
        f'<div style="font-size:.92em;margin-top:.5rem">{"".join(rows)}</div></div>'
    )
