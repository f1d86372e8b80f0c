"""Rules that span files: seeds and article ranges, quotes, dates, duplicates, conflicts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from .asof import outside_5g_key
from .dates import parse_period
from .problems import Problem


def cross_check(ds, show, index_lines, record_files, mention_lines, alliance_lines, today: dt.date) -> list[Problem]:
    """Check everything that needs more than one file; report, change nothing.

    Nothing may be dated after ``today``, the day the data is checked as of. Without an
    article index (``ds.article_index`` is None: articles.yaml did not load) the checks that
    need articles are skipped and the others still run.
    """
    problems: list[Problem] = []
    if ds.article_index is not None:
        problems += _check_articles(ds, show(ds.data_dir / "articles.yaml"), index_lines, today)
    for key, (file, lines) in record_files.items():
        problems += _check_record(ds, ds.records[key], file, lines, today)
    problems += _check_event_ids(ds, record_files)
    if ds.mentions is not None:
        problems += _check_mentions(ds, show(ds.data_dir / "mentions.yaml"), mention_lines)
    if ds.alliances is not None:
        problems += _check_alliances(ds, show(ds.data_dir / "alliances.yaml"), alliance_lines)
    return problems


def _check_articles(ds, file, lines, today: dt.date) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    taken: dict[str, dict[int, str]] = defaultdict(dict)  # seed -> line -> owner

    def claim(seed: str, first: int, last: int, owner: str, where: int) -> None:
        seed_len = len(ds.seed_lines[seed])
        if first > last or last > seed_len:
            problems.append(
                Problem(file, where, f"{owner}: line range {first}-{last} is not inside {seed} (1-{seed_len})")
            )
            return
        for n in range(first, last + 1):
            if n in taken[seed]:
                problems.append(
                    Problem(file, where, f"{owner}: line {n} of {seed} is already part of {taken[seed][n]}")
                )
                return
            taken[seed][n] = owner

    for i, seed in enumerate(ds.article_index.seeds):
        if seed.file not in ds.seed_lines:
            continue
        for j, part in enumerate(seed.parts):
            claim(seed.file, part.lines[0], part.lines[1], f"{part.kind} part", lines.get(("seeds", i, "parts", j), 1))

    for i, art in enumerate(ds.article_index.articles):
        where = lines.get(("articles", i), 1)
        if art.id in seen:
            problems.append(Problem(file, where, f"article id '{art.id}' is used twice (first at line {seen[art.id]})"))
            continue
        seen[art.id] = where
        if art.seed not in ds.seed_lines:
            if art.seed not in {s.file for s in ds.article_index.seeds}:
                problems.append(
                    Problem(
                        file,
                        lines.get(("articles", i, "seed"), where),
                        f"article '{art.id}': unknown seed '{art.seed}'",
                    )
                )
            continue
        seed_lines = ds.seed_lines[art.seed]
        first = art.lines[0]
        opening = seed_lines[first - 1].strip() if first <= len(seed_lines) else ""
        expected = art.headline if art.headline is not None else art.dateline
        if expected is None:
            if not opening or not art.note:
                problems.append(
                    Problem(
                        file,
                        where,
                        f"article '{art.id}' has no headline or dateline: "
                        "it must start at a non-blank line and say so in a note",
                    )
                )
        elif opening != expected.strip():
            problems.append(
                Problem(
                    file,
                    lines.get(("articles", i, "lines"), where),
                    f"article '{art.id}' range does not start at its "
                    f"{'headline' if art.headline is not None else 'dateline'}: "
                    f"line {first} reads '{opening[:80]}'",
                )
            )
        for first_, last_ in [art.lines, *art.continued]:
            claim(art.seed, first_, last_, f"article '{art.id}'", where)
        if (art.dateline is None) != (art.dateline_line is None):
            problems.append(Problem(file, where, f"article '{art.id}': dateline and dateline_line go together"))
        elif art.dateline_line is not None:
            n = art.dateline_line
            if n > len(seed_lines) or seed_lines[n - 1].strip() != art.dateline.strip():
                problems.append(
                    Problem(
                        file,
                        lines.get(("articles", i, "dateline_line"), where),
                        f"article '{art.id}': line {n} does not read '{art.dateline}'",
                    )
                )
            elif not art.lines[0] <= n <= art.lines[1]:
                claim(art.seed, n, n, f"article '{art.id}' dateline", where)
        if art.date is not None and (art.date_precision is None or art.date_basis is None):
            problems.append(Problem(file, where, f"article '{art.id}': a date needs date_precision and date_basis"))
        if art.date_basis == "inferred" and not art.date_note:
            problems.append(Problem(file, where, f"article '{art.id}': an inferred date needs a date_note"))
        if art.date is not None and art.start > today:
            problems.append(
                Problem(
                    file,
                    lines.get(("articles", i, "date"), where),
                    f"article '{art.id}' is dated {art.date}, in the future (the data is checked as of {today})",
                )
            )

    for seed, owners in taken.items():
        for n, text in enumerate(ds.seed_lines[seed], start=1):
            if text.strip() and n not in owners:
                problems.append(
                    Problem(file, 1, f"{seed} line {n} belongs to no article or part: '{text.strip()[:60]}'")
                )
                break  # one per seed is enough to point at the gap
    return problems


def _check_record(ds, record, file, lines, today: dt.date) -> list[Problem]:
    problems = []
    previous = None
    seen_events: dict[tuple, int] = {}
    for i, event in enumerate(record.events):
        where = event.line
        if previous is not None and event.start < previous.start:
            problems.append(
                Problem(file, where, f"events are not in date order: {event.date} comes after {previous.date}")
            )
        previous = event
        identity = (event.date, event.actor_level, event.actor, event.stance, event.scope)
        if identity in seen_events:
            problems.append(
                Problem(
                    file,
                    where,
                    f"duplicate event: same date, actor, stance and scope as the event at line {seen_events[identity]}",
                )
            )
        seen_events.setdefault(identity, where)
        if event.start > today:
            problems.append(
                Problem(
                    file,
                    lines.get(("events", i, "date"), where),
                    f"event dated {event.date} is in the future (the data is checked as of {today})",
                )
            )
        cited = set()
        for j, source in enumerate(event.sources):
            at = lines.get(("events", i, "sources", j), where)
            if (source.article, source.quote) in cited:
                problems.append(Problem(file, at, "the same source is cited twice"))
            cited.add((source.article, source.quote))
            if ds.article_index is None:
                continue  # articles.yaml did not load: its own problems say why
            article = ds.articles.get(source.article)
            if article is None:
                problems.append(
                    Problem(
                        file,
                        lines.get(("events", i, "sources", j, "article"), at),
                        f"unknown article '{source.article}'",
                    )
                )
                continue
            if article.seed in ds.seed_lines and source.quote not in ds.article_text(article.id):
                problems.append(
                    Problem(
                        file,
                        lines.get(("events", i, "sources", j, "quote"), at),
                        f"quote not found in article '{article.id}': "
                        f"'{source.quote[:70]}'{_hint(ds, article.id, source.quote)}",
                    )
                )
            if article.date is not None and event.start > article.end:
                problems.append(
                    Problem(
                        file,
                        lines.get(("events", i, "date"), where),
                        f"event dated {event.date} is after article '{article.id}' ({article.date}) that reports it",
                    )
                )
    problems += _check_same_day(record, file)
    return problems


def _check_event_ids(ds, record_files) -> list[Problem]:
    """Every event id starts with its record's key and is used once in the whole dataset."""
    problems = []
    first: dict[str, tuple[str, int]] = {}
    for key, (file, lines) in record_files.items():
        for i, event in enumerate(ds.records[key].events):
            where = lines.get(("events", i, "id"), event.line)
            if not event.id.startswith(f"{key}-"):
                problems.append(Problem(file, where, f"event id '{event.id}' must start with '{key}-'"))
            if event.id in first:
                other_file, other_line = first[event.id]
                problems.append(
                    Problem(file, where, f"event id '{event.id}' is used twice (first at {other_file}:{other_line})")
                )
            first.setdefault(event.id, (file, where))
    return problems


