"""``stances index``: propose data/articles.yaml entries for a new seed compilation.

A compilation is a text file of reprinted news articles, one paragraph a line. The indexer
reads its layout, not its meaning:

- a *dateline* is a line that is only a date, perhaps after "Updated", "Published" or
  "From" ("January 17, 2019", "Updated: 4-23-2019");
- a *headline* is a short line with no closing full stop, followed by a blank line. It is
  sure when a dateline stands next to it; the compilation's own habit decides which side
  (the headline above its dateline, or a stamp above the headline). A headline without a
  dateline is taken after two blank lines, or after one when it is written in Title Case like
  the compilation's dated headlines, and only when prose follows it;
- a paragraph opening with a wire dateline ("BERLIN — ") after two blank lines starts an
  article printed without a headline;
- text above the first article is the *header*; a "Related Article:" or "See also:" line
  starts a *related-links* list; a run of short lines at the end with a sign-off ("Leave a
  Reply", "Comments") is the *footer*.

Each article runs to the last non-blank line before the next one. What the layout cannot
settle is marked for the curator: an ``inferred`` date with its ``date_note``, a ``note`` on
a doubtful boundary, relevance or publisher, and an origin that says it is not yet described.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from .fmt import field_order
from .schema import Article, ArticleIndex, Seed, SeedPart
from .yamlio import YamlError, read_yaml


class IndexingError(Exception):
    """A seed that cannot be indexed, or an index that cannot take the proposal; the message
    names the file (and line) at fault."""


# --- Lines -------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
_PREFIX = r"(?P<prefix>(?:(?:last\s+)?updated|published|posted(?:\s+on)?|from|dated|first\s+published)\s*:?\s+)?"
_DATE_FORMS = [
    _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})",  # January 17, 2019 / Jan. 17 2019
    r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})",  # 17 January 2019
    r"(?P<year>\d{4})-(?P<mm>\d{2})-(?P<day>\d{2})",  # 2019-01-17
    r"(?P<mm>\d{1,2})[-/.](?P<day>\d{1,2})[-/.](?P<year>\d{4})",  # 4-23-2019 (month first)
    _MONTH + r",?\s+(?P<year>\d{4})",  # January 2019
]
_DATELINES = [re.compile(rf"^{_PREFIX}{_WEEKDAY}{form}\.?$", re.IGNORECASE) for form in _DATE_FORMS]

# Lines that are never headlines: bylines and credits, photo captions, list and link prompts.
_CREDIT = re.compile(
    r"^\(?(?:by|write to|reporting by|editing by|writing by|additional reporting|contact|follow|"
    r"photo|photograph|photographer|picture|image|file photo|video|source)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"^(?:image (?:result|may contain)|file photo|photo:)|\(photo credit|/(?:afp|ap|getty)", re.I)
_RELATED = re.compile(
    r"^(?:related(?: articles?| stories| posts| links| reading| coverage)?|see also|more on this(?: story)?|"
    r"you may also like|recommended(?: reading)?|further reading)\s*:?$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"leave a (?:reply|comment)|\bgo back\b|\bcomments\b|share this|like this|posted in|filed under|"
    r"^tags?:|copyright|©|all rights reserved|subscribe|newsletter|back to top",
    re.IGNORECASE,
)
# A wire dateline opening a paragraph: "BERLIN — ", "WASHINGTON (Reuters) - ".
_WIRE = re.compile(r"^[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*(?:, [A-Z][A-Za-z.]+)?(?: \([A-Za-z ]+\))? [—–-]{1,2} \S")
_SMALL_WORDS = frozenset(
    "a an the and or nor but of in on at to for from by with as vs via per de von van der la le et".split()
)
_HEADLINE_MAX_CHARS = 160
_PROSE_MIN_CHARS = 60  # a line this long, or ending a sentence, reads as prose
_PARAGRAPH_MIN_CHARS = 150  # a line this long is a paragraph of an article, not a list item


def parse_dateline(text: str) -> tuple[str, str] | None:
    """The ISO date and precision of a line that is only a date, else None.

    >>> parse_dateline("Updated: 4-23-2019")
    ('2019-04-23', 'day')

    A date written with digits only is read month first (US style) unless its first number
    is over 12.
    """
    text = " ".join(text.split())
    for pattern in _DATELINES:
        m = pattern.match(text)
        if m is None:
            continue
        parts = m.groupdict()
        year = int(parts["year"])
        month = _MONTHS[parts["month"].lower()] if parts.get("month") else int(parts["mm"])
        if parts.get("day") is None:
            return (f"{year:04d}-{month:02d}", "month") if 1 <= month <= 12 else None
        day = int(parts["day"])
        if parts.get("mm") and not parts["mm"].startswith("0") and month > 12 >= day and len(parts["mm"]) <= 2:
            month, day = day, month  # 23-4-2019: day first
        try:
            return dt.date(year, month, day).isoformat(), "day"
        except ValueError:
            return None
    return None


def _words(text: str) -> list[str]:
    """The words of a line without the punctuation around them ("(#GotBitcoin?)" -> "GotBitcoin")."""
    return [re.sub(r"^\W+|\W+$", "", w) for w in text.split()]


def is_title_case(text: str) -> bool:
    """Whether every word but the small ones ("of", "in", "the") starts with a capital or a
    digit, with at least four such words: "Canada Reveals a Third Citizen Detained by China"."""
    content = [w for w in _words(text) if w and w.lower() not in _SMALL_WORDS]
    return len(content) >= 4 and all(w[0].isupper() or w[0].isdigit() for w in content)


def headline_shape(text: str) -> bool:
    """Whether a line could be a headline: 2 to 25 words, at most 160 characters, opening
    with a capital or a digit, not closing with a full stop, comma, semicolon or colon, and
    no byline, credit, caption, dateline or link-list prompt."""
    words = text.split()
    if not 2 <= len(words) <= 25 or len(text) > _HEADLINE_MAX_CHARS:
        return False
    first = text.lstrip("“‘\"'(")[:1]
    if not (first.isupper() or first.isdigit()) or text.endswith((".", ",", ";", ":")):
        return False
    return not (
        _CREDIT.match(text) or _CAPTION.search(text) or _RELATED.match(text) or parse_dateline(text) is not None
    )


def is_prose(text: str) -> bool:
    """Whether a line reads as a paragraph (or a sentence of a subtitle): long, or closing a sentence."""
    return len(text) >= _PROSE_MIN_CHARS or text.rstrip("”’\"')").endswith((".", "?", "!"))


# --- Layout ------------------------------------------------------------------------------


@dataclass
class Found:
    """One article as laid out in the seed: 1-based line numbers."""

    start: int
    end: int = 0
    headline: int | None = None
    dateline: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Layout:
    """The articles and the parts (header, related links, footer) of a seed."""

    articles: list[Found]
    parts: list[SeedPart]


class _Text:
    """The lines of a seed, 1-based, stripped, with the blank-line neighbourhood of each."""

    def __init__(self, lines: Sequence[str]):
        self.raw = list(lines)
        self.n = len(self.raw)

    def __getitem__(self, number: int) -> str:
        return self.raw[number - 1].strip()

    def blank(self, number: int) -> bool:
        return not self[number]

    def next_text(self, number: int, reach: int = 3) -> int | None:
        """The next non-blank line after ``number`` within ``reach`` lines, else None."""
        for other in range(number + 1, min(number + reach, self.n) + 1):
            if not self.blank(other):
                return other
        return None

    def previous_text(self, number: int, reach: int = 3) -> int | None:
        for other in range(number - 1, max(number - reach, 1) - 1, -1):
            if not self.blank(other):
                return other
        return None

    def blanks_before(self, number: int) -> int:
        """How many blank lines stand right above ``number`` (a large number at the top)."""
        count = 0
        for other in range(number - 1, 0, -1):
            if not self.blank(other):
                return count
            count += 1
        return 99

    def last_text_before(self, number: int) -> int:
        for other in range(number - 1, 0, -1):
            if not self.blank(other):
                return other
        return 0


def _headline_at(text: _Text, number: int | None) -> bool:
    """Whether line ``number`` can head an article: headline-shaped and followed by a blank line."""
    return number is not None and headline_shape(text[number]) and number < text.n and text.blank(number + 1)


def _pair_datelines(text: _Text, datelines: list[int]) -> dict[int, int | None]:
    """Each dateline's headline (None: an article printed without one). Whether headlines
    stand above their datelines or below them is the compilation's habit, decided by the
    datelines where only one side can be a headline."""
    sides = {d: (text.previous_text(d), text.next_text(d)) for d in datelines}
    above = sum(1 for up, down in sides.values() if _headline_at(text, up) and not _headline_at(text, down))
    below = sum(1 for up, down in sides.values() if _headline_at(text, down) and not _headline_at(text, up))
    order = (0, 1) if above >= below else (1, 0)
    pairs: dict[int, int | None] = {}
    for d, candidates in sides.items():
        pairs[d] = next((candidates[i] for i in order if _headline_at(text, candidates[i])), None)
    return pairs


def _undated_starts(text: _Text, taken: set[int], title_case: bool) -> dict[int, list[str]]:
    """Headlines without a dateline, and articles opening with a wire dateline, with notes."""
    starts: dict[int, list[str]] = {}
    for number in range(1, text.n + 1):
        line = text[number]
        if not line or number in taken:
            continue
        gap = text.blanks_before(number)
        if gap >= 2 and _WIRE.match(line):
            starts[number] = ["Printed without a headline; it opens with a wire dateline."]
            continue
        following = text.next_text(number)
        if not _headline_at(text, number) or following is None or following in taken:
            continue
        if not is_prose(text[following]) or not _paragraph_follows(text, number):
            continue
        if gap >= 2 or (gap == 1 and title_case and is_title_case(line)):
            starts[number] = []
    return starts


def _paragraph_follows(text: _Text, number: int, reach: int = 3) -> bool:
    """Whether one of the ``reach`` non-blank lines after ``number`` is a full paragraph: what
    tells an article's headline from an item of a list of links."""
    for _ in range(reach):
        following = text.next_text(number)
        if following is None:
            return False
        if len(text[following]) >= _PARAGRAPH_MIN_CHARS:
            return True
        number = following
    return False


