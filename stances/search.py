"""Searching the evidence: quotes, summaries, actors and headlines, ignoring case and accents."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .schema import Event

FIELDS = ("summary", "actor", "quote", "headline")
MAX_QUERY = 200  # characters; a longer query is cut


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` without case or accents ("NÚKIB" -> "nukib"), and for each folded character
    the index of the character of ``text`` it comes from."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            folded = part.casefold()
            out.append(folded)
            where += [i] * len(folded)
    return "".join(out), where


def words_of(query: str) -> list[str]:
    """The folded words of a query, each to be found (at most MAX_QUERY characters read)."""
    return [w for w in fold(query[:MAX_QUERY])[0].split() if w]


def spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where any of ``words`` occurs in ``text``, as merged (start, end) indexes of ``text``."""
    folded, where = fold(text)
    found = []
    for word in words:
        at = folded.find(word)
        while at != -1:
            found.append((where[at], where[at + len(word) - 1] + 1))
            at = folded.find(word, at + 1)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Hit:
    """An event that matches every word of a query, with the texts in which words were found:
    (field, text, spans) for each."""

    key: str
    event: Event
    matches: tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]


def _texts(ds, event) -> list[tuple[str, str]]:
    texts = [("summary", event.summary), ("actor", event.actor)]
    texts += [("quote", s.quote) for s in event.sources]
    for article in dict.fromkeys(s.article for s in event.sources):
        texts.append(("headline", ds.articles[article].headline or ""))
    return texts


def search(ds, query: str, keys=None) -> list[Hit]:
    """Events (of ``keys``' records, or all) in whose summary, actor, quotes and article
    headlines every word of ``query`` occurs, in record-name then date order."""
    words = words_of(query)
    if not words:
        return []
    hits = []
    for record in sorted(ds.records.values(), key=lambda r: (not r.is_country, r.name)):
        if keys is not None and record.key not in keys:
            continue
        for event in record.events:
            texts = _texts(ds, event)
            folded = " ".join(fold(text)[0] for _, text in texts)
            if all(word in folded for word in words):
                matches = tuple((field, text, tuple(found)) for field, text in texts if (found := spans(text, words)))
                hits.append(Hit(record.key, event, matches))
    return hits
