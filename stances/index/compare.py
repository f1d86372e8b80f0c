"""A proposal measured against a hand-made index."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import Article, SeedPart
from .proposal import Proposal

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
