"""Write a synthetic data folder: N countries x M events, each with a real article and quote.

    python bench/make_data.py OUT_DIR --countries 250 --events 40

OUT_DIR gets `data/` and `seeds/` in the project's layout, so the CLI and the app run on it
unchanged: `python -m stances check --data OUT_DIR/data`, `STANCES_DATA_DIR=OUT_DIR/data`.

pycountry knows 249 countries, so `--countries 250` gives 249. Each article reports
`--per-article` consecutive events of one country (its quotes one per paragraph, the article
dated on the last of them). By default that is 1 up to 30,000 events and more above, so that
articles.yaml stays under the YAML reader's limit of 500,000 values per file
(stances/yamlio.py; an article is 14 values): 250 x 400 (99,600 events) gets 4 per article,
24,900 articles, a 6 MB articles.yaml.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import shutil
from pathlib import Path

import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
STANCES = ["review", "allow", "core-only exclusion", "ban", None]
LEVELS = ["government", "government", "agency", "operator"]
MAX_ARTICLES = 30_000
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: same text, faster


def default_per_article(countries: int, events: int) -> int:
    total = min(countries, len(pycountry.countries)) * events
    return max(1, math.ceil(total / MAX_ARTICLES))


def make(out: Path, countries: int, events: int, per_article: int | None = None) -> Path:
    """Write the folder and return its data directory."""
    per_article = per_article or default_per_article(countries, events)
    if events > 4400:
        raise ValueError("at most 4400 events per country (one government stance per day)")
    data, seeds = out / "data", out / "seeds"
    if out.exists():
        shutil.rmtree(out)
    (data / "countries").mkdir(parents=True)
    seeds.mkdir()
    shutil.copy(ROOT / "data" / "alliances.yaml", data / "alliances.yaml")
    (data / "country_names.yaml").write_text("names: {}\n", encoding="utf-8")
    (data / "mentions.yaml").write_text("mentions: []\n", encoding="utf-8")

    seed_lines: list[str] = []
    articles = []
    codes = [c.alpha_3 for c in pycountry.countries][:countries]
    start = dt.date(2010, 1, 1)
    for n, iso3 in enumerate(codes):
        record = {"iso3": iso3, "events": []}
        days = [start + dt.timedelta(days=(k * 4400 // max(events, 1)) + n % 7) for k in range(events)]
        for group in range(0, events, per_article):
            ks = range(group, min(group + per_article, events))
            article_day = days[ks[-1]]  # no event may be dated after an article reporting it
            article_id = f"a-{iso3.lower()}-{group}"
            headline = f"Report {group} on {iso3}"
            first = len(seed_lines) + 1
            seed_lines += [headline, "", article_day.isoformat(), ""]
            for k in ks:
                quote = f"Officials in {iso3} took step {k} on network vendors."
                seed_lines += [quote, ""]
                event = {
                    "id": f"{iso3}-{days[k].isoformat()}-{k}",
                    "date_precision": "day",
                    "date": days[k].isoformat(),
                    "actor_level": LEVELS[k % len(LEVELS)],
                    "actor": f"Actor {k % 5}",
                    "status": "official",
                    "summary": f"Synthetic event {k}.",
                    "sources": [{"article": article_id, "quote": quote}],
                }
                stance = STANCES[(n + k) % len(STANCES)]
                if stance:
                    event["stance"] = stance
                    event["applies_to"] = "5g"
                record["events"].append(event)
            articles.append(
                {
                    "id": article_id,
                    "seed": "synthetic.txt",
                    "headline": headline,
                    "dateline": article_day.isoformat(),
                    "dateline_line": first + 2,
                    "lines": [first, len(seed_lines) - 1],
                    "date_precision": "day",
                    "date": article_day.isoformat(),
                    "date_basis": "printed",
                    "relevant": True,
                }
            )
        _dump(data / "countries" / f"{iso3}.yaml", record)
    (seeds / "synthetic.txt").write_text("\n".join(seed_lines) + "\n", encoding="utf-8")
    _dump(data / "articles.yaml", {"seeds_dir": "../seeds", "seeds": [{"file": "synthetic.txt"}], "articles": articles})
    return data


def _dump(path: Path, value) -> None:
    path.write_text(yaml.dump(value, Dumper=_DUMPER, sort_keys=False, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--countries", type=int, default=250)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument(
        "--per-article",
        type=int,
        default=None,
        help="events reported by each article (default: 1, more above 30,000 events)",
    )
    args = parser.parse_args()
    print(make(args.out, args.countries, args.events, args.per_article))


if __name__ == "__main__":
    main()
