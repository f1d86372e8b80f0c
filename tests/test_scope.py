"""What a stance covers (applies_to), where the evidence ends, and the last evidence."""

from __future__ import annotations

import pytest

from stances import DataError, view
from stances.asof import change_days, evidence_horizon, last_evidence, outside_5g_in_force, stance_as_of, stance_event
from stances.export import snapshot_rows

from conftest import day

# Japan: a procurement ban (outside 5G) of December 2018, first reported 2018-12-10; the same
# scope narrowed to a review in 2019-06; a 5G review reported 2019-04-24; a 'curb' of
# unstated extent in 2019-10.
JPN = """\
iso3: JPN
events:
  - id: JPN-e1
    date_precision: month
    date: '2018-12'
    stance: ban
    applies_to: other
    actor_level: government
    actor: Cybersecurity agency
    scope: Government procurement
    status: official
    summary: Risky vendors barred from government purchases.
    sources:
      - article: uk-review
        quote: Chinese suppliers are in scope
  - id: JPN-e2
    date_precision: day
    date: '2019-04-24'
    stance: review
    applies_to: 5g
    actor_level: government
    actor: Cabinet
    scope: 5G network
    status: official
    summary: 5G suppliers under review.
    sources:
      - article: uk-core
        quote: keep Huawei out of the core
  - id: JPN-e3
    date_precision: day
    date: '2019-06-10'
    stance: review
    applies_to: other
    actor_level: government
    actor: Cabinet
    scope: Government procurement
    status: official
    summary: The procurement rule put under review.
    sources:
      - article: bt-core
        quote: remove Huawei equipment from the core
  - id: JPN-e4
    date_precision: month
    date: '2019-10'
    stance: ban
    applies_to: unspecified
    actor_level: government
    actor: Cabinet
    scope: Curbs on Huawei
    status: reported
    summary: Curbs of unstated extent.
    sources:
      - article: de-rules
        quote: names no vendor
"""


@pytest.fixture
def jp(make_data):
    return make_data({"data/countries/JPN.yaml": JPN}).load()


@pytest.mark.parametrize(
    "on, stance",
    [
        ("2018-12-09", None),
        ("2018-12-10", None),  # the procurement ban takes effect: no 5G stance
        ("2019-04-23", None),
        ("2019-04-24", "review"),
        ("2019-10-15", "review"),
        ("2030-01-01", "review"),
    ],
)
def test_a_stance_outside_5g_never_sets_the_5g_stance(jp, on, stance):
    assert stance_as_of(jp, "JPN", day(on)) == stance
    event = stance_event(jp, "JPN", day(on))
    assert event is None or event.applies_to == "5g"


@pytest.mark.parametrize(
    "on, outside",
    [
        ("2018-12-09", []),
        ("2018-12-10", [("ban", "Government procurement")]),  # effective on its first report
        ("2019-06-09", [("ban", "Government procurement")]),
        ("2019-06-10", [("review", "Government procurement")]),  # same scope: replaced
        ("2019-10-14", [("review", "Government procurement")]),
        ("2019-10-15", [("review", "Government procurement"), ("ban", "Curbs on Huawei")]),
    ],
)
def test_restrictions_outside_5g_in_force(jp, on, outside):
    assert [(e.stance, e.scope) for e in outside_5g_in_force(jp.records["JPN"], day(on))] == outside


def test_snapshot_row_separates_the_5g_stance_from_the_rest(jp):
    [before] = [r for r in snapshot_rows(jp, day("2019-01-01")) if r["iso3"] == "JPN"]
    assert (before["stance"], before["applies_to"], before["outside_5g"], before["outside_5g_articles"]) == (
        "",
        "",
        "ban: Government procurement (since 2018-12)",
        "uk-review",
    )
    [after] = [r for r in snapshot_rows(jp, day("2019-10-15")) if r["iso3"] == "JPN"]
    assert (after["stance"], after["applies_to"], after["articles"]) == ("review", "5g", "uk-core")
    assert after["outside_5g"] == (
        "review: Government procurement (since 2019-06-10); ban: Curbs on Huawei (since 2019-10)"
    )


@pytest.mark.parametrize(
    "stances, kept",
    [
        ({"ban"}, False),
        ({"restricted outside 5G only"}, True),
        ({"no recorded position"}, False),
    ],
)
def test_the_stance_filter_tells_outside_5g_from_a_ban(jp, stances, kept):
    keys = [r["iso3"] for r in snapshot_rows(jp, day("2019-01-01"), stances=stances)]
    assert ("JPN" in keys) == kept


