"""What changed between two dates (stances.changes), and `stances export changes`."""

from __future__ import annotations

import csv
import io

import pytest

from stances.changes import Change, changes_between, changes_frame, net_changes
from stances.cli import main
from stances.export import to_csv

from conftest import day


def summary(changes):
    return [(c.iso3, c.day.isoformat(), c.old, c.new) for c in changes]


def test_changes_in_order_with_old_and_new(ds):
    found = summary(changes_between(ds, day("2018-12-09"), day("2020-07-14")))
    gbr = [c for c in found if c[0] == "GBR"]
    assert gbr == [
        ("GBR", "2018-12-10", "no recorded position", "review"),
        ("GBR", "2019-04-24", "review", "core-only exclusion (unsure)"),
        ("GBR", "2020-07-14", "core-only exclusion (unsure)", "ban"),
    ]
    assert [c[1] for c in found] == sorted(c[1] for c in found)


def test_the_first_date_is_excluded_and_the_second_included(ds):
    gbr = lambda a, b: [c[1] for c in summary(changes_between(ds, day(a), day(b))) if c[0] == "GBR"]  # noqa: E731
    assert gbr("2018-12-10", "2019-04-24") == ["2019-04-24"]  # a change on the first date is before the span
    assert gbr("2018-12-10", "2019-04-23") == []
    assert gbr("2019-04-24", "2019-04-24") == []  # the same day twice: nothing changed


def test_alliance_membership_is_taken_on_the_day_of_each_change(ds):
    eu = [(c[0], c[1]) for c in summary(changes_between(ds, day("2018-01-01"), day("2020-12-31"), ["EU"]))]
    assert ("GBR", "2019-04-24") in eu
    assert ("GBR", "2020-07-14") not in eu  # the UK left the EU on 2020-01-31
    assert all(key in {"GBR", "DEU"} for key, _ in eu)


def test_a_second_date_before_the_first_is_refused(ds):
    with pytest.raises(ValueError, match="before the first"):
        changes_between(ds, day("2020-01-01"), day("2019-01-01"))


def test_net_changes_drop_a_change_undone_within_the_span():
    row = {"country": "X"}
    changes = [
        Change("GBR", day("2019-01-01"), "review", "ban", row),
        Change("GBR", day("2019-02-01"), "ban", "review", row),
        Change("DEU", day("2019-03-01"), "allow", "review", row),
    ]
    assert net_changes(changes) == {"DEU": ("allow", "review")}


def test_changes_csv_names_the_event_and_its_articles(ds):
    text = to_csv(changes_frame(changes_between(ds, day("2019-04-23"), day("2019-04-24"))))
    rows = list(csv.DictReader(io.StringIO(text)))
    gbr = next(r for r in rows if r["iso3"] == "GBR")
    assert gbr["day"] == "2019-04-24"
    assert gbr["old"] == "review" and gbr["new"] == "core-only exclusion (unsure)"
    assert gbr["event_id"] == "GBR-e2" and gbr["article_ids"] == "uk-core"
    assert list(rows[0]) == [
        "iso3",
        "country",
        "day",
        "old",
        "new",
        "event_id",
        "article_ids",
        "outside_5g_event_ids",
        "summary",
    ]


def test_export_changes_command(folder, capsys):
    args = ["export", "changes", "--data", str(folder.data), "--from", "2019-04-23", "--to", "2019-04-24"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("iso3,country,day,old,new,")
    assert "GBR,United Kingdom,2019-04-24,review,core-only exclusion (unsure),GBR-e2" in out
    assert main(["export", "changes", "--data", str(folder.data), "--from", "2019-04-23"]) == 2
    assert "needs --from YYYY-MM-DD and --to YYYY-MM-DD" in capsys.readouterr().err
    assert main([*args[:-4], "--from", "2020-01-01", "--to", "2019-01-01"]) == 2
    assert main([*args, "--alliance", "Warsaw Pact"]) == 2
    assert "unknown alliance 'Warsaw Pact'" in capsys.readouterr().err