def _related_and_footer(text: _Text, barriers: list[int]) -> tuple[list[SeedPart], int]:
    """The related-links lists and the footer; returns them and the line each article's text
    may not pass beyond at the end of the file."""
    parts: list[SeedPart] = []
    last_start = max(barriers, default=0)
    end_of_text = text.last_text_before(text.n + 1)
    footer = _footer_start(text, last_start)
    markers = [n for n in range(1, text.n + 1) if _RELATED.match(text[n])]
    for marker in markers:
        after = [b for b in barriers if b > marker]
        limit = min(after) if after else (footer or end_of_text + 1)
        if not after and footer is None:
            footer = _list_end(text, marker)
            limit = footer or end_of_text + 1
        last = text.last_text_before(limit)
        parts.append(
            SeedPart(
                lines=(marker, last),
                kind="related-links",
                note=f'A "{text[marker].rstrip(":")}" list of links, not articles (proposed: check where it ends).',
            )
        )
    if footer is not None:
        parts.append(
            SeedPart(
                lines=(footer, end_of_text),
                kind="footer",
                note="Sign-off and navigation after the last article (proposed).",
            )
        )
    return parts, footer or end_of_text + 1


def _footer_start(text: _Text, after: int) -> int | None:
    """The first sign-off line of the run of short lines that ends the file, if any."""
    first = None
    for number in range(text.n, after, -1):
        line = text[number]
        if not line:
            continue
        if len(line) > 80 or parse_dateline(line):
            break
        if _SIGN_OFF.search(line):
            first = number
    return first