def _check_same_day(record, file) -> list[Problem]:
    """No two government stances of one scope take effect on one day: two 5G stances, or two
    outside 5G of the same scope class and scope (asof.outside_5g_key)."""
    problems = []
    by_day: dict = {}
    for event in record.events:
        if event.actor_level != "government" or event.stance is None:
            continue
        scope = "5g" if event.applies_to == "5g" else outside_5g_key(event)
        other = by_day.get((scope, event.effective))
        if other is not None and other.stance != event.stance:
            what = (
                "5G stances"
                if scope == "5g"
                else f"stances outside 5G ({event.applies_to}, scope '{event.scope or ''}')"
            )
            problems.append(
                Problem(
                    file,
                    event.line,
                    f"two government {what} take effect on {event.effective}: "
                    f"'{other.stance}' (line {other.line}) and '{event.stance}'",
                )
            )
        by_day.setdefault((scope, event.effective), event)
    return problems


def _hint(ds, article_id: str, quote: str) -> str:
    folded = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "}
    table = str.maketrans(folded)
    if quote.translate(table) in ds.article_text(article_id).translate(table):
        return " (it differs only in quote marks, apostrophes or no-break spaces: copy them exactly)"
    return ""


def _check_mentions(ds, file, lines) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for i, mention in enumerate(ds.mentions.mentions):
        where = lines.get(("mentions", i), 1)
        if mention.iso3 in ds.records:
            problems.append(
                Problem(file, where, f"{mention.iso3} has a record; a mention is only for countries without one")
            )
        if mention.iso3 in seen:
            problems.append(Problem(file, where, f"{mention.iso3} is mentioned twice (line {seen[mention.iso3]})"))
        seen.setdefault(mention.iso3, where)
        for j, article_id in enumerate(mention.articles):
            if ds.article_index is not None and article_id not in ds.articles:
                problems.append(
                    Problem(file, lines.get(("mentions", i, "articles", j), where), f"unknown article '{article_id}'")
                )
    return problems


def _check_alliances(ds, file, lines) -> list[Problem]:
    problems = []
    names = set()
    for i, alliance in enumerate(ds.alliances.alliances):
        if alliance.name in names:
            problems.append(
                Problem(file, lines.get(("alliances", i), 1), f"alliance '{alliance.name}' is listed twice")
            )
        names.add(alliance.name)
        spans: dict[str, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
        for j, member in enumerate(alliance.members):
            where = lines.get(("alliances", i, "members", j), 1)
            start = parse_period(member.joined)[0]
            end = parse_period(member.left)[1] if member.left else None
            if end is not None and end < start:
                problems.append(Problem(file, where, f"{member.iso3} leaves {alliance.name} before joining"))
            for other_start, other_end in spans[member.iso3]:
                if (end is None or other_start <= end) and (other_end is None or start <= other_end):
                    problems.append(Problem(file, where, f"{member.iso3} has overlapping {alliance.name} memberships"))
            spans[member.iso3].append((start, end))
    return problems
