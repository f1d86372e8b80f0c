"""What the dashboard keeps between reruns gives what it would compute afresh: the snapshot of
an as-of period, the timeline built from its cached data, and the memo that holds them."""

from __future__ import annotations

import datetime as dt
import json

import plotly.io as pio
import view_of

from stances import load_dataset, view
from stances.snapshot import category_of

from browser_support import make_data_dir


def test_the_snapshot_is_that_of_its_as_of_basis(tmp_path):
    ds = load_dataset(make_data_dir(tmp_path))
    frame = view.timeframe(ds, today=dt.date(2021, 1, 1))
    day = frame.first
    while day <= frame.last:
        for alliances in ((), ("Five Eyes",)):
            state = view.ViewState(day=day, alliances=alliances)
            basis = view.as_of_basis(frame, state)
            assert basis <= day
            assert view.snapshot(ds, state).equals(view.snapshot(ds, view.ViewState(basis, alliances)))
        day += dt.timedelta(days=5)


def test_steps_between_changes():
    changes = (dt.date(2019, 1, 1), dt.date(2019, 3, 1), dt.date(2019, 5, 1))
    assert view.previous_change(changes, dt.date(2019, 3, 1)) == dt.date(2019, 1, 1)
    assert view.previous_change(changes, dt.date(2019, 3, 2)) == dt.date(2019, 3, 1)
    assert view.previous_change(changes, dt.date(2019, 1, 1)) is None
    assert view.next_change(changes, dt.date(2019, 3, 1)) == dt.date(2019, 5, 1)
    assert view.next_change(changes, dt.date(2018, 1, 1)) == dt.date(2019, 1, 1)
    assert view.next_change(changes, dt.date(2019, 5, 1)) is None
    assert view.next_change((), dt.date(2019, 5, 1)) is None


def test_timeline_from_cached_data_is_the_same_figure(tmp_path):
    ds = load_dataset(make_data_dir(tmp_path))
    frame = view.timeframe(ds, today=dt.date(2021, 1, 1))
    keys = set(ds.countries)
    for all_levels in (True, False):
        data = view.timeline_data(ds, keys, frame.last, all_levels)
        fresh = view_of.timeline_figure(ds, keys, frame, all_levels)
        cached = view_of.timeline_figure(ds, keys, frame, all_levels, data=data)
        assert json.loads(pio.to_json(fresh)) == json.loads(pio.to_json(cached))


def test_memo_keeps_the_latest_tables_of_each_kind():
    memo = view.Tables(a=2, b=1)
    made = []

    def make(value):
        made.append(value)
        return value

    assert memo.get("a", 1, lambda: make("a1")) == "a1"
    assert memo.get("a", 2, lambda: make("a2")) == "a2"
    assert memo.get("a", 1, lambda: make("again")) == "a1"  # kept, and now the latest
    memo.get("a", 3, lambda: make("a3"))  # evicts key 2, the least recently used
    assert memo.get("a", 2, lambda: make("a2 again")) == "a2 again"
    assert memo.get("b", 1, lambda: make("b1")) == "b1"  # kinds are separate
    assert made == ["a1", "a2", "a3", "a2 again", "b1"]


def test_data_fingerprint_changes_with_every_data_file(tmp_path):
    data = make_data_dir(tmp_path)
    before = view.data_fingerprint(data)
    assert len(before) == len(list(data.rglob("*.yaml")))
    assert view.data_fingerprint(data) == before
    (data / "README.txt").write_text("not data\n")
    assert view.data_fingerprint(data) == before  # only YAML files count
    gbr = data / "countries" / "GBR.yaml"
    gbr.write_text(gbr.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # a longer file
    edited = view.data_fingerprint(data)
    assert edited != before
    (data / "countries" / "NEW.yml").write_text("x: 1\n")  # a new file, in a subfolder
    assert view.data_fingerprint(data) != edited
    assert view.data_fingerprint(tmp_path / "nowhere") == ()


def test_snapshot_index_gives_the_snapshot_of_every_day_and_filter(tmp_path):
    ds = load_dataset(make_data_dir(tmp_path))
    frame = view.timeframe(ds, today=dt.date(2021, 1, 1))
    index = view.SnapshotTables(ds)
    one_day = dt.timedelta(days=1)
    days = sorted(
        {
            frame.first - one_day,
            frame.first,
            dt.date(2020, 1, 31),
            dt.date(2020, 2, 1),
            *(c + d for c in frame.breaks for d in (-one_day, 0 * one_day, one_day)),
        }
    )
    filters = [
        ((), ()),
        (("Five Eyes",), ()),
        (("EU", "NATO"), ()),
        ((), ("review",)),
        ((), ("ban", view.NO_POSITION)),
        ((), (view.OUTSIDE_ONLY,)),
        (("EU",), ("allow", "review")),
    ]
    for day in days:
        for alliances, stances in filters:
            state = view.ViewState(day=day, alliances=alliances, stances=stances)
            got = index.shown(ds, state)
            expected = view.snapshot(ds, state)
            for table in (got.table.to_pandas(), got.frame()):
                assert list(table.columns) == list(expected.columns)
                assert table.equals(expected) or table.empty and expected.empty, (day, alliances, stances)
            assert got.keys == set(expected["iso3"])
            labels = [category_of(r) for r in expected.to_dict("records")]
            assert got.tally == {c: labels.count(c) for c in view.CATEGORIES}
            assert [{k: v for k, v in r.items() if not k.startswith("_")} for r in got.rows] == expected.rename(
                columns={"article_ids": "articles", "outside_5g_article_ids": "outside_5g_articles"}
            ).to_dict("records")