def _list_end(text: _Text, marker: int) -> int | None:
    """At the end of the file: the first line after a link list that is not a list item
    (a line closing with a full stop), where the footer starts; None if the list runs to the end."""
    for number in range(marker + 1, text.n + 1):
        line = text[number]
        if line and line.endswith(".") and not line.startswith(("(", "—")):
            return number
    return None


def find_layout(lines: Sequence[str]) -> Layout:
    """The articles and parts of a seed's lines (as ``text.split("\\n")``)."""
    text = _Text(lines)
    datelines = [n for n in range(1, text.n + 1) if text[n] and parse_dateline(text[n])]
    pairs = _pair_datelines(text, datelines)
    found: dict[int, Found] = {}
    for d, h in pairs.items():
        start = h if h is not None else d
        found[start] = Found(start=start, headline=h, dateline=d)
        if h is None:
            found[start].notes.append("Printed without a headline; it starts at its dateline.")
    dated_headlines = [text[h] for h in pairs.values() if h is not None]
    title_case = not dated_headlines or 2 * sum(map(is_title_case, dated_headlines)) > len(dated_headlines)
    taken = set(found) | set(datelines)
    for start, notes in _undated_starts(text, taken, title_case).items():
        wire = bool(notes)
        found[start] = Found(start=start, headline=None if wire else start, notes=notes)
    barriers = sorted(min(f.start, f.dateline or f.start) for f in found.values())
    parts, tail = _related_and_footer(text, barriers)
    articles = sorted(found.values(), key=lambda f: f.start)
    part_starts = sorted([p.lines[0] for p in parts])
    for article in articles:
        own = min(article.start, article.dateline or article.start)
        stops = [b for b in barriers if b > own] + [p for p in part_starts if p > article.start] + [tail]
        article.end = text.last_text_before(min(stops))
        article.notes += _boundary_notes(text, article)
    first = min(barriers + part_starts + [tail])
    if first > 1 and text.last_text_before(first) > 0:
        note = "Text above the first article (proposed)."
        parts.insert(0, SeedPart(lines=(1, text.last_text_before(first)), kind="header", note=note))
    return Layout(articles=articles, parts=parts)


