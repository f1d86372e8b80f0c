"""A date change reruns only the part of the page that depends on the day (a Streamlit
fragment), as the server does for a widget inside a fragment. AppTest alone always reruns
the whole page, so these tests ask for the fragment's rerun the way the server does: a
rerun request carrying the fragment's id. The page's output is then only what that rerun
sent."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from streamlit.testing.v1 import AppTest

from bench._streamlit_private import RerunData, fragment_ids, local_script_runner
from stances import load_dataset, snapshot_frame, view
from stances.view import session

from browser_support import make_data_dir, open_downloads, run_app

D = dt.date


@pytest.fixture
def data_dir(tmp_path):
    return make_data_dir(tmp_path)


@pytest.fixture
def ds(data_dir):
    return load_dataset(data_dir)


@pytest.fixture
def start(data_dir, monkeypatch):
    monkeypatch.setenv("STANCES_DATA_DIR", str(data_dir))
    return lambda **query: ok(run_app(**query))


@pytest.fixture
def dated(monkeypatch):
    """``dated(at, change)``: apply ``change(at)`` (a widget value) and rerun the page's
    fragment only."""
    queue: list[str] = []
    monkeypatch.setattr(
        local_script_runner, "RerunData", lambda **kwargs: RerunData(**kwargs, fragment_id_queue=list(queue))
    )

    def rerun(at: AppTest, change) -> AppTest:
        queue[:] = fragment_ids(at)
        assert len(queue) == 1, queue
        try:
            change(at).run()
        finally:
            queue.clear()
        return ok(at)

    return rerun


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> dict[str, dict]:
    return {e.proto.id.rsplit("-", 1)[-1]: json.loads(e.proto.spec) for e in at.get("plotly_chart")}


def map_stances(at: AppTest) -> dict[str, str]:
    by_code = {view.code_of(c, stale): c for c in view.CATEGORIES for stale in (False, True)}
    trace = charts(at)["map"]["data"][0]
    return {loc: by_code[z] for loc, z in zip(trace["locations"], trace["z"])}


def timeline_rows(at: AppTest) -> set[str]:
    return {y for t in charts(at)["timeline"]["data"] if t["type"] == "bar" for y in t.get("y", [])}


def test_a_date_change_redraws_the_map_but_not_the_timeline(start, dated):
    at = ok(open_downloads(start(date="2018-12-15")))
    assert set(charts(at)) == {"map", "timeline", "alliance_chart"}
    assert map_stances(at)["GBR"] == view.NO_POSITION
    dated(at, lambda at: at.slider(key="day").set_value(D(2019, 6, 1)))
    assert set(charts(at)) == {"map"}  # the timeline is left as it was drawn
    assert map_stances(at)["GBR"] == "core-only exclusion"
    assert at.markdown[0].value.startswith("**As of 2019-06-01**")
    assert at.query_params["date"] == "2019-06-01"
    # The open download popovers are redrawn with the day's row counts.
    names = {b.proto.id.rsplit("-", 1)[-1]: b.proto.label for b in at.get("download_button")}
    assert set(names) == {"download_snapshot", "download_events", "download_map_png", "download_map_svg"}
    rows = len(snapshot_frame(load_dataset(os.environ["STANCES_DATA_DIR"]), D(2019, 6, 1)))
    assert names["download_snapshot"] == f"Download this snapshot (CSV, {rows} rows)"


def test_the_step_buttons_and_the_picker_rerun_the_dated_part(start, dated):
    at = start(date="2018-12-15")
    for _ in range(2):  # Japan's restriction outside 5G (2018-12-16), then the UK's review
        dated(at, lambda at: next(b for b in at.button if "Next change" in b.label).click())
    assert at.slider(key="day").value == D(2018, 12, 28)
    assert map_stances(at)["GBR"] == "review"
    dated(at, lambda at: at.selectbox(key="country").set_value("GBR"))
    assert "United Kingdom" in "".join(e.proto.body for e in at.get("html"))
    assert at.query_params["country"] == "GBR"


def test_a_date_that_changes_the_countries_shown_redraws_the_whole_page(start, dated, ds):
    """With a stance filter the countries shown depend on the day; the timeline and the
    event log list those countries, so they are drawn again."""
    at = start(date="2019-01-01", stance="review")
    before, after = (
        {ds.records[k].name for k in snapshot_frame(ds, day, stances={"review"})["iso3"]}
        for day in (D(2019, 1, 1), D(2019, 1, 20))
    )
    assert before == {"United Kingdom"} and after == {"United Kingdom", "Germany"}
    assert timeline_rows(at) == before
    dated(at, lambda at: at.slider(key="day").set_value(D(2019, 1, 20)))
    assert set(charts(at)) == {"map", "timeline", "alliance_chart"}
    assert timeline_rows(at) == after
    assert set(at.dataframe[0].value["country"]) == after


def break_gbr(data_dir) -> None:
    gbr = data_dir / "countries" / "GBR.yaml"
    gbr.write_text(gbr.read_text(encoding="utf-8").replace("stance: review", "stance: banned", 1), encoding="utf-8")


def test_a_changed_data_file_is_picked_up_by_the_next_date_change(start, dated, data_dir, monkeypatch):
    monkeypatch.setattr(session, "DATA_RECHECK_SECONDS", 0)
    at = start(date="2018-12-15")
    break_gbr(data_dir)
    dated(at, lambda at: at.slider(key="day").set_value(D(2019, 6, 1)))
    assert at.error and "GBR.yaml" in at.error[0].value and "banned" in at.error[0].value
    assert not charts(at)


def test_date_changes_check_the_data_files_at_most_every_few_seconds(start, dated, data_dir, monkeypatch):
    monkeypatch.setattr(session, "DATA_RECHECK_SECONDS", 3600)
    at = start(date="2018-12-15")
    break_gbr(data_dir)
    dated(at, lambda at: at.slider(key="day").set_value(D(2019, 6, 1)))
    assert not at.error and map_stances(at)["GBR"] == "core-only exclusion"  # not checked yet
    at.run()  # any rerun of the whole page checks them
    assert at.error and "GBR.yaml" in at.error[0].value


def test_play_steps_by_rerunning_the_dated_part(start, dated, monkeypatch):
    monkeypatch.setattr(view, "PLAY_SECONDS", 0)
    at = start(date="2019-02-11")
    dated(at, lambda at: at.toggle(key="playing").set_value(True))
    assert at.slider(key="day").value == D(2019, 4, 23)  # the last change
    assert at.toggle(key="playing").value is False
    assert set(charts(at)) == {"map"}