@pytest.mark.parametrize(
    "key, on, expected",
    [
        ("GBR", "2018-12-09", None),
        ("GBR", "2018-12-10", "2018-12-10"),  # uk-review, cited by the review
        ("GBR", "2019-04-23", "2018-12-10"),
        ("GBR", "2019-04-24", "2019-04-24"),  # uk-core
        ("GBR", "2019-06-10", "2019-04-24"),  # bt-core is cited by an operator event only
        ("GBR", "2020-07-14", "2020-07-14"),
        ("AUS", "2018-08-30", None),
        ("AUS", "2018-08-31", "2018-08"),  # a month-dated article counts from its last day
        ("DEU", "2019-10-14", None),  # the agency's event does not report the government's position
        ("DEU", "2019-10-15", "2019-10-15"),
        ("DEU", "2019-11-20", "2019-11-20"),
        ("european-commission", "2021-01-01", "2020-01-29"),
    ],
)
def test_last_evidence(ds, key, on, expected):
    assert last_evidence(ds, key, day(on)) == expected


def test_last_evidence_counts_reports_outside_5g(jp):
    assert last_evidence(jp, "JPN", day("2018-12-10")) == "2018-12-10"
    assert last_evidence(jp, "JPN", day("2019-10-15")) == "2019-10-15"


def test_evidence_horizon_is_the_latest_relevant_article(folder):
    assert evidence_horizon(folder.load()) == day("2023-02-01")  # ca-ban
    folder.replace(
        "data/articles.yaml",
        "date_note: Fake; the digest's send date.\n    relevant: true",
        "date_note: Fake; the digest's send date.\n    relevant: false",
    )
    assert evidence_horizon(folder.load()) == day("2020-07-14")  # an irrelevant article does not count


def test_evidence_horizon_takes_a_month_article_at_its_first_day(folder):
    folder.replace(
        "data/articles.yaml",
        "date_precision: day\n    date: '2023-02-01'",
        "date_precision: month\n    date: '2023-02'",
    )
    assert evidence_horizon(folder.load()) == day("2023-02-01")


def test_no_last_evidence_before_the_first_report(ds, jp):
    # Australia's ban is dated 2018-08-23; its only article is dated 2018-08 (to 31 August).
    [aus] = [r for r in snapshot_rows(ds, day("2018-08-23")) if r["iso3"] == "AUS"]
    assert (aus["stance"], aus["last_evidence"]) == ("ban", "")
    [aus] = [r for r in snapshot_rows(ds, day("2018-08-31")) if r["iso3"] == "AUS"]
    assert aus["last_evidence"] == "2018-08"
    [jpn] = [r for r in snapshot_rows(jp, day("2018-12-09")) if r["iso3"] == "JPN"]
    assert (jpn["outside_5g"], jpn["last_evidence"]) == ("", "")


def test_two_restrictions_of_one_scope_on_one_day_are_an_error(make_data):
    # The procurement ban and, the same day, a review of the same scope: which holds?
    first = JPN.split("  - id: JPN-e2\n")[0]
    second = first.split("events:\n", 1)[1].replace("stance: ban", "stance: review").replace("JPN-e1", "JPN-e1b")
    folder = make_data({"data/countries/JPN.yaml": first + second})
    with pytest.raises(DataError) as caught:
        folder.load()
    assert [str(p) for p in caught.value.problems] == [
        "data/countries/JPN.yaml:16: two government stances outside 5G (other, scope 'Government "
        "procurement') take effect on 2018-12-10: 'ban' (line 3) and 'review'"
    ]
    # A different scope on the same day is no conflict.
    folder.write("data/countries/JPN.yaml", first + second.replace("scope: Government procurement", "scope: Devices"))
    assert len(outside_5g_in_force(folder.load().records["JPN"], day("2018-12-10"))) == 2


def test_a_change_after_the_horizon_is_out_of_reach(make_data):
    # An event dated 2023-02-10 whose only report is dated to the month: it takes effect
    # after the horizon (the article's first possible day), so the slider cannot reach it.
    late = (
        JPN
        + """\
  - id: JPN-e5
    date_precision: day
    date: '2023-02-10'
    stance: ban
    applies_to: 5g
    actor_level: government
    actor: Cabinet
    status: official
    summary: A late ban.
    sources:
      - article: ca-ban
        quote: decided during the year to bar Huawei
"""
    )
    folder = make_data({"data/countries/JPN.yaml": late})
    folder.replace(
        "data/articles.yaml",
        "date_precision: day\n    date: '2023-02-01'",
        "date_precision: month\n    date: '2023-02'",
    )
    ds = folder.load()
    frame = view.timeframe(ds, today=day("2024-01-01"))
    assert frame.last == frame.horizon == day("2023-02-01")
    assert day("2023-02-10") in change_days(ds)
    assert max(frame.changes) <= frame.last and max(frame.breaks) <= frame.last
    assert view.next_change(frame.changes, frame.last) is None
