"""Property-based tests: the as-of rule against a brute-force scan, and the loader under mutation."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stances import DataError, load_dataset, stance_as_of
from stances.schema import APPLIES_TO, LEVELS, STANCES

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

event_st = st.fixed_dictionaries(
    {
        "precision": st.sampled_from(["day", "month", "year"]),
        "day": st.dates(dt.date(2015, 1, 1), dt.date(2020, 12, 31)),
        "level": st.sampled_from(LEVELS),
        "stance": st.sampled_from([*STANCES, None]),
        "applies_to": st.sampled_from(APPLIES_TO),
        "report_after": st.integers(0, 500),
    }
)


def _period(event) -> tuple[dt.date, dt.date]:
    d = event["day"]
    if event["precision"] == "day":
        return d, d
    if event["precision"] == "month":
        return d.replace(day=1), d.replace(day=calendar.monthrange(d.year, d.month)[1])
    return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


def _date_text(event) -> str:
    return {"day": event["day"].isoformat(), "month": event["day"].strftime("%Y-%m"), "year": str(event["day"].year)}[
        event["precision"]
    ]


def _write_folder(root: Path, events: list[dict]) -> Path:
    """One country, one article per event, reported `report_after` days after the period starts."""
    (root / "seeds").mkdir()
    data = root / "data"
    (data / "countries").mkdir(parents=True)
    lines, articles, records = [], [], []
    for i, event in enumerate(events):
        first = len(lines) + 1
        lines += [f"Headline {i}", f"Quote number {i}.", ""]
        report = _period(event)[0] + dt.timedelta(days=event["report_after"])
        articles.append(
            {
                "id": f"a{i}",
                "seed": "s.txt",
                "headline": f"Headline {i}",
                "lines": [first, first + 1],
                "date_precision": "day",
                "date": report.isoformat(),
                "date_basis": "printed",
                "relevant": True,
            }
        )
        record = {
            "id": f"FRA-{i}",
            "date_precision": event["precision"],
            "date": _date_text(event),
            "actor_level": event["level"],
            "actor": f"Actor {i}",
            "status": "official",
            "summary": "s",
            "sources": [{"article": f"a{i}", "quote": f"Quote number {i}."}],
        }
        if event["stance"]:
            record["stance"] = event["stance"]
            record["applies_to"] = event["applies_to"]
        records.append(record)
    (root / "seeds" / "s.txt").write_text("\n".join(lines), encoding="utf-8")
    dump = lambda name, value: (data / name).write_text(yaml.safe_dump(value, sort_keys=False), encoding="utf-8")
    digest = hashlib.sha256((root / "seeds" / "s.txt").read_bytes()).hexdigest()
    seed = {"file": "s.txt", "sha256": digest, "origin": "Made up."}
    dump("articles.yaml", {"seeds_dir": "../seeds", "seeds": [seed], "articles": articles})
    dump("countries/FRA.yaml", {"iso3": "FRA", "events": records})
    dump("mentions.yaml", {"mentions": []})
    dump("country_names.yaml", {"names": {}})
    shutil.copy(ROOT / "data" / "alliances.yaml", data / "alliances.yaml")
    return data


def _brute_force(events: list[dict], day: dt.date):
    """Scan every government 5G event: the latest to take effect on or before `day` wins."""
    best = None
    for event in events:  # file order; a later event wins a tie
        if event["level"] != "government" or event["stance"] is None or event["applies_to"] != "5g":
            continue
        start, end = _period(event)
        effective = min(end, start + dt.timedelta(days=event["report_after"]))
        if effective <= day and (best is None or effective >= best[0]):
            best = (effective, event["stance"])
    return best[1] if best else None


@SETTINGS
@given(
    events=st.lists(event_st, min_size=1, max_size=8),
    days=st.lists(st.dates(dt.date(2014, 6, 1), dt.date(2022, 6, 1)), min_size=1, max_size=25),
)
def test_stance_as_of_equals_brute_force(events, days):
    events = sorted(events, key=lambda e: _period(e)[0])  # records keep date order
    with tempfile.TemporaryDirectory() as tmp:
        try:
            ds = load_dataset(_write_folder(Path(tmp), events))
        except DataError as exc:
            # The only rule random events may break: two stances of one scope taking effect on one day.
            assert all(p.message.startswith("two government ") for p in exc.problems), exc
            assume(False)
        for day in days:
            assert stance_as_of(ds, "FRA", day) == _brute_force(events, day)


MUTATION_CHARS = list(" :-'\"#\t\n![]{}&*|>x0")


@SETTINGS
@given(
    position=st.floats(0, 1, exclude_max=True),
    op=st.sampled_from(["delete", "insert", "replace"]),
    char=st.sampled_from(MUTATION_CHARS),
)
def test_a_mutated_record_loads_as_written_or_fails_cleanly(position, op, char):
    original = (ROOT / "data" / "countries" / "GBR.yaml").read_text(encoding="utf-8")
    at = int(position * len(original))
    mutated = {
        "delete": original[:at] + original[at + 1 :],
        "insert": original[:at] + char + original[at:],
        "replace": original[:at] + char + original[at + 1 :],
    }[op]
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "data", Path(tmp) / "data")
        shutil.copytree(ROOT / "seeds", Path(tmp) / "seeds")
        (Path(tmp) / "data" / "countries" / "GBR.yaml").write_text(mutated, encoding="utf-8")
        try:
            ds = load_dataset(Path(tmp) / "data")
        except DataError as exc:
            assert exc.problems and all(p.line >= 1 and p.message for p in exc.problems)
            return
    # Loaded: it must hold exactly what PyYAML's own safe constructor reads in the file (with
    # the same scanner as the loader: libyaml and pure-Python PyYAML differ on stray tabs).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert ds.records["GBR"].model_dump(exclude_unset=True) == yaml.load(mutated, Loader=loader)
