"""The proposed entries of a compilation: dates, publisher, relevance and ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..schema import Article, Seed, SeedPart
from .layout import SMALL_WORDS, Found, IndexingError, SeedText, find_layout, parse_dateline

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


_SLUG_SKIPS = SMALL_WORDS | {"is", "are", "was", "were", "be", "it", "its", "s"}


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
    text = SeedText(lines)
    taken = set(taken_ids or ())
    printed = []
    for found in layout.articles:
        if found.dateline is not None and (parsed := parse_dateline(text[found.dateline])):
            printed.append((found.start, *parsed))
    articles = [_article(path.name, text, found, printed, taken) for found in layout.articles]
    return Proposal(seed=_seed_entry(path.name, raw, articles, layout.parts), articles=articles)


def _article(seed: str, text: SeedText, found: Found, printed: list, taken: set[str]) -> Article:
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