def _boundary_notes(text: _Text, article: Found) -> list[str]:
    """Notes on where an article's end is in doubt: prose after two blank lines inside it."""
    opening = text.next_text(max(article.start, article.dateline or 0), reach=text.n)
    doubtful = [
        n
        for n in range(article.start + 1, article.end + 1)
        if text[n] and n != opening and text.blanks_before(n) >= 2 and is_prose(text[n])
    ]
    if not doubtful:
        return []
    where = ", ".join(str(n) for n in doubtful)
    return [f"Check the range: line(s) {where} follow two blank lines and may start another article."]


# --- Dates, publisher, relevance, ids ----------------------------------------------------

_OUTLETS = (
    "Reuters|Associated Press|AP|AFP|Agence France-Presse|Bloomberg News|Bloomberg|DW|Deutsche Welle|BBC|"
    "CNN|CNBC|NPR|Dow Jones|The Wall Street Journal|WSJ|Financial Times|The New York Times|The Washington Post|"
    "The Guardian|Nikkei|Kyodo|Yonhap|Xinhua|South China Morning Post|Politico|Axios|Al Jazeera|France 24"
)
# Phrases in which an outlet names itself as the one reporting.
_SELF_NAMED = [
    re.compile(rf"\b(?:seen|reviewed|obtained) by (?P<name>{_OUTLETS})\b"),
    re.compile(rf"\brequests? (?:for comment )?from (?P<name>{_OUTLETS})\b"),
    re.compile(rf"\btold (?P<name>{_OUTLETS})[.,]"),
    re.compile(rf"\b(?P<name>{_OUTLETS}) has learned\b"),
    re.compile(rf"^[A-Z][A-Z ,.'-]+ \((?P<name>{_OUTLETS})\) [—–-]"),
]
_LAST_LINE = re.compile(rf"^\(?(?P<name>{_OUTLETS})\)?\.?$")
_HUAWEI = re.compile(r"\b(?:Huawei|ZTE)\b")
_TELECOM = re.compile(r"\b(?:5G|networks?|telecom\w*|carriers?|operators?)\b", re.IGNORECASE)


def find_publisher(body: list[str]) -> tuple[str | None, str | None]:
    """The publisher an article names for itself, with a note saying where; else (None, None).
    A byline ("By ... in Berlin") is an author, and an outlet the article quotes ("told The
    Times", "Dow Jones reported") is not its publisher."""
    lines = [line.strip() for line in body if line.strip()]
    if lines and (m := _LAST_LINE.match(lines[-1])):
        return m.group("name"), "The publisher is named on the article's last line."
    for line in lines:
        for pattern in _SELF_NAMED:
            if m := pattern.search(line):
                return m.group("name"), f'The publisher is named in "{m.group(0).rstrip(".,—–- ")}".'
    return None, None


def judge_relevance(body: list[str]) -> tuple[bool, str | None]:
    """Whether an article bears on Huawei and 5G or telecom networks: it names Huawei (or ZTE),
    as the hand index counts the cases against the company; with a note when that rests on
    one or two mentions, or when networks are named without the company."""
    text = "\n".join(body)
    vendor = len(_HUAWEI.findall(text))
    networks = len(_TELECOM.findall(text))
    if vendor >= 3:
        return True, None
    if vendor:
        return True, f"Relevance guessed: Huawei or ZTE named only {vendor} time(s)."
    if networks >= 3:
        return False, "Relevance guessed: it speaks of networks or telecoms but never names Huawei or ZTE."
    return False, None


_SLUG_SKIPS = _SMALL_WORDS | {"is", "are", "was", "were", "be", "it", "its", "s"}


def slug(text: str, taken: set[str], words: int = 4) -> str:
    """A short id from a headline, unique against ``taken``: its first significant words in
    lower-case ASCII ("Germany looks to ban Huawei from 5G" -> "germany-looks-ban-huawei")."""
    text = re.sub(r"[’']s\b", "", text).replace(".", "")  # "Huawei’s" -> "Huawei", "U.S." -> "US"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    tokens = [t for t in re.findall(r"[a-z0-9]+", ascii_text.lower()) if t not in _SLUG_SKIPS]
    base = "-".join(tokens[:words]) or "article"
    candidate, counter = base, 2
    while candidate in taken:
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


@dataclass(frozen=True)
class _Dating:
    date: str | None
    precision: str | None
    basis: str | None
    note: str | None


