"""The map and timeline figures are built without plotly's checks (view.unchecked_figure):
each must be exactly what plotly makes of the same figure with its checks on."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle

import plotly.graph_objects as go
import plotly.io as pio
import pytest
import view_of

from stances import load_dataset, view

from browser_support import HOSTILE_ACTOR, make_data_dir

D = dt.date


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    return load_dataset(make_data_dir(tmp_path_factory.mktemp("figures")))


def checked(fig: go.Figure) -> dict:
    """``fig`` as JSON, after plotly checks and normalises every property of it (unknown
    properties and bad values raise)."""
    return json.loads(pio.to_json(go.Figure(fig.to_dict()), validate=True))


def plain(fig: go.Figure) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


@pytest.mark.parametrize("region", list(view.REGIONS))
@pytest.mark.parametrize("country", [None, "GBR", "SGP"])
def test_map_figure_is_what_plotly_checks_it_to_be(ds, region, country):
    shapes, markers = view.geometry_centres(), view.marker_positions()
    for day in (D(2018, 6, 1), D(2019, 6, 1)):
        fig = view_of.map_figure(ds, view.ViewState(day=day, country=country), shapes, markers, region)
        assert plain(fig) == checked(fig)
        geo = plain(fig)["layout"]["geo"]
        assert geo["projection"] == {"type": "natural earth", "scale": view.REGIONS[region]["scale"]}


@pytest.mark.parametrize("all_levels", [True, False])
def test_timeline_figure_is_what_plotly_checks_it_to_be(ds, all_levels):
    frame = view.timeframe(ds, today=D(2021, 1, 1))
    fig = view_of.timeline_figure(ds, set(ds.countries), frame, all_levels)
    assert plain(fig) == checked(fig)
    marks = [t for t in plain(fig)["data"] if t["type"] == "scatter"]
    assert bool(marks) == all_levels
    if all_levels:  # the hostile actor's text is in a hover, escaped
        assert any(view.plotly_esc(HOSTILE_ACTOR) in h for t in marks for h in t["hovertext"])


def test_a_misspelt_property_is_caught_by_the_check(ds):
    fig = view.unchecked_figure([dict(type="choropleth", locations=["GBR"], z=[1], colour="red")], layout=dict())
    with pytest.raises(ValueError, match="colour"):
        checked(fig)


def test_timeline_range_opens_on_the_years_before_the_last_change(ds):
    frame = view.timeframe(ds, today=D(2021, 1, 1))
    lo, hi = view.timeline_range(frame)
    assert frame.changes[-1] == D(2019, 4, 23)
    assert frame.last == D(2020, 12, 4)  # the evidence horizon: the latest article
    assert (lo, hi) == (max(frame.first, D(2016, 4, 22)), D(2021, 1, 18))  # 45 days past the horizon


def test_a_plain_figure_hands_out_its_own_dict_as_plotly_would_make_it(ds):
    fig = view_of.map_figure(ds, view.ViewState(day=D(2019, 6, 1)), view.geometry_centres(), view.marker_positions())
    assert isinstance(fig, view.PlainFigure) and isinstance(fig, go.Figure)
    first = fig.to_dict()
    assert fig.to_dict() is first and fig.to_plotly_json() is first  # no copy on the page's path
    plotly_made = go.Figure(first["data"], layout=first["layout"], _validate=False).to_dict()
    assert json.loads(pio.to_json(fig)) == json.loads(pio.to_json(plotly_made))
    assert first["layout"]["template"] == go.Figure().to_dict()["layout"]["template"]


def test_a_plain_figure_becomes_a_plotly_figure_when_used_as_one():
    fig = view.unchecked_figure([dict(type="scatter", x=[1, 2], y=[3, 4])], layout=dict(height=300))
    assert fig.layout.height == 300  # plotly's own attributes, made on first use
    fig.update_layout(height=500)
    assert fig.to_dict()["layout"]["height"] == 500 and fig.data[0].x == (1, 2)
    assert copy.deepcopy(fig).to_dict() == fig.to_dict() == pickle.loads(pickle.dumps(fig)).to_dict()


def test_a_plain_figure_of_a_checked_one_keeps_its_template():
    checked_fig = go.Figure(go.Bar(x=["a"], y=[1]), layout=dict(template="simple_white"))
    plain = view.PlainFigure.of(checked_fig)
    assert plain.to_dict() == checked_fig.to_dict()
    assert plain.to_dict()["layout"]["template"] != view.figure.default_template()
