import pytest

from stances import change_days, stance_as_of, stance_event
from stances.asof import government_timeline

from conftest import day


@pytest.mark.parametrize(
    "key, on, stance",
    [
        # AUS: day precision, 2018-08-23.
        ("AUS", "2018-08-22", None),
        ("AUS", "2018-08-23", "ban"),
        ("AUS", "2030-01-01", "ban"),
        # GBR: month '2018-12' first reported 2018-12-10, so effective then, not at month end.
        ("GBR", "2018-12-09", None),
        ("GBR", "2018-12-10", "review"),
        ("GBR", "2019-04-23", "review"),
        ("GBR", "2019-04-24", "core-only exclusion"),
        # BT's operator 'ban' on 2019-06-10 does not change the government stance.
        ("GBR", "2019-06-10", "core-only exclusion"),
        ("GBR", "2020-07-13", "core-only exclusion"),
        ("GBR", "2020-07-14", "ban"),
        # CAN: month '2018-11' reported only in 2019, so effective at the month end.
        ("CAN", "2018-11-29", None),
        ("CAN", "2018-11-30", "review"),
        # CAN: year '2022' reported in 2023, so effective on 31 December.
        ("CAN", "2022-12-30", "review"),
        ("CAN", "2022-12-31", "ban"),
        # DEU: year '2019' reported on 2019-10-15 (the earlier of its two sources).
        ("DEU", "2019-10-14", None),
        ("DEU", "2019-10-15", "allow"),
        ("DEU", "2019-12-31", "allow"),
    ],
)
def test_stance_as_of(ds, key, on, stance):
    assert stance_as_of(ds, key, day(on)) == stance


def test_effective_days(ds):
    assert {k: [(e.date, e.effective.isoformat()) for e in r.events] for k, r in ds.records.items()} == {
        "AUS": [("2018-08-23", "2018-08-23")],
        "CAN": [("2018-11", "2018-11-30"), ("2022", "2022-12-31")],
        "DEU": [("2019", "2019-10-15"), ("2019-10", "2019-10-15")],
        "GBR": [
            ("2018-12", "2018-12-10"),
            ("2019-04-24", "2019-04-24"),
            ("2019-06-10", "2019-06-10"),
            ("2020-07-14", "2020-07-14"),
        ],
        "european-commission": [("2020-01-29", "2020-01-29")],
    }


BT_ONLY = """\
  - id: GBR-e1
    date_precision: day
    date: '2019-06-10'
    stance: ban
    applies_to: 5g
    actor_level: operator
    actor: BT
    status: official
    summary: BT removes Huawei from its core.
    sources:
      - article: bt-core
        quote: remove Huawei equipment from the core
"""


def test_agency_and_operator_events_never_set_the_stance(folder):
    # DEU left with operator and agency events only, GBR with BT's 'ban' only: no stance.
    folder.replace("data/countries/DEU.yaml", "actor_level: government", "actor_level: operator")
    folder.write("data/countries/GBR.yaml", "iso3: GBR\nevents:\n" + BT_ONLY)
    ds = folder.load()
    assert [stance_as_of(ds, k, day("2030-01-01")) for k in ("DEU", "GBR")] == [None, None]
    assert government_timeline(ds.records["GBR"]) == ([], [])


def test_event_without_stance_is_skipped(folder):
    folder.replace("data/countries/GBR.yaml", "    stance: core-only exclusion\n    applies_to: 5g\n", "")
    ds = folder.load()
    assert stance_as_of(ds, "GBR", day("2019-05-01")) == "review"


NZL = """\
iso3: NZL
events:
  - id: NZL-e2
    date_precision: month
    date: '2019-04'
    stance: core-only exclusion
    applies_to: 5g
    actor_level: government
    actor: First actor
    status: reported
    summary: Month event reported on 2019-04-24.
    sources:
      - article: uk-core
        quote: keep Huawei out of the core
  - id: NZL-e3
    date_precision: day
    date: '2019-04-24'
    stance: core-only exclusion
    applies_to: 5g
    actor_level: government
    actor: Second actor
    status: official
    summary: Day event on 2019-04-24.
    sources:
      - article: uk-core
        quote: keep Huawei out of the core
"""


def test_tie_on_effective_day_goes_to_the_later_event_in_the_file(make_data):
    ds = make_data({"data/countries/NZL.yaml": NZL}).load()
    days, events = government_timeline(ds.records["NZL"])
    assert (days, [e.actor for e in events]) == ([day("2019-04-24")] * 2, ["First actor", "Second actor"])
    assert stance_event(ds, "NZL", day("2019-04-24")).actor == "Second actor"
    assert stance_event(ds, "NZL", day("2019-04-23")) is None


NZL_LATE_YEAR = """\
iso3: NZL
events:
  - id: NZL-e4
    date_precision: year
    date: '2019'
    stance: allow
    applies_to: 5g
    actor_level: government
    actor: Year actor
    status: reported
    summary: Year event first reported on 2019-11-20.
    sources:
      - article: de-followup
        quote: The rules take effect as planned
  - id: NZL-e5
    date_precision: day
    date: '2019-06-10'
    stance: review
    applies_to: 5g
    actor_level: government
    actor: Day actor
    status: official
    summary: Day event.
    sources:
      - article: bt-core
        quote: remove Huawei equipment from the core
"""


def test_timeline_orders_by_effective_day_not_by_date(make_data):
    ds = make_data({"data/countries/NZL.yaml": NZL_LATE_YEAR}).load()
    days, events = government_timeline(ds.records["NZL"])
    assert [(d.isoformat(), e.actor) for d, e in zip(days, events)] == [
        ("2019-06-10", "Day actor"),
        ("2019-11-20", "Year actor"),
    ]
    assert [stance_as_of(ds, "NZL", day(d)) for d in ("2019-06-09", "2019-06-10", "2019-11-19", "2019-11-20")] == [
        None,
        "review",
        "review",
        "allow",
    ]


def test_change_days(ds):
    # Countries' government stances only: not the agency, operator or organisation events.
    assert [d.isoformat() for d in change_days(ds)] == [
        "2018-08-23",
        "2018-11-30",
        "2018-12-10",
        "2019-04-24",
        "2019-10-15",
        "2020-07-14",
        "2022-12-31",
    ]


def test_change_days_are_unique(make_data):
    ds = make_data({"data/countries/NZL.yaml": NZL}).load()
    days = change_days(ds)
    assert days.count(day("2019-04-24")) == 1
    assert days == sorted(set(days))
