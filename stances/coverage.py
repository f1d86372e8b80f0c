"""Which countries the seeds name, and whether each has a record or a mention entry."""

from __future__ import annotations

import re
from collections import defaultdict

import pycountry

from .schema import country_name


def country_terms(ds) -> dict[str, list[str]]:
    """Names to look for, per ISO3: pycountry's names plus the curated ones in country_names.yaml."""
    terms: dict[str, list[str]] = {}
    for country in pycountry.countries:
        found = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
        found |= set(ds.names.get(country.alpha_3, []))
        terms[country.alpha_3] = sorted(t for t in found if t)
    return terms


def name_pattern(ds) -> tuple[re.Pattern, dict[str, str]]:
    owner = {}
    for iso3, names in country_terms(ds).items():
        for name in names:
            owner[name] = iso3
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(t) for t in sorted(owner, key=len, reverse=True)) + r")(?!\w)"
    )
    return pattern, owner


def find_named(ds) -> dict[str, list[tuple[str, int, str]]]:
    """``{iso3: [(seed, line, term), ...]}`` for every country named in the seeds."""
    pattern, owner = name_pattern(ds)
    hits: dict[str, list] = defaultdict(list)
    for seed, lines in ds.seed_lines.items():
        for number, line in enumerate(lines, start=1):
            for match in pattern.finditer(line):
                hits[owner[match.group(1)]].append((seed, number, match.group(1)))
    return dict(hits)


def coverage_rows(ds) -> list[dict]:
    """One row per named country: ``status`` is record, mention or missing."""
    mentioned = {m.iso3 for m in ds.mentions.mentions}
    rows = []
    for iso3, hits in sorted(find_named(ds).items(), key=lambda kv: country_name(kv[0])):
        status = "record" if iso3 in ds.records else "mention" if iso3 in mentioned else "missing"
        terms = sorted({term for _, _, term in hits})
        seed, line, _ = hits[0]
        rows.append(
            {
                "iso3": iso3,
                "country": country_name(iso3),
                "status": status,
                "times": len(hits),
                "terms": ", ".join(terms),
                "first": f"{seed}:{line}",
            }
        )
    return rows


def mention_problems(ds) -> list[str]:
    """Mentions that cite an article which does not name the country."""
    pattern, owner = name_pattern(ds)
    problems = []
    for mention in ds.mentions.mentions:
        for article_id in mention.articles:
            named = {owner[m.group(1)] for m in pattern.finditer(ds.article_text(article_id))}
            if mention.iso3 not in named:
                problems.append(f"mention of {mention.iso3} cites '{article_id}', which does not name it")
    return problems