def _date_printed(dateline: str, iso: str, precision: str) -> _Dating:
    note = None
    if re.match(r"\s*(?:last\s+)?updated", dateline, re.IGNORECASE):
        note = 'The compilation\'s "Updated" stamp; the report itself may be older.'
    elif re.match(r"\s*(?:from|posted|published)\b", dateline, re.IGNORECASE):
        note = f'As printed ("{dateline}").'
    digits = re.search(r"(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}", dateline)
    if digits and int(digits.group(1)) <= 12 and int(digits.group(2)) <= 12 and digits.group(1) != digits.group(2):
        note = ((note or "") + " Read month first (US style): check.").strip()
    return _Dating(iso, precision, "printed", note)


def _date_inferred(printed: list[tuple[int, str, str]], position: int) -> _Dating:
    """The month of the nearest dated article before (else after) the one at ``position``."""
    before = [p for p in printed if p[0] < position]
    after = [p for p in printed if p[0] > position]
    neighbour = before[-1] if before else (after[0] if after else None)
    if neighbour is None:
        return _Dating(None, None, None, None)
    line, iso, _ = neighbour
    side = "before" if before else "after"
    note = (
        f"No dateline. Guessed from the nearest dated article {side} it (line {line}, {iso}) "
        "to the month: read the text to confirm or correct."
    )
    return _Dating(iso[:7], "month", "inferred", note)


# --- Proposal ----------------------------------------------------------------------------


@dataclass
class Proposal:
    """The entries proposed for one seed: its ``seeds:`` entry and its ``articles:``."""

    seed: Seed
    articles: list[Article]


