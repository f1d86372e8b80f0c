"""``stances suggest``: uncited sentences that may state a country's stance.

Every sentence of a relevant article (its ``lines`` and ``continued`` ranges; never a seed
``part``) that names a country and contains a stance word is a *candidate*. A candidate is
*cited* when a source quote of some event, from the same article, overlaps it (see
``is_cited``). The uncited candidates are ranked and printed, most promising first.
"""

from __future__ import annotations

import argparse
import re
import shutil
import textwrap
from dataclasses import dataclass

import pycountry

from .coverage import name_pattern

# --- Sentences ---------------------------------------------------------------------------

# A full stop after a title or a month's abbreviation never ends a sentence ("Mr. Trump",
# "Rep. Schiff", "Sept. 1"); after a company suffix or an initialism ("Co.", "Inc.", "U.S.")
# it does only before a word that opens sentences (see OPENERS).
TITLES = frozenset(
    "Mr Mrs Ms Messrs Dr Prof St Mt Gen Lt Col Sgt Capt Adm Gov Sen Rep Rev No Nos vs "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
SUFFIXES = frozenset("Co Corp Inc Ltd Jr Sr".split())
# Words that open a sentence and never continue a name, for telling "U.S." at the end of a
# sentence from "U.S." before a noun.
OPENERS = frozenset(
    "A An The Some Many Most Much Other Others It Its He His She Her They Their There These "
    "This That Those We Our I But And Yet So In On At For After Before While When If As Since".split()
)
# A sentence ends at ., ! , ? or … (with any closing quotes or brackets after it), before
# white space and a capital, a digit or an opening quote or bracket.
_END = re.compile(r"[.!?…]+[”’\"')\]]*(?=\s+[“‘\"'(\[]*[A-Z0-9])")
# The word the full stop closes: letters and inner full stops ("U.S", "Mr", "a.m").
_LAST_WORD = re.compile(r"(?<![\w.])([A-Za-z][A-Za-z.]*)\.$")


def _ends_sentence(text: str, end: re.Match) -> bool:
    """Whether the punctuation matched at ``end`` closes a sentence, not an abbreviation."""
    mark = end.group()
    if not mark.startswith(".") or mark.rstrip("”’\"')]") != ".":
        return True  # "?", "!", "…" or "..." end a sentence
    word = _LAST_WORD.search(text[: end.start() + 1])
    if word is None:
        return True
    token = word.group(1)
    if token in TITLES or re.fullmatch(r"[A-Z]", token):
        return False  # "Mr. Trump", "Monty H. Smith"
    if token not in SUFFIXES and not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", token):
        return True
    # "Micron Technology Inc. That came ..." and "... in the U.S. Some carriers ..." end a
    # sentence; "Huawei Technologies Co. Chief ..." and "the U.S. Justice Department" do not.
    # "... for the U.S. Poland is ..." is joined: the lesser harm.
    following = re.match(r"\W*(\w+)", text[end.end() :])
    return following is not None and following.group(1) in OPENERS


def split_sentences(line: str) -> list[tuple[int, str]]:
    """The sentences of one seed line, as ``(offset in the line, sentence)``.

    >>> split_sentences("Mr. Smith met U.S. officials. “No,” he said. It ended.")
    [(0, 'Mr. Smith met U.S. officials.'), (30, '“No,” he said.'), (45, 'It ended.')]

    Sentences never run across lines: in the seeds a line is a paragraph.
    """
    out = []
    start = 0
    for end in _END.finditer(line):
        if _ends_sentence(line, end):
            out.append((start, line[start : end.end()]))
            start = end.end()
    out.append((start, line[start:]))
    sentences = []
    for offset, text in out:
        stripped = text.strip()
        if stripped:
            sentences.append((offset + len(text) - len(text.lstrip()), stripped))
    return sentences


@dataclass(frozen=True)
class Sentence:
    article: str
    seed: str
    line: int
    start: int  # offset in the article's text (Dataset.article_text)
    text: str
    headline: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def article_sentences(ds, article_id: str) -> list[Sentence]:
    """Every sentence of an article, its continuation ranges included, in order. A printed
    headline is one sentence (title case defeats the splitter: "U.S. In Talks With ...")."""
    article = ds.articles[article_id]
    headline = article.lines[0] if article.headline is not None else None
    sentences = []
    offset = 0  # where the line starts in Dataset.article_text, whose lines are joined by "\n"
    for number, line in ds.article_lines(article_id):
        parts = [(len(line) - len(line.lstrip()), line.strip())] if number == headline else split_sentences(line)
        for at, text in parts:
            sentences.append(Sentence(article_id, article.seed, number, offset + at, text, number == headline))
        offset += len(line) + 1
    return sentences


# --- Citation ----------------------------------------------------------------------------

# A sentence and a quote that overlap by this many characters or more share a substantial
# stretch (about seven words); one that lies wholly inside the other always counts.
SHARED_CHARS = 40


def quote_spans(ds, article_id: str) -> list[tuple[int, int]]:
    """Where each event source quote of the article lies in its text: ``(start, end)`` of
    every occurrence."""
    text = ds.article_text(article_id)
    spans = []
    for record in ds.records.values():
        for event in record.events:
            for source in event.sources:
                if source.article == article_id:
                    spans += [(m.start(), m.end()) for m in re.finditer(re.escape(source.quote), text)]
    return spans


def is_cited(sentence: tuple[int, int], quotes: list[tuple[int, int]]) -> bool:
    """Whether a sentence span overlaps a quote span: the quote contains the sentence, lies
    inside it, or the two share at least ``SHARED_CHARS`` characters of text."""
    start, end = sentence
    for q_start, q_end in quotes:
        shared = min(end, q_end) - max(start, q_start)
        if shared > 0 and shared >= min(SHARED_CHARS, end - start, q_end - q_start):
            return True
    return False


# --- Stance words ------------------------------------------------------------------------

# (label, pattern, weight). Weight 3: words that state a decision on a vendor (exclude or
# let in); 2: a restriction of unstated extent, a pause or a review; 1: scrutiny. Longer
# phrases come first and a word inside one already found is not counted again ("no plans to
# ban" is an allow, not a ban). Left out on purpose: "concern", "risk", "warn", "pressure"
# and "investigate" (worry, lobbying and criminal cases, which are context, not a stance).
STANCE_WORDS: list[tuple[str, str, int]] = [
    ("no plans to ban", r"no plans? to (?:ban|bar|block|exclude|shut out)", 3),
    ("no reason to block", r"no reason to (?:ban|bar|block|exclude)", 3),
    ("no legal basis", r"no (?:concrete )?legal basis", 3),
    ("phase out", r"phas(?:e|es|ed|ing) out", 3),
    ("rip out", r"rip(?:s|ped|ping)? out", 3),
    ("shut out", r"shut(?:s|ting)? (?:\w+ )?out", 3),
    ("keep out", r"(?:keep|keeps|kept|keeping) (?:\w+ ){0,3}out of", 3),
    ("stop using", r"(?:stop|stops|stopped|end|ends|ended) (?:the )?us(?:e|ing)", 3),
    ("security requirements", r"security (?:requirements|rules|standards|criteria|catalogue)", 2),
    ("clamp down", r"clamp(?:s|ed|ing)? down", 2),
    ("ban", r"ban(?:s|ned|ning)?", 3),
    ("bar", r"bar(?:s|red|ring)?", 3),
    ("block", r"block(?:s|ed|ing)?", 3),
    ("exclude", r"exclu(?:de|des|ded|ding|sion)", 3),
    ("prohibit", r"prohibit(?:s|ed|ing|ion)?", 3),
    ("remove", r"remov(?:e|es|ed|ing|al)", 3),
    ("strip", r"strip(?:s|ped|ping)?", 3),
    ("shun", r"shun(?:s|ned|ning)?", 3),
    ("allow", r"allow(?:s|ed|ing)?", 3),
    ("welcome", r"welcom(?:e|es|ed|ing)", 2),
    ("permit", r"permit(?:s|ted|ting)?", 2),
    ("drop", r"drop(?:s|ped|ping)?", 2),
    ("restrict", r"restrict(?:s|ed|ing|ion|ions)?", 2),
    ("curb", r"curb(?:s|ed|ing)?", 2),
    ("limit", r"limit(?:s|ed|ing)?", 2),
    ("pause", r"paus(?:e|es|ed|ing)", 2),
    ("halt", r"halt(?:s|ed|ing)?", 2),
    ("suspend", r"suspen(?:d|ds|ded|ding|sion)", 2),
    ("review", r"review(?:s|ed|ing)?", 2),
    ("reassess", r"re-?(?:assess|evaluat)\w*", 2),
    ("scrutiny", r"scrutin\w*", 1),
]
_STANCE = [(label, re.compile(rf"\b{pattern}\b", re.IGNORECASE), weight) for label, pattern, weight in STANCE_WORDS]
_WEIGHT = {label: weight for label, _, weight in STANCE_WORDS}

_HUAWEI = re.compile(r"\b(?:Huawei|ZTE)\b")
_NETWORK = re.compile(r"\b(?:5G|networks?|telecom\w*)\b", re.IGNORECASE)
_GOVERNMENT = re.compile(
    r"\b(?:government|governments|ministers?|ministry|cabinet|parliament|lawmakers|chancellor|"
    r"president|prime minister|security council|administration|authorities|officials|regulators?|"
    r"agency|commission|secretary)\b",
    re.IGNORECASE,
)
# Clause boundaries inside a sentence: ";", ":", a dash, or a comma before a conjunction.
_CLAUSE = re.compile(
    r"[;:—–]|,\s+(?=(?:but|while|although|though|whereas|which|who|after|before|because|despite|"
    r"according|as|when|if|since)\b)"
)


def stance_words(text: str, headline: bool = False) -> list[tuple[str, int, int]]:
    """The stance words of a sentence as ``(label, start, end)``, in order; a word inside a
    longer phrase already found is left out, and so, outside a headline, is a capitalised
    word after the first ("The Australian Financial Review" is a name)."""
    found: list[tuple[str, int, int]] = []
    for label, pattern, _ in _STANCE:
        for m in pattern.finditer(text):
            if not headline and text[m.start()].isupper() and re.search(r"[\w,;]\s*$", text[: m.start()]):
                continue
            if not any(s < m.end() and m.start() < e for _, s, e in found):
                found.append((label, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def _clause_of(text: str, at: int) -> int:
    """The index of the clause that character ``at`` of ``text`` falls in."""
    return sum(1 for m in _CLAUSE.finditer(text) if m.start() < at)


def score(text: str, countries: list[tuple[str, int]], words: list[tuple[str, int, int]]) -> int:
    """How likely a sentence states a stance: the weight of its strongest stance word (1-3),
    +2 if a country and a stance word share a clause, +1 each for Huawei (or ZTE) named, 5G
    or the networks named, and a government, minister, officials or regulator named."""
    points = max(_WEIGHT[label] for label, _, _ in words)
    country_clauses = {_clause_of(text, at) for _, at in countries}
    if any(_clause_of(text, start) in country_clauses for _, start, _ in words):
        points += 2
    for pattern in (_HUAWEI, _NETWORK, _GOVERNMENT):
        if pattern.search(text):
            points += 1
    return points


# --- Candidates --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    countries: tuple[str, ...]  # ISO3 codes in the order first named
    words: tuple[str, ...]  # stance word labels in the order found
    score: int
    cited: bool


@dataclass(frozen=True)
class Scan:
    sentences: int  # sentences scanned
    candidates: list[Candidate]  # cited ones too, in the order of data/articles.yaml

    @property
    def uncited(self) -> list[Candidate]:
        """The uncited candidates, ranked: highest score first, then in the order found."""
        return sorted((c for c in self.candidates if not c.cited), key=lambda c: -c.score)


def _countries_in(pattern: re.Pattern, owner: dict[str, str], text: str) -> list[tuple[str, int]]:
    """``(iso3, offset)`` for every country name in ``text`` (coverage's matcher)."""
    return [(owner[m.group(1)], m.start()) for m in pattern.finditer(text)]


def scan(ds, article: str | None = None, country: str | None = None) -> Scan:
    """Every candidate in the relevant articles (or in ``article`` alone), keeping those that
    name ``country`` if given. Raises KeyError for an unknown article or country, ValueError
    for an article that is not relevant."""
    if article is not None:
        if article not in ds.articles:
            raise KeyError(f"unknown article '{article}'")
        if not ds.articles[article].relevant:
            raise ValueError(f"article '{article}' is not relevant (relevant: false): nothing to suggest")
    country = country.upper() if country else None
    if country is not None and pycountry.countries.get(alpha_3=country) is None:
        raise KeyError(f"'{country}' is not an ISO 3166-1 alpha-3 country code")
    pattern, owner = name_pattern(ds)
    ids = [article] if article else [a.id for a in ds.articles.values() if a.relevant and a.id in ds.texts]
    scanned = 0
    found = []
    for article_id in ids:
        quotes = quote_spans(ds, article_id)
        for sentence in article_sentences(ds, article_id):
            scanned += 1
            named = _countries_in(pattern, owner, sentence.text)
            words = stance_words(sentence.text, sentence.headline)
            if not named or not words:
                continue
            codes = tuple(dict.fromkeys(iso3 for iso3, _ in named))
            if country is not None and country not in codes:
                continue
            cited = is_cited((sentence.start, sentence.end), quotes)
            labels = tuple(dict.fromkeys(label for label, _, _ in words))
            found.append(Candidate(sentence, codes, labels, score(sentence.text, named, words), cited))
    return Scan(scanned, found)


def _mentioned(ds) -> set[tuple[str, str]]:
    """``(iso3, article id)`` for every country that data/mentions.yaml accounts for in an article."""
    if ds.mentions is None:
        return set()
    return {(m.iso3, a) for m in ds.mentions.mentions for a in m.articles}


def format_candidate(rank: int, candidate: Candidate, mentioned: set[tuple[str, str]], width: int) -> str:
    """Two or more lines: rank, score, article, ``seed:line``, countries (``*``: in
    data/mentions.yaml for that article) and stance words; then the sentence, wrapped."""
    s = candidate.sentence
    codes = ",".join(c + ("*" if (c, s.article) in mentioned else "") for c in candidate.countries)
    head = f"{rank:3}. [{candidate.score}] {s.article}  {s.seed}:{s.line}  {codes}  ({', '.join(candidate.words)})"
    body = textwrap.fill(s.text, width=max(width, 40), initial_indent="     ", subsequent_indent="     ")
    return f"{head}\n{body}"


def counts_line(result: Scan) -> str:
    """The closing line: sentences scanned, candidates, uncited candidates."""
    return (
        f"{result.sentences} sentences scanned, {len(result.candidates)} candidates, "
        f"{len(result.uncited)} uncited candidates"
    )


# --- Command -----------------------------------------------------------------------------


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``suggest`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser(
        "suggest",
        parents=[common],
        help="uncited sentences that may state a country's stance",
        description="List the sentences of relevant articles that name a country near a stance word "
        "and that no event quotes, most promising first. "
        "A * after a country: data/mentions.yaml already accounts for it in that article.",
    )
    parser.add_argument("--article", help="scan this article only (an id from data/articles.yaml)")
    parser.add_argument("--country", type=str.upper, help="keep sentences that name this country (ISO3)")
    parser.set_defaults(run=run, needs_data=True)


def run(ds, args: argparse.Namespace) -> int:
    """Print the ranked uncited candidates and the counts line; return 0."""
    result = scan(ds, args.article, args.country)
    width = shutil.get_terminal_size((100, 24)).columns - 1
    mentioned = _mentioned(ds)
    for rank, candidate in enumerate(result.uncited, start=1):
        print(format_candidate(rank, candidate, mentioned, width))
    print(counts_line(result))
    return 0
