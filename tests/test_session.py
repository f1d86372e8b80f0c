"""A reader's page without Streamlit: view.Page over a plain dict."""

from __future__ import annotations

import datetime as dt

import pytest

from stances import load_dataset, view
from stances.view import base

from browser_support import make_data_dir

D = dt.date


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(make_data_dir(tmp_path_factory.mktemp("session")))


def page_of(ds, state=None) -> view.Page:
    return view.Page({} if state is None else state, ds, view.timeframe(ds), view.Tables())


def test_a_new_page_opens_the_view_its_url_asks_for(ds):
    page = page_of(ds)
    page.open({"date": "2019-01-15", "alliance": "EU", "country": "DEU", "stance": "outside"})
    assert page.view() == view.ViewState(
        day=D(2019, 1, 15), alliances=("EU",), stances=(view.OUTSIDE_ONLY,), country="DEU"
    )
    assert page.notices() == [] and page.notices() == []  # taken once


def test_values_the_data_no_longer_allows_are_dropped(ds):
    state = dict(
        day=D(2031, 1, 1),
        alliances=["EU", "Gone"],
        stances=[],
        all_levels=True,
        country="XXX",
        playing=False,
        region="World",
        pending={"all_levels": False},
    )
    page = page_of(ds, state)
    page.open({})
    assert (state["day"], state["alliances"], state["country"], state["all_levels"]) == (
        D(2020, 12, 4),
        ["EU"],
        None,
        False,
    )
    assert "pending" not in state


def test_steps_play_and_clicks(ds, monkeypatch):
    page = page_of(ds)
    page.open({"date": "2018-12-15"})
    page.step(1)
    assert page.s["day"] == D(2018, 12, 16)
    page.step(-1)
    assert page.s["day"] == D(2018, 11, 30)
    page.s.update(day=D(2020, 1, 1), playing=True)
    page.start_playing()  # past the last change: play from the first
    assert page.s["day"] == page.span.changes[0]
    monkeypatch.setattr(base, "PLAY_SECONDS", 0)
    monkeypatch.setattr(view.session, "PLAY_SECONDS", 0)
    page.play_on(page.view())
    assert page.s["pending"] == {"day": page.span.changes[1]}
    page.s.update(country="GBR", event="GBR-2019-04-23-4")
    page.pick([{"location": "NOPE"}, {"customdata": "SGP"}])
    assert (page.s["country"], page.s["event"]) == ("SGP", None)  # the linked event is left behind


def test_the_snapshot_is_made_once_per_as_of_period(ds):
    page = page_of(ds)
    page.open({})
    one = page.snapshot(view.ViewState(day=D(2019, 5, 1)))
    again = page.snapshot(view.ViewState(day=D(2019, 5, 20)))  # no break in between
    assert again[0] is one[0] and again[1] == one[1]