def read_seed(path: Path) -> tuple[bytes, list[str]]:
    """The bytes of a seed and its lines (``text.split("\\n")``, as the index numbers them).
    Raises IndexingError for a missing, empty or non-UTF-8 file."""
    if not path.is_file():
        raise IndexingError(f"{path}: seed file not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IndexingError(f"{path}:{line}: not UTF-8 text (byte {raw[exc.start]:#04x})") from None
    if not text.strip():
        raise IndexingError(f"{path}:1: the file is empty")
    return raw, text.split("\n")


def propose(path: Path, taken_ids: set[str] | None = None) -> Proposal:
    """The seed entry and article entries proposed for the seed at ``path``; article ids
    avoid ``taken_ids``. Raises IndexingError when the file cannot be read or holds no article."""
    raw, lines = read_seed(path)
    layout = find_layout(lines)
    if not layout.articles:
        raise IndexingError(f"{path}: no article found (no headline or dateline recognised)")
    text = _Text(lines)
    taken = set(taken_ids or ())
    printed = []
    for found in layout.articles:
        if found.dateline is not None and (parsed := parse_dateline(text[found.dateline])):
            printed.append((found.start, *parsed))
    articles = [_article(path.name, text, found, printed, taken) for found in layout.articles]
    return Proposal(seed=_seed_entry(path.name, raw, articles, layout.parts), articles=articles)


def _article(seed: str, text: _Text, found: Found, printed: list, taken: set[str]) -> Article:
    body = [text[n] for n in range(found.start, found.end + 1)]
    headline = text[found.headline] if found.headline is not None else None
    dateline = text[found.dateline] if found.dateline is not None else None
    if dateline is not None and (parsed := parse_dateline(dateline)):
        dating = _date_printed(dateline, *parsed)
    else:
        dating = _date_inferred(printed, found.start)
    publisher, publisher_note = find_publisher(body)
    relevant, relevance_note = judge_relevance(body)
    notes = [*found.notes, *(n for n in (publisher_note, relevance_note) if n)]
    if dating.date is None:
        notes.append("No date printed and none to infer from: add one by reading the text.")
    opening = text.next_text(found.start, reach=text.n) if found.headline is None and found.dateline else found.start
    article_id = slug(headline or " ".join(text[opening or found.start].split()[:8]), taken)
    taken.add(article_id)
    return Article(
        id=article_id,
        seed=seed,
        headline=headline,
        dateline=dateline,
        dateline_line=found.dateline,
        lines=(found.start, found.end),
        date_precision=dating.precision,  # type: ignore[arg-type]
        date=dating.date,
        date_basis=dating.basis,  # type: ignore[arg-type]
        date_note=dating.note,
        publisher=publisher,
        relevant=relevant,
        note=" ".join(notes) or None,
    )


def _seed_entry(name: str, raw: bytes, articles: list[Article], parts: list[SeedPart]) -> Seed:
    dates = sorted(a.date for a in articles if a.date)
    span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
    origin = (
        f"NOT YET DESCRIBED. A compilation of {len(articles)} articles{span} (as proposed by stances index). "
        "Say what it is, where it comes from and when it was saved, or that these are not recorded."
    )
    return Seed(file=name, sha256=hashlib.sha256(raw).hexdigest(), origin=origin, parts=parts)


# --- YAML --------------------------------------------------------------------------------

_WIDTH = 92  # folded text is wrapped to this many columns, as in data/articles.yaml


def _scalar(value: object) -> str:
    """One YAML scalar in the index's style: plain where YAML reads it back unchanged, single-
    quoted where needed, double-quoted with ``\\u00a0`` escapes for invisible characters."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if any(unicodedata.category(ch) in ("Zs", "Cc", "Cf") and ch != " " for ch in text):
        quoted = json.dumps(text, ensure_ascii=False)
        hidden = ("Zs", "Cf")  # no-break and other invisible spaces, written as escapes
        return "".join(f"\\u{ord(ch):04x}" if ch != " " and unicodedata.category(ch) in hidden else ch for ch in quoted)
    dumped = yaml.safe_dump(text, allow_unicode=True, width=10**6, default_style=None)
    return dumped.removesuffix("\n...\n").removesuffix("\n")


def _key_value(key: str, value: object, indent: str) -> list[str]:
    """``key: value`` lines; long plain text is folded (``>-``) over several lines."""
    if key == "date":
        return [f"{indent}{key}: '{value}'"]
    if isinstance(value, (tuple, list)):
        return [f"{indent}{key}: {_flow(value)}"]
    line = f"{indent}{key}: {_scalar(value)}"
    text = str(value)
    foldable = isinstance(value, str) and "  " not in text and text == text.strip() and text.isprintable()
    if len(line) <= _WIDTH + 8 or not foldable or key in ("headline", "dateline", "file"):
        return [line]
    wrapped = textwrap.wrap(text, width=_WIDTH - len(indent) - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}{key}: >-", *(f"{indent}  {w}" for w in wrapped)]


def _flow(value: object) -> str:
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _entry(model, indent: str, skip: Sequence[str] = ()) -> list[str]:
    """A list item of a model's set fields, in the model's field order, ``- first: ...`` first."""
    out: list[str] = []
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in skip or value is None or value == [] or (name == "continued" and not value):
            continue
        prefix = indent + ("- " if not out else "  ")
        lines = _key_value(name, value, "")
        out += [prefix + lines[0], *(indent + "  " + rest for rest in lines[1:])]
    return out


_ARTICLE_ORDER = field_order(Article)  # the order stances fmt keeps


def article_yaml(article: Article, indent: str = "  ") -> str:
    """One ``articles:`` entry as the index writes it."""
    out: list[str] = []
    for name in _ARTICLE_ORDER:
        value = getattr(article, name)
        if value is None and name == "headline":
            pass  # a missing headline is written out: "headline: null"
        elif value is None or value == []:
            continue
        lines = _key_value(name, value, "")
        prefix = indent + ("- " if not out else "  ")
        out += [prefix + lines[0], *(indent + "  " + rest for rest in lines[1:])]
    return "\n".join(out) + "\n"


def seed_yaml(seed: Seed, indent: str = "  ") -> str:
    """One ``seeds:`` entry as the index writes it, its parts as a nested list."""
    out = [
        f"{indent}- file: {_scalar(seed.file)}",
        f"{indent}  sha256: {seed.sha256}",
        *(indent + "  " + line for line in _key_value("origin", seed.origin, "")),
    ]
    if seed.parts:
        out.append(f"{indent}  parts:")
        for part in seed.parts:
            out += _entry(part, indent + "    ")
    return "\n".join(out) + "\n"


def proposal_yaml(proposal: Proposal) -> str:
    """The proposal as a YAML document for review: ``seeds:`` with one entry, then ``articles:``."""
    articles = "\n".join(article_yaml(a) for a in proposal.articles)
    return (
        f"# Proposed by stances index for {proposal.seed.file}: check every note, date_note and range.\n"
        f"seeds:\n{seed_yaml(proposal.seed)}\narticles:\n{articles}"
    )


# --- Writing into articles.yaml ----------------------------------------------------------

_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _block_end(lines: list[str], key: str, path: Path) -> int:
    """The index of the last content line of the top-level ``key:`` block (comments and
    blank lines after it are left where they are)."""
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    own = [i for i in starts if re.match(rf"^{key}\s*:\s*(?:#.*)?$", lines[i])]
    if not own:
        raise IndexingError(f"{path}: no top-level '{key}:' list to add to")
    begin = own[0]
    following = [i for i in starts if i > begin]
    stop = following[0] if following else len(lines)
    last = begin
    for i in range(begin + 1, stop):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            last = i
    return last


def insert_proposal(index_text: str, proposal: Proposal, path: Path) -> str:
    """``index_text`` with the seed entry after the last seed entry and the articles after the
    last article; every existing byte is kept."""
    lines = index_text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline: restored below
    seed_at = _block_end(lines, "seeds", path)
    article_at = _block_end(lines, "articles", path)
    rule = "-" * max(3, 86 - len(proposal.seed.file))
    articles = [
        f"  # --- {proposal.seed.file} {rule}",
        *"\n".join(article_yaml(a) for a in proposal.articles).split("\n"),
    ]
    seed = seed_yaml(proposal.seed).rstrip("\n").split("\n")
    inserts = sorted([(seed_at, seed), (article_at, ["", *articles[:-1]] if articles[-1] == "" else ["", *articles])])
    for at, new in reversed(inserts):
        lines[at + 1 : at + 1] = new
    return "\n".join(lines) + "\n"


def write_proposal(data_dir: Path, proposal: Proposal) -> Path:
    """Add the proposal to ``data_dir/articles.yaml``, checking first that the result reads
    back with the new seed and articles in it; returns the file written."""
    path = data_dir / "articles.yaml"
    before = path.read_text(encoding="utf-8")
    after = insert_proposal(before, proposal, path)
    check = path.with_name(f".{path.name}.new")
    check.write_text(after, encoding="utf-8")
    try:
        index = _read_index(check)
        files = [s.file for s in index.seeds]
        ids = [a.id for a in index.articles]
        if files[-1] != proposal.seed.file or ids[-len(proposal.articles) :] != [a.id for a in proposal.articles]:
            raise IndexingError(f"{path}: the entries could not be placed after the last seed and article")
        os.replace(check, path)
    finally:
        check.unlink(missing_ok=True)
    return path


def _read_index(path: Path) -> ArticleIndex:
    try:
        raw, _ = read_yaml(path)
        return ArticleIndex.model_validate(raw)
    except YamlError as exc:
        raise IndexingError(f"{path}:{exc.line}: {exc.message}") from None
    except ValidationError as exc:
        raise IndexingError(f"{path}: does not validate ({exc.error_count()} problem(s)); run stances check") from None


# --- Comparison with a hand index --------------------------------------------------------


@dataclass
class Comparison:
    """How a proposal for a seed matches its hand-made index (counts of articles and parts)."""

    hand: int = 0  # articles in the hand index
    proposed: int = 0  # articles proposed
    found: int = 0  # hand articles with a proposed article starting on the same line
    ranges: int = 0  # of the found articles with one range in the hand index: first and last line right
    continued: int = 0  # hand articles printed in pieces (``continued`` ranges)
    continued_right: int = 0  # of those: every range right
    dates: int = 0  # of the found: date and precision right
    headlines: int = 0  # of the found: headline right (both null counts)
    datelines: int = 0  # of the found: dateline and its line right (both absent counts)
    publishers: int = 0  # of the found: publisher right (both absent counts)
    relevant: int = 0  # of the found: relevance right
    parts: int = 0  # hand parts proposed with the same lines and kind
    hand_parts: int = 0
    proposed_parts: int = 0
    continued_found: int = 0  # found articles that the hand index prints in pieces
    wrong: list[str] = field(default_factory=list)  # what differs, one line each

    def lines(self) -> list[str]:
        """The figures as printed by ``stances index --compare``."""
        single = self.found - self.continued_found
        out = [
            f"articles found: {self.found} of {self.hand} (same first line; {self.proposed} proposed)",
            f"ranges exactly right: {self.ranges} of {single} found articles printed in one piece",
            f"articles printed in pieces (continued): {self.continued_right} of {self.continued} right",
            f"dates right (date and precision): {self.dates} of {self.found}",
            f"headlines right: {self.headlines} of {self.found}",
            f"datelines right: {self.datelines} of {self.found}",
            f"publishers right: {self.publishers} of {self.found}",
            f"relevance right: {self.relevant} of {self.found}",
            f"parts right: {self.parts} of {self.hand_parts} ({self.proposed_parts} proposed)",
        ]
        return out + [f"  differs: {w}" for w in self.wrong]


def compare(proposed: Proposal, hand_articles: list[Article], hand_parts: list[SeedPart]) -> Comparison:
    """Count how many of the hand index's articles and parts the proposal matches."""
    result = Comparison(hand=len(hand_articles), proposed=len(proposed.articles))
    by_start = {a.lines[0]: a for a in proposed.articles}
    for hand in hand_articles:
        result.continued += bool(hand.continued)
        mine = by_start.get(hand.lines[0])
        if mine is None:
            result.wrong.append(f"{hand.id}: not found (starts at line {hand.lines[0]})")
            continue
        result.found += 1
        checks = {
            "range": (tuple(mine.lines), list(map(tuple, mine.continued)))
            == (tuple(hand.lines), list(map(tuple, hand.continued))),
            "date": (mine.date, mine.date_precision) == (hand.date, hand.date_precision),
            "headline": mine.headline == hand.headline,
            "dateline": (mine.dateline, mine.dateline_line) == (hand.dateline, hand.dateline_line),
            "publisher": mine.publisher == hand.publisher,
            "relevant": mine.relevant == hand.relevant,
        }
        if hand.continued:
            result.continued_found += 1
            result.continued_right += checks["range"]
        else:
            result.ranges += checks["range"]
        result.dates += checks["date"]
        result.headlines += checks["headline"]
        result.datelines += checks["dateline"]
        result.publishers += checks["publisher"]
        result.relevant += checks["relevant"]
        for name, right in checks.items():
            if not right:
                result.wrong.append(f"{hand.id}: {name} {_shown(mine, name)} (hand: {_shown(hand, name)})")
    mine_parts = {(p.kind, tuple(p.lines)) for p in proposed.seed.parts}
    result.hand_parts, result.proposed_parts = len(hand_parts), len(mine_parts)
    for part in hand_parts:
        right = (part.kind, tuple(part.lines)) in mine_parts
        result.parts += right
        if not right:
            result.wrong.append(f"{part.kind} part {list(part.lines)}: not proposed")
    return result


def _shown(article: Article, name: str) -> str:
    if name == "range":
        return str([list(article.lines), *map(list, article.continued)])
    if name == "date":
        return f"{article.date} ({article.date_precision})"
    if name == "dateline":
        return f"{article.dateline!r} at {article.dateline_line}"
    return repr(getattr(article, name))


# --- Command -----------------------------------------------------------------------------


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``index`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(
        "index",
        parents=[common],
        help="propose data/articles.yaml entries for a new seed compilation",
        description="Propose the seeds: entry and the articles: entries for a seed compilation and print "
        "them as YAML for review; --write appends them to the data folder's articles.yaml.",
    )
    parser.add_argument("seed", help="the seed file: a path, or a file name in the index's seeds_dir")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--write", action="store_true", help="append the proposal to articles.yaml")
    what.add_argument(
        "--compare",
        action="store_true",
        help="index an already indexed seed afresh and compare with its hand-made entries",
    )
    parser.set_defaults(run=run, needs_data=False)


def run(args: argparse.Namespace) -> int:
    """Print the proposal (or the comparison), or write it; exit 2 with a message on bad input."""
    try:
        return _run(args)
    except IndexingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    index_path = data_dir / "articles.yaml"
    if not index_path.is_file():
        raise IndexingError(f"{index_path}: file not found (the article index of --data)")
    index = _read_index(index_path)
    seeds_dir = (data_dir / index.seeds_dir).resolve()
    path = Path(args.seed)
    if not path.is_file() and Path(args.seed).name == args.seed and (seeds_dir / args.seed).is_file():
        path = seeds_dir / args.seed
    if args.compare:
        return _compare(path, index)
    raw, _ = read_seed(path)
    _refuse_indexed(path, raw, index, index_path)
    proposal = propose(path, {a.id for a in index.articles})
    if not args.write:
        sys.stdout.write(proposal_yaml(proposal))
        return 0
    if path.resolve().parent != seeds_dir:
        raise IndexingError(f"{path}: copy the seed into {seeds_dir} first; the index names seeds by file name there")
    write_proposal(data_dir, proposal)
    print(f"wrote {len(proposal.articles)} articles and the seed entry of {path.name} to {index_path}")
    return 0


def _refuse_indexed(path: Path, raw: bytes, index: ArticleIndex, index_path: Path) -> None:
    digest = hashlib.sha256(raw).hexdigest()
    for seed in index.seeds:
        if seed.file == path.name:
            raise IndexingError(f"{path.name} is already indexed in {index_path}; its entries are never rewritten")
        if seed.sha256 == digest:
            raise IndexingError(f"{path} has the same bytes as {seed.file}, already indexed in {index_path}")


def _compare(path: Path, index: ArticleIndex) -> int:
    seed = next((s for s in index.seeds if s.file == path.name), None)
    if seed is None:
        raise IndexingError(f"{path.name} is not in the index: nothing to compare with")
    hand = [a for a in index.articles if a.seed == path.name]
    result = compare(propose(path), hand, seed.parts)
    print("\n".join(result.lines()))
    return 0


__all__ = [
    "Comparison",
    "IndexingError",
    "Proposal",
    "compare",
    "find_layout",
    "insert_proposal",
    "parse_dateline",
    "propose",
    "proposal_yaml",
    "write_proposal",
]
