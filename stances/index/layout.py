"""Reading a compilation's layout: datelines, headlines, articles and parts."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..schema import SeedPart


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
SMALL_WORDS = frozenset(
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
    content = [w for w in _words(text) if w and w.lower() not in SMALL_WORDS]
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


class SeedText:
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


def _headline_at(text: SeedText, number: int | None) -> bool:
    """Whether line ``number`` can head an article: headline-shaped and followed by a blank line."""
    return number is not None and headline_shape(text[number]) and number < text.n and text.blank(number + 1)


def _pair_datelines(text: SeedText, datelines: list[int]) -> dict[int, int | None]:
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


def _undated_starts(text: SeedText, taken: set[int], title_case: bool) -> dict[int, list[str]]:
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


def _paragraph_follows(text: SeedText, number: int, reach: int = 3) -> bool:
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


def _related_and_footer(text: SeedText, barriers: list[int]) -> tuple[list[SeedPart], int]:
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


def _footer_start(text: SeedText, after: int) -> int | None:
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


def _list_end(text: SeedText, marker: int) -> int | None:
    """At the end of the file: the first line after a link list that is not a list item
    (a line closing with a full stop), where the footer starts; None if the list runs to the end."""
    for number in range(marker + 1, text.n + 1):
        line = text[number]
        if line and line.endswith(".") and not line.startswith(("(", "—")):
            return number
    return None


def find_layout(lines: Sequence[str]) -> Layout:
    """The articles and parts of a seed's lines (as ``text.split("\\n")``)."""
    text = SeedText(lines)
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


def _boundary_notes(text: SeedText, article: Found) -> list[str]:
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
