"""Write a synthetic data folder: N countries x M events, each with a real article and quote.

    python bench/make_data.py OUT_DIR --countries 250 --events 40

OUT_DIR gets `data/` and `seeds/` in the project's layout, so the CLI and the app run on it
unchanged: `python -m stances check --data OUT_DIR/data`, `STANCES_DATA_DIR=OUT_DIR/data`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
from pathlib import Path

import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
STANCES = ["review", "allow", "core-only exclusion", "ban", None]
LEVELS = ["government", "government", "agency", "operator"]


def make(out: Path, countries: int, events: int) -> Path:
    """Write the folder and return its data directory."""
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
        for k in range(events):
            day = start + dt.timedelta(days=(k * 4400 // max(events, 1)) + n % 7)
            article_id = f"a-{iso3.lower()}-{k}"
            headline = f"Report {k} on {iso3}"
            quote = f"Officials in {iso3} took step {k} on network vendors."
            first = len(seed_lines) + 1
            seed_lines += [headline, "", day.isoformat(), "", quote, ""]
            articles.append({"id": article_id, "seed": "synthetic.txt", "headline": headline,
                             "dateline": day.isoformat(), "dateline_line": first + 2,
                             "lines": [first, first + 4], "date_precision": "day",
                             "date": day.isoformat(), "date_basis": "printed", "relevant": True})
            event = {"date_precision": "day", "date": day.isoformat(),
                     "actor_level": LEVELS[k % len(LEVELS)], "actor": f"Actor {k % 5}",
                     "status": "official", "summary": f"Synthetic event {k}.",
                     "sources": [{"article": article_id, "quote": quote}]}
            stance = STANCES[(n + k) % len(STANCES)]
            if stance:
                event["stance"] = stance
            record["events"].append(event)
        _dump(data / "countries" / f"{iso3}.yaml", record)
    (seeds / "synthetic.txt").write_text("\n".join(seed_lines) + "\n", encoding="utf-8")
    _dump(data / "articles.yaml", {"seeds_dir": "../seeds", "seeds": [{"file": "synthetic.txt"}],
                                   "articles": articles})
    return data


def _dump(path: Path, value) -> None:
    path.write_text(yaml.safe_dump(value, sort_keys=False, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--countries", type=int, default=250)
    parser.add_argument("--events", type=int, default=40)
    args = parser.parse_args()
    print(make(args.out, args.countries, args.events))


if __name__ == "__main__":
    main()
