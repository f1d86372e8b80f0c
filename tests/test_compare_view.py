"""Comparing two dates on the page (`from` in the URL): the map outlines the countries
whose look changed, the changes are listed with links to their evidence, and downloaded."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app import app, data_dir, downloads, ds, ok, qp  # noqa: F401  (fixtures of the dashboard tests)

from stances import to_csv, view
from stances.changes import changes_between, changes_frame

D = dt.date


def map_figure(at: AppTest) -> dict:
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith("-map"):
            return json.loads(element.proto.spec)
    raise AssertionError("no map")


def outlined(at: AppTest) -> set[str]:
    return {loc for trace in map_figure(at)["data"] if trace.get("name") == "changed" for loc in trace["locations"]}


def test_a_from_date_outlines_the_countries_that_changed(app):
    at = ok(app(**{"from": "2018-12-01", "date": "2019-06-30"}))
    assert outlined(at) == {"GBR", "DEU", "JPN", "TWN"}
    small = next(t for t in map_figure(at)["data"] if t.get("name") == "small countries")
    ring = dict(zip(small["customdata"], small["marker"]["line"]["color"]))
    assert ring["SGP"] == view.CHANGED_OUTLINE  # Singapore, a marker, changed on 2019-02-11
    summary = next(m.value for m in at.markdown if m.value.startswith("**Comparing"))
    assert summary.startswith("**Comparing 2018-12-01 with 2019-06-30**")
    assert qp(at) == {"from": "2018-12-01", "date": "2019-06-30"}
    assert at.date_input(key="start").value == D(2018, 12, 1)
    legend = [t["name"] for t in map_figure(at)["data"] if t.get("showlegend")]
    assert "outlined blue: changed between the two dates" in legend


def test_hover_of_a_changed_country_says_old_and_new(app):
    at = ok(app(**{"from": "2018-12-01", "date": "2019-06-30"}))
    countries = map_figure(at)["data"][0]
    hover = dict(zip(countries["locations"], countries["text"]))
    assert "Changed since 2018-12-01: no recorded position → core-only exclusion (unsure)" in hover["GBR"]
    assert "Changed since" not in hover.get("AUS", "")


def test_the_changes_are_listed_in_order_with_links_to_their_events(app, ds):
    at = ok(app(**{"from": "2018-12-01", "date": "2019-06-30"}))
    listing = next(m.value for m in at.markdown if m.value.startswith("- **"))
    lines = listing.splitlines()
    expected = changes_between(ds, D(2018, 12, 1), D(2019, 6, 30))
    shown = set(view.snapshot(ds, view.ViewState(day=D(2019, 6, 30)))["iso3"])
    assert len(lines) == len([c for c in expected if c.iso3 in shown])
    days = [line.split("**")[1] for line in lines]
    assert days == sorted(days)
    gbr = [line for line in lines if "United Kingdom" in line]
    assert gbr[-1].startswith("- **2019-04-23** United Kingdom: review → **core\\-only exclusion \\(unsure\\)**")
    assert "(?from=2018-12-01&date=2019-06-30&country=GBR&event=GBR-2019-04-23-4)" in gbr[-1]


def test_a_change_link_opens_the_comparison_at_its_event(app):
    at = ok(app(**{"from": "2018-12-01", "date": "2019-06-30", "country": "GBR", "event": "GBR-2019-04-23-4"}))
    assert at.selectbox(key="country").value == "GBR"
    assert outlined(at) == {"DEU", "JPN", "TWN"}  # the chosen country has its own outline
    assert "GBR-2019-04-23-4" in "\n".join(e.proto.body for e in at.get("html"))


def test_the_changes_download_equals_the_export(app, ds, downloads):  # noqa: F811
    at = ok(app(**{"from": "2018-12-01", "date": "2019-06-30", "alliance": "EU"}))
    files = downloads(at)
    text, name = files["download_changes"]
    assert name == "huawei-5g-changes_2018-12-01_2019-06-30_eu.csv"
    keys = set(view.snapshot(ds, view.ViewState(day=D(2019, 6, 30), alliances=("EU",)))["iso3"])
    expected = [c for c in changes_between(ds, D(2018, 12, 1), D(2019, 6, 30), ["EU"]) if c.iso3 in keys]
    assert text == to_csv(changes_frame(expected))
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert set(frame["iso3"]) == {"GBR", "DEU"}
    assert list(frame.columns[:5]) == ["iso3", "country", "day", "old", "new"]


def test_choosing_and_clearing_a_comparison_date(app):
    at = ok(app(date="2019-06-30"))
    keys = lambda: {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}  # noqa: E731
    assert not outlined(at) and "download_changes" not in keys()
    at.date_input(key="start").set_value(D(2019, 1, 1)).run()
    assert qp(ok(at))["from"] == "2019-01-01"
    assert outlined(at) == {"GBR", "DEU"} and "download_changes" in keys()
    at.button[-1].click().run()  # "Stop comparing"
    assert "from" not in qp(ok(at))
    assert not outlined(at)


def test_a_slider_date_before_the_comparison_date_pauses_it(app):
    at = ok(app(**{"from": "2019-01-01", "date": "2019-06-30"}))
    at.slider(key="day").set_value(D(2018, 12, 20)).run()
    ok(at)
    assert not outlined(at)
    assert "from" not in qp(at)
    assert any("needs a later date" in c.value for c in at.caption)


@pytest.mark.parametrize("value", ["2019-13-01", "2019-06-30", "2020-01-01", "1990-01-01"])
def test_a_from_date_that_cannot_be_compared_is_a_notice(app, value):
    at = ok(app(**{"from": value, "date": "2019-06-30"}))
    assert len(at.warning) == 1 and "`from`" in at.warning[0].value
    assert not outlined(at)
    assert at.date_input(key="start").value is None
