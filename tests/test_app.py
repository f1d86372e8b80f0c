"""The dashboard without a browser: app.py through Streamlit's AppTest, stances.view directly.

Most tests use a small self-contained data folder (tests/browser_support.py) so they do not
move while data/ is being curated; a few check the project's own data.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import pandas as pd
import pycountry
import pytest
import streamlit as st
import view_of
from streamlit.testing.v1 import AppTest

import stances
from bench._streamlit_private import MediaFileManager
from stances import DataError, events_frame, load_dataset, members_as_of, snapshot_frame, stance_as_of, to_csv, view

from browser_support import (
    FORMULA_SCOPE,
    HOSTILE_ACTOR,
    HOSTILE_ORG_ID,
    HOSTILE_ORG_NAME,
    HOSTILE_QUOTE,
    HOSTILE_SUMMARY,
    REAL_DATA,
    ROOT,
    break_data_dir,
    break_data_dir_hostile,
    make_data_dir,
    open_downloads,
    run_app,
)

D = dt.date


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return make_data_dir(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def ds(data_dir):
    return load_dataset(data_dir)


@pytest.fixture
def app(data_dir, monkeypatch):
    """A fresh session of the app on the test data; call it with query parameters."""
    monkeypatch.setenv("STANCES_DATA_DIR", str(data_dir))
    return run_app


@pytest.fixture(scope="module")
def real_ds():
    return load_dataset(REAL_DATA)  # the shipped data validates (tests/test_data.py)


@pytest.fixture
def downloads(monkeypatch):
    """What each download button on the page hands over when clicked: a function of the
    page (its download popovers opened), by button key ('download_snapshot',
    'download_events'), giving (text, file name). The buttons' data is made on click (a
    deferred callable), so this calls what Streamlit would call."""
    registered: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        registered[file_id] = (data_callable, file_name, mimetype)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)

    def files(at: AppTest) -> dict[str, tuple[str, str]]:
        found = {}
        for button in open_downloads(at).get("download_button"):
            make, name, mimetype = registered[button.proto.deferred_file_id]
            if mimetype != "text/csv":
                continue  # the map's PNG and SVG: tests/test_map_image.py
            data = make()
            found[button.proto.id.rsplit("-", 1)[-1]] = (
                data.decode("utf-8") if isinstance(data, bytes) else data,
                name,
            )
        return found

    return files


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> dict[str, dict]:
    """The plotly figures on the page by widget key ('map', 'timeline')."""
    found = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1]
        found[key] = {"figure": json.loads(element.proto.spec), "config": json.loads(element.proto.config or "{}")}
    return found


def map_colours(at: AppTest) -> dict[str, str]:
    """Category of every country on the map (shapes and small-country markers)."""
    fig = charts(at)["map"]["figure"]
    by_code = {view.code_of(c, stale): c for c in view.CATEGORIES for stale in (False, True)}
    choropleth = fig["data"][0]
    found = {loc: by_code[z] for loc, z in zip(choropleth["locations"], choropleth["z"])}
    markers = fig["data"][1]
    by_colour = {v: k for k, v in view.COLOURS.items()} | {view.fade(v): k for k, v in view.COLOURS.items()}
    for key, colour in zip(markers.get("customdata", []), markers["marker"].get("color", [])):
        found[key] = by_colour[colour]
    return found


def qp(at: AppTest) -> dict[str, str]:
    """The page's URL parameters after the run."""
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def html_text(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


# --- the page -------------------------------------------------------------------------


def test_real_data_page_loads_without_exception(monkeypatch):
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app())
    assert set(charts(at)) == {"map", "timeline", "alliance_chart"} and not at.error


# --- where the evidence ends, what a stance covers, how sure it is ---------------------


def slider_max(at: AppTest) -> dt.date:
    return dt.datetime.fromtimestamp(at.slider(key="day").max / 1e6, dt.UTC).date()


def test_the_slider_ends_at_the_evidence_horizon(app, ds):
    at = ok(app())
    assert view.timeframe(ds).last == slider_max(at) == D(2020, 12, 4)  # meng-deal-talks
    assert "Evidence up to **2020-12-04**" in at.markdown[0].value


@pytest.mark.parametrize("date", ["2020-12-05", "2026-11-27"])
def test_a_date_past_the_horizon_opens_on_it_with_a_notice(app, date):
    at = ok(app(date=date))
    assert at.slider(key="day").value == D(2020, 12, 4)
    assert qp(at)["date"] == "2020-12-04"
    [warning] = at.warning
    assert warning.value.startswith("Moved the link's `date` parameter")
    assert "the evidence ends on 2020\\-12\\-04" in warning.value
    assert "showing 2020\\-12\\-04, not what held later" in warning.value


def test_the_page_shows_scope_certainty_and_age(app):
    at = ok(app(date="2020-06-01", country="JPN"))
    assert map_colours(at)["JPN"] == view.OUTSIDE_ONLY
    table = at.dataframe[0].value.set_index("iso3")
    assert table.loc["JPN", ["stance", "last_evidence", "outside_5g"]].tolist() == [
        "",
        "2018-12-16",
        "ban: Government procurement (since 2018-12)",
    ]
    assert table.loc["GBR", ["stance", "status", "last_evidence"]].tolist() == [
        "core-only exclusion",
        "reported",
        "2019-04-23",
    ]
    text = html_text(at)
    assert "5G stance as of 2020-06-01:" in text and ">no recorded position<" in text
    assert ">restricted outside 5G</span> ban: Government procurement (since 2018-12)" in text
    assert "Last evidence: 2018-12-16 — over 365 days before this date: the map fades it" in text
    assert ">ban, outside 5G</span>" in text
    at.selectbox(key="country").set_value("GBR").run()
    text = html_text(ok(at))
    assert "? reported, not confirmed" in text
    assert "Last evidence: 2019-04-23 — over 365 days" in text
    at.slider(key="day").set_value(D(2019, 6, 1)).run()
    assert "Last evidence: 2019-04-23</div>" in html_text(ok(at))  # not yet a year old


def test_the_map_draws_a_mark_on_every_unsure_stance(app):
    fig = charts(ok(app(date="2019-06-01")))["map"]["figure"]
    [marks] = [t for t in fig["data"] if t.get("name") == "reported or low confidence" and not t.get("showlegend")]
    # Reported: the UK's NSC decision, Australia's and Germany's stances in the test data.
    assert sorted(marks["customdata"]) == ["AUS", "DEU", "GBR"]
    assert set(marks["text"]) == {"?"}


def test_test_data_page_loads(app, ds):
    at = ok(app())
    frame = view.timeframe(ds)
    assert at.slider(key="day").value == frame.default == D(2019, 4, 23)
    figures = charts(at)
    assert set(figures) == {"map", "timeline", "alliance_chart"}
    assert figures["map"]["config"]["topojsonURL"] == "app/static/"
    assert qp(at)["date"] == "2019-04-23"
    assert not at.warning and not at.error


def test_moving_the_date_recolours_the_uk(app):
    at = ok(app())
    at.slider(key="day").set_value(D(2018, 12, 15)).run()
    assert map_colours(ok(at))["GBR"] == view.NO_POSITION
    assert at.dataframe[0].value.set_index("iso3").loc["GBR", "stance"] == ""
    at.slider(key="day").set_value(D(2019, 6, 1)).run()
    assert map_colours(ok(at))["GBR"] == "core-only exclusion"
    assert qp(at)["date"] == "2019-06-01"


def test_real_uk_changes_between_december_2018_and_june_2019(real_ds, monkeypatch):
    assert stance_as_of(real_ds, "GBR", D(2018, 12, 15)) in (None, "review")
    assert stance_as_of(real_ds, "GBR", D(2019, 6, 1)) == "core-only exclusion"
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app(date="2018-12-15"))
    assert map_colours(at)["GBR"] in (view.NO_POSITION, "review")
    at.slider(key="day").set_value(D(2019, 6, 1)).run()
    assert map_colours(ok(at))["GBR"] == "core-only exclusion"


def test_step_buttons_move_between_change_days(app, ds):
    at = ok(app(date="2018-12-15"))
    next_button = next(b for b in at.button if "Next change" in b.label)
    next_button.click().run()
    # A restriction outside 5G taking effect is a change too (Japan's, Taiwan's).
    assert at.slider(key="day").value == D(2018, 12, 16)
    assert map_colours(ok(at))["JPN"] == view.OUTSIDE_ONLY
    next(b for b in at.button if "Next change" in b.label).click().run()
    assert at.slider(key="day").value == D(2018, 12, 28)
    assert map_colours(ok(at))["GBR"] == "review"
    for expected in (D(2018, 12, 16), D(2018, 11, 30)):
        prev_button = next(b for b in at.button if "Previous change" in b.label)
        prev_button.click().run()
        assert at.slider(key="day").value == expected
    prev_button = next(b for b in at.button if "Previous change" in b.label)
    prev_button.click().run()
    assert at.slider(key="day").value == D(2018, 8, 31)
    assert next(b for b in at.button if "Previous change" in b.label).disabled


def test_play_steps_through_changes(app, monkeypatch):
    monkeypatch.setattr(view, "PLAY_SECONDS", 0)
    at = ok(app(date="2019-02-11"))
    at.toggle(key="playing").set_value(True).run()
    # Plays to the last change, then stops by itself.
    assert at.slider(key="day").value == D(2019, 4, 23)
    assert at.toggle(key="playing").value is False


@pytest.mark.parametrize(
    "alliance, day, expected",
    [
        ("Five Eyes", D(2019, 6, 1), {"GBR", "AUS", "NZL"}),
        ("EU", D(2020, 1, 31), {"GBR", "DEU"}),
        ("EU", D(2020, 2, 1), {"DEU"}),
    ],
)
def test_alliance_filter_keeps_members_on_the_date(app, ds, alliance, day, expected):
    at = ok(app(date=day.isoformat()))
    at.multiselect(key="alliances").set_value([alliance]).run()
    ok(at)
    members = members_as_of(ds, alliance, day) & set(ds.countries)
    assert members == expected
    assert set(at.dataframe[0].value["iso3"]) == expected
    assert set(map_colours(at)) == expected
    timeline = charts(at)["timeline"]["figure"]
    rows = {y for trace in timeline["data"] if trace["type"] == "bar" for y in trace.get("y", [])}
    assert rows == {ds.records[k].name for k in expected}
    assert qp(at)["alliance"] == alliance


def test_stance_filter(app):
    at = ok(app(date="2019-06-01"))
    at.multiselect(key="stances").set_value(["ban", view.OUTSIDE_ONLY]).run()
    # Japan's and Taiwan's restrictions are outside 5G: not kept by "ban" alone.
    assert map_colours(ok(at)) == {"AUS": "ban", "NZL": "ban", "JPN": view.OUTSIDE_ONLY, "TWN": view.OUTSIDE_ONLY}
    assert qp(at)["stance"] == "ban,outside"
    at.multiselect(key="stances").set_value(["ban"]).run()
    assert set(map_colours(ok(at))) == {"AUS", "NZL"}


def test_evidence_panel_shows_the_quotes_of_the_selected_country(app, ds):
    at = ok(app(date="2019-01-01"))
    at.selectbox(key="country").set_value("GBR").run()
    body = html_text(ok(at))
    for event in ds.records["GBR"].events:
        for source in event.sources:
            assert view.esc(source.quote) in body
    assert "United Kingdom" in body and "review" in body
    # The whole panel is one block; the decision of April 2019 is after the chosen date:
    # shown apart, as later, and muted.
    (panel,) = [e.proto.body for e in at.get("html") if "evidence-current" in e.proto.body]
    head, *cards = panel.split('<div class="evidence-event"')
    assert (
        "<h4>Later — after 2019-01-01</h4>" in cards[-2] and "barred from involvement in its critical core" in cards[-1]
    )
    assert "opacity:.75" in cards[-1] and "opacity:.75" not in cards[0]
    assert qp(at)["country"] == "GBR"
    # Citation: headline, article date, seed file and line.
    assert "seed fixture_000.txt, line" in body
    # Each card folds the article's lines around each of its quotes, each quote marked,
    # under a link that opens the article at the page's link.
    events = ds.records["GBR"].events
    assert len(cards) == len(events)
    for card, event in zip(cards, events, strict=True):
        (around,) = re.findall(r'<details class="evidence-around".*?</details>', card, re.S)
        assert f">{view.around_label(len(event.sources))}</summary>" in around
        contexts = around.split('<div class="article-context"')[1:]
        assert len(contexts) == len(event.sources)
        for i, (context, source) in enumerate(zip(contexts, event.sources, strict=True), start=1):
            marked = " ".join(re.findall(r"<mark[^>]*>(.*?)</mark>", context, re.S))
            assert " ".join(view.esc(source.quote).split()) in " ".join(marked.split())
            assert (f"Quote {i} of {len(event.sources)}: " in context) == (len(event.sources) > 1)
            (href,) = re.findall(r'<a class="evidence-read" href="\?([^"]*)" target="_blank" rel="noopener">', context)
            assert dict(parse_qsl(html.unescape(href))) == {**qp(at), "article": source.article}


def test_the_evidence_panel_reaches_the_page_as_it_is_made(app, monkeypatch):
    """view.Html: Streamlit draws the panel's HTML without dedenting it first (1.1 ms for a
    large panel), and draws exactly what the page made."""
    import streamlit.elements.html as st_html

    cleaned: list[str] = []
    clean_text = st_html.clean_text
    monkeypatch.setattr(st_html, "clean_text", lambda text: cleaned.append(str(text)) or clean_text(text))
    at = ok(app(date="2019-06-01", country="GBR"))
    (panel,) = [e.proto.body for e in at.get("html") if "evidence-current" in e.proto.body]
    assert panel.startswith(view.PANEL_CSS) and panel == panel.strip()
    assert cleaned and not any("evidence-current" in text or "day-marker" in text for text in cleaned)


def test_the_evidence_column_is_the_picker_and_one_block(app, ds):
    """Not two elements per event: the record picker, its container and one HTML block."""
    at = ok(app(date="2019-06-01", country="GBR"))
    assert len(ds.records["GBR"].events) > 3
    column = next(b for b in at.get("column") if b.get("selectbox"))
    assert [type(e).__name__ for e in column.children.values()] == ["Selectbox", "Block"]
    (panel,) = list(column.children.values())[1].children.values()
    assert "evidence-current" in panel.proto.body
    assert [e.label.split(":")[0] for e in at.get("expander")] == ["Event log", "Method"]  # none per event


def test_closed_download_popovers_draw_no_buttons(app):
    at = ok(app(date="2019-06-01", country="GBR"))
    assert not at.get("download_button")
    assert len(open_downloads(at).get("download_button")) == 4


def test_a_record_without_events_up_to_the_day_says_so(app, ds):
    first = min(e.effective for e in ds.records["GBR"].events)
    day = first - dt.timedelta(days=1)
    at = ok(app(date=day.isoformat(), country="GBR"))
    assert f"No recorded event on or before {day.isoformat()}." in html_text(at)


def test_the_contexts_kept_for_every_reader_carry_no_readers_link(ds):
    tables = view.Tables()
    span = view.timeframe(ds, D(2019, 6, 1))
    state = view.ViewState(day=D(2019, 6, 1), country="GBR")
    page = view.Page({}, ds, span, tables)
    first = page.evidence(state, {"date": "2019-06-01", "country": "GBR"})
    second = page.evidence(state, {"date": "2019-06-01", "country": "GBR", "alliance": "EU"})
    assert "alliance=EU" not in first
    assert second.count("alliance=EU") == first.count('class="evidence-read"') > 0


def test_levels_toggle_hides_agency_and_operator_actions(app, ds):
    at = ok(app(date="2019-06-01", country="GBR"))
    mi6 = next(e for e in ds.records["GBR"].events if e.actor_level == "agency").sources[0].quote
    assert view.esc(mi6) in html_text(at)
    at.toggle(key="all_levels").set_value(False).run()
    assert view.esc(mi6) not in html_text(ok(at))
    assert "2 agency or operator action(s) hidden" in html_text(at)
    assert qp(at)["levels"] == "government"


def test_organisation_is_selectable_but_never_on_the_map(app):
    at = ok(app(country="european-commission"))
    assert "European Commission" in html_text(at)
    assert "european-commission" not in map_colours(at)
    assert (
        "european-commission" in at.selectbox(key="country").options
        or "European Commission (organisation)" in at.selectbox(key="country").options
    )


def test_data_text_is_shown_literally(app):
    at = ok(app(date="2019-03-01", country="SGP"))
    body = html_text(at)
    assert "<script>" not in body and "<i>of</i>" not in body and "<img" not in body
    assert view.esc(HOSTILE_SUMMARY) in body and view.esc(HOSTILE_ACTOR) in body
    assert "&lt;script&gt;alert(" in body
    # No markdown element carries data text.
    assert not any("javascript:" in m.value for m in at.markdown)
    fig = charts(at)["map"]["figure"]
    hover = " ".join(fig["data"][1]["text"])
    assert "&lt;i&gt;of&lt;/i&gt;" in hover and "<i>" not in hover


HOSTILE = [HOSTILE_ACTOR, HOSTILE_SUMMARY, HOSTILE_ORG_NAME]
# Plotly reads this much HTML in hovers and labels; anything else would be data text.
PLOTLY_MARKUP = re.compile(r"</?b>|<br>")


def markdown_values(at: AppTest) -> list[str]:
    """Every element Streamlit renders as markdown."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "warning", "info", "error", "success", "toast")
    return [e.value for kind in kinds for e in at.get(kind)] + [e.label for e in at.get("expander")]


def figure_strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in figure_strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in figure_strings(v)]
    return []


@pytest.mark.parametrize(
    "query",
    [
        {"date": "2019-03-01", "country": "SGP"},
        {"date": "2019-06-01", "country": HOSTILE_ORG_ID},
        {"date": "2019-06-01", "country": "SGP", "levels": "government"},
    ],
)
def test_hostile_text_is_never_markup(app, query):
    at = ok(app(**query))
    # Evidence panel: the text escaped, no tag from the data (st.html renders these bodies).
    body = html_text(at)
    for raw in ("<script", "<img", "<i>of"):
        assert raw not in body
    # The only links: the page's own, opening an article of the record in the reader.
    for link in re.findall(r"<a\b[^>]*>", body):
        assert re.fullmatch(r'<a class="evidence-read" href="\?[\w%&;=.-]*" target="_blank" rel="noopener">', link), (
            link
        )
    assert view.esc(HOSTILE_SUMMARY) in body and view.esc(HOSTILE_ACTOR) in body
    # Markdown never carries data text (links, images, emphasis would come alive there).
    for value in markdown_values(at):
        for fragment in ("javascript:", "example.invalid", "<script", "<img", "**Org**"):
            assert fragment not in value, value
    # Plotly hovers and labels: only plotly's own <b> and <br>; data text escaped.
    for key, chart in charts(at).items():
        for text in figure_strings(chart["figure"]):
            assert "<" not in PLOTLY_MARKUP.sub("", text), (key, text)
            assert "&quot;" not in text and "&#x27;" not in text  # plotly would show these as is


def test_hostile_text_in_map_and_timeline_hovers(app):
    at = ok(app(date="2019-06-01"))
    figures = charts(at)
    markers = figures["map"]["figure"]["data"][1]
    [sgp] = [t for key, t in zip(markers["customdata"], markers["text"]) if key == "SGP"]
    assert f"decided by {view.plotly_esc(HOSTILE_ACTOR)} (official)" in sgp
    assert '&lt;a href="javascript:alert(1)"&gt;link&lt;/a&gt; &amp; co' in sgp
    timeline = figures["timeline"]["figure"]["data"]
    bands = [h for t in timeline if t["type"] == "bar" for h in t.get("hovertext", [])]
    assert any(view.plotly_esc(HOSTILE_ACTOR) in h and "Singapore" in h for h in bands)
    diamonds = [h for t in timeline if t["type"] == "scatter" for h in t.get("hovertext", [])]
    [agency] = [h for h in diamonds if "Singapore" in h]
    assert f"{view.plotly_esc(HOSTILE_ACTOR)} (agency)" in agency
    assert view.plotly_esc(HOSTILE_SUMMARY)[:100] in agency


def test_hostile_organisation_name_in_the_picker_and_panel(app):
    at = ok(app(date="2019-06-01"))
    picker = at.selectbox(key="country")
    assert f"{HOSTILE_ORG_NAME} (organisation)" in picker.options  # a plain-text label
    picker.set_value(HOSTILE_ORG_ID).run()
    body = html_text(ok(at))
    assert view.esc(HOSTILE_ORG_NAME) in body
    assert "<script" not in body and "<img" not in body
    assert qp(at)["country"] == HOSTILE_ORG_ID


def test_hostile_text_in_the_downloads_is_literal_and_formulas_neutralised(app, ds, downloads):
    at = ok(app(date="2019-06-01", country="SGP"))
    got = {name.split("_")[0]: text for text, name in downloads(at).values()}
    state = view.ViewState(day=D(2019, 6, 1), country="SGP")
    assert got["huawei-5g-snapshot"] == to_csv(view.snapshot(ds, state))
    assert got["huawei-5g-events"] == to_csv(view_of.event_log(ds, state))
    snapshot = pd.read_csv(io.StringIO(got["huawei-5g-snapshot"]), dtype=str, keep_default_na=False)
    sgp = snapshot.set_index("iso3").loc["SGP"]
    assert sgp["scope"] == "'" + FORMULA_SCOPE  # a spreadsheet shows it as text
    assert (sgp["actor"], sgp["summary"]) == (HOSTILE_ACTOR, HOSTILE_SUMMARY)  # all else unchanged
    events = pd.read_csv(io.StringIO(got["huawei-5g-events"]), dtype=str, keep_default_na=False)
    hostile = events[events["country"] == HOSTILE_ORG_NAME]
    assert list(hostile["summary"]) == [HOSTILE_SUMMARY]
    assert set(events[events["iso3"] == "SGP"]["quote"]) == {
        HOSTILE_QUOTE,
        "A closing paragraph gives the quote some context.",
    }
    # No cell of either file starts like a formula.
    for frame in (snapshot, events):
        for value in frame.to_numpy().ravel():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_downloads_equal_the_export_functions(app, ds, downloads):
    at = ok(app(date="2019-06-01", alliance="Five Eyes", stance="ban,core-only exclusion", levels="government"))
    state = view.ViewState(
        day=D(2019, 6, 1), alliances=("Five Eyes",), stances=("ban", "core-only exclusion"), all_levels=False
    )
    snapshot = snapshot_frame(ds, state.day, ["Five Eyes"], {"ban", "core-only exclusion"})
    assert set(snapshot["iso3"]) == {"GBR", "AUS", "NZL"}
    events = events_frame(ds, {"GBR", "AUS", "NZL"}, ("government",))
    expected = {
        "huawei-5g-snapshot_2019-06-01_five-eyes_ban+core-only-exclusion.csv": to_csv(snapshot),
        "huawei-5g-events_2019-06-01_five-eyes_ban+core-only-exclusion_government-only.csv": to_csv(events),
    }
    got = {name: text for text, name in downloads(at).values()}
    assert got == expected
    assert at.dataframe[0].value.equals(snapshot)


def test_query_parameters_round_trip(app):
    query = {
        "date": "2019-01-15",
        "alliance": "Five Eyes,EU",
        "stance": "review,none",
        "levels": "government",
        "country": "DEU",
    }
    at = ok(app(**query))
    assert at.slider(key="day").value == D(2019, 1, 15)
    assert at.multiselect(key="alliances").value == ["Five Eyes", "EU"]
    assert at.multiselect(key="stances").value == ["review", view.NO_POSITION]
    assert at.toggle(key="all_levels").value is False
    assert at.selectbox(key="country").value == "DEU"
    assert qp(at) == query
    assert not at.warning
    # and the state written back opens the same view in a new session
    again = ok(app(**qp(at)))
    assert again.dataframe[0].value.equals(at.dataframe[0].value)


@pytest.mark.parametrize(
    "name, value",
    [
        ("date", "2019-13-45"),
        ("date", "1990-01-01"),
        ("alliance", "Nope"),
        ("stance", "bann"),
        ("levels", "some"),
        ("country", "XXX"),
        ("date", "[x](javascript:alert(1))"),
    ],
)
def test_invalid_parameter_warns_and_falls_back(app, ds, name, value):
    at = ok(app(**{name: value}))
    assert len(at.warning) == 1
    assert name in at.warning[0].value
    default = view.ViewState(day=view.timeframe(ds).default)
    assert at.slider(key="day").value == default.day
    assert at.multiselect(key="alliances").value == []
    assert at.multiselect(key="stances").value == []
    assert at.selectbox(key="country").value is None
    assert charts(at)  # the page is drawn
    if "javascript" in value:
        assert view.md_inline_code(value) == "`[x](javascript:alert(1))`"  # a code span: shown literally
        assert view.md_inline_code(value) in at.warning[0].value


def test_broken_data_lists_every_problem(tmp_path, monkeypatch):
    data = make_data_dir(tmp_path)
    expected = break_data_dir(data)
    with pytest.raises(DataError) as info:
        load_dataset(data)
    monkeypatch.setenv("STANCES_DATA_DIR", str(data))
    at = ok(run_app())
    assert len(at.error) == 1
    message = at.error[0].value
    for problem in info.value.problems:
        assert str(problem) in message
    for part in expected:
        assert part in message
    assert not charts(at)


def test_hostile_text_in_problems_is_shown_as_code(tmp_path, monkeypatch):
    data = make_data_dir(tmp_path)
    expected = break_data_dir_hostile(data)
    monkeypatch.setenv("STANCES_DATA_DIR", str(data))
    at = ok(run_app())
    [error] = at.error
    intro, fence, rest = error.value.partition("```text\n")
    assert fence and rest.rstrip().endswith("```"), error.value  # the list is one fenced code block
    for text in expected:
        assert text in rest and text not in intro


def test_missing_data_folder_is_an_error_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCES_DATA_DIR", str(tmp_path / "nowhere"))
    at = ok(run_app())
    assert "data folder not found" in at.error[0].value


def test_data_is_loaded_once_per_process(app, monkeypatch, data_dir):
    st.cache_resource.clear()
    calls = []
    real = stances.load_dataset

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(stances, "load_dataset", counting)
    at = ok(app())
    at.slider(key="day").set_value(D(2019, 1, 1)).run()
    ok(app(date="2018-12-01"))  # a second session
    assert len(calls) == 1
    st.cache_resource.clear()


# --- stances.view ---------------------------------------------------------------------


def test_colours_are_fixed_distinct_and_in_legend_order():
    assert view.CATEGORIES == ("ban", "core-only exclusion", "review", "allow", view.OUTSIDE_ONLY, view.NO_POSITION)
    faded = {view.fade(c) for c in view.COLOURS.values()}
    assert len(set(view.COLOURS.values()) | faded | {view.LAND_COLOUR}) == 13  # all distinct
    scale = view.stepped_colourscale()
    n = 2 * len(view.CATEGORIES)
    for label in view.CATEGORIES:
        for stale in (False, True):
            middle = (view.code_of(label, stale) + 0.5) / n
            colour = [c for (lo, c), (hi, _) in zip(scale[::2], scale[1::2]) if lo <= middle <= hi]
            assert colour == [view.fade(view.COLOURS[label]) if stale else view.COLOURS[label]]


def test_map_is_one_choropleth_with_fitbounds_off(ds):
    shapes, markers = view.geometry_centres(), view.marker_positions()
    fig = view_of.map_figure(ds, view.ViewState(day=D(2019, 6, 1)), shapes, markers).to_plotly_json()
    kinds = [t["type"] for t in fig["data"]]
    assert kinds.count("choropleth") == 1
    assert fig["layout"]["geo"]["fitbounds"] is False
    assert "SGP" not in fig["data"][0]["locations"]  # no shape: a marker instead
    assert list(fig["data"][1]["customdata"]) == ["SGP"]
    legend = [t["name"] for t in fig["data"] if t.get("showlegend")]
    assert legend == [*view.CATEGORIES, "faded: last report over a year old", "(?) reported or low confidence"]


@pytest.mark.parametrize("country", ["GBR", "SGP", "european-commission"])
def test_the_chosen_country_is_outlined_above_the_others(ds, country):
    shapes, markers = view.geometry_centres(), view.marker_positions()
    state = view.ViewState(day=D(2019, 6, 1), country=country)
    fig = view_of.map_figure(ds, state, shapes, markers).to_plotly_json()
    countries, dots = fig["data"][0], fig["data"][1]
    assert countries["marker"]["line"] == {"color": "white", "width": 0.6}
    outlines = [t for t in fig["data"] if t["type"] == "choropleth"][1:]
    if country == "GBR":  # a shape: drawn again alone, above its neighbours, outlined
        [outline] = outlines
        assert list(outline["locations"]) == ["GBR"] and "GBR" in countries["locations"]
        assert outline["marker"]["line"] == {"color": view.SELECTED_OUTLINE, "width": 2.2}
        at = list(countries["locations"]).index("GBR")
        assert (outline["z"][0], outline["text"][0]) == (countries["z"][at], countries["text"][at])
    else:  # a marker grows a thicker ring; an organisation is not on the map
        assert outlines == []
    widths = dict(zip(dots["customdata"], dots["marker"]["line"]["width"]))
    assert widths == {"SGP": 2.5 if country == "SGP" else 1}


def test_every_country_has_a_shape_or_a_marker():
    shapes, markers = view.geometry_centres(), view.marker_positions()
    assert len(shapes) >= 170 and {"GBR", "USA", "AUS", "FRA", "NOR"} <= set(shapes)
    assert {"SGP", "MLT", "BHR", "HKG"} <= set(markers)
    missing = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in set(shapes) | set(markers)]
    assert missing == []
    for lat, lon in markers.values():
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_every_real_record_is_drawable():
    shapes, markers = view.geometry_centres(), view.marker_positions()
    codes = {p.stem for p in (REAL_DATA / "countries").glob("*.yaml")}
    assert codes - set(shapes) - set(markers) == set()


def test_map_geometry_is_served_locally_and_nothing_names_a_cdn():
    assert (ROOT / "static" / "world_110m.json").is_file()
    assert not (ROOT / "static" / "world_110m.json").is_symlink()  # Streamlit refuses symlinks out
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert re.search(r"enableStaticServing\s*=\s*true", config)
    assert "world_110m.json" in (ROOT / "data" / "geo" / "README.md").read_text()
    for path in [ROOT / "app.py", *(ROOT / "stances").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        # (spelt in pieces so that a grep of the project for these hosts finds nothing)
        for host in ("cdn" + ".plot.ly", "un" + "pkg", "jsde" + "livr", "cdn" + "js", "google" + "apis"):
            assert host not in text, f"{path.name} names {host}"


def test_query_round_trip_in_view(ds):
    frame = view.timeframe(ds, today=D(2025, 1, 1))
    state = view.ViewState(
        day=D(2019, 1, 2),
        alliances=("NATO",),
        stances=(view.NO_POSITION,),
        all_levels=False,
        country="european-commission",
    )
    again, notices = view.parse_query(view.to_query(state), ds, frame)
    assert again == state and notices == []
    default, notices = view.parse_query({}, ds, frame)
    assert default == view.ViewState(day=D(2019, 4, 23)) and notices == []
    assert view.to_query(default) == {"date": "2019-04-23"}


def test_notices_are_markdown_safe(ds):
    span = view.timeframe(ds)
    _, notices = view.parse_query({"country": "`[x](javascript:alert(1))`"}, ds, span)
    text = notices[0].markdown()
    assert "`` `[x](javascript:alert(1))` ``" in text  # longer fences than the ticks inside, padded


def test_file_names_carry_the_date_and_filters():
    state = view.ViewState(day=D(2019, 6, 1))
    assert view.file_name("snapshot", state) == "huawei-5g-snapshot_2019-06-01.csv"
    assert view.file_name("events", state) == "huawei-5g-events_2019-06-01.csv"
    state = view.ViewState(
        day=D(2019, 6, 1), alliances=("Five Eyes", "NATO"), stances=("review", view.NO_POSITION), all_levels=False
    )
    assert view.file_name("snapshot", state) == "huawei-5g-snapshot_2019-06-01_five-eyes+nato_review+none.csv"
    assert view.file_name("events", state).endswith("_review+none_government-only.csv")


def test_event_log_lists_organisations_only_without_filters(ds):
    day = D(2019, 6, 1)
    assert "" in set(view_of.event_log(ds, view.ViewState(day=day))["iso3"])  # organisations have no iso3
    filtered = view_of.event_log(ds, view.ViewState(day=day, alliances=("EU",)))
    assert set(filtered["iso3"]) == {"GBR", "DEU"}


def test_hover_text_says_who_since_when_how_sure_and_how_old(ds):
    rows = snapshot_frame(ds, D(2019, 6, 1)).set_index("iso3")
    row = rows.loc["DEU"].to_dict() | {"iso3": "DEU"}
    assert view.hover_text(row, D(2019, 6, 1)).split("<br>") == [
        "<b>Germany</b>",
        "5G stance: allow",
        "since 2019-04 (month known; in effect from 2019-04-23)",
        "decided by German government (reported)",
        "? reported, not confirmed",
        "Last evidence: 2019-04-23",
    ]
    low = row | {"status": "official", "confidence": "low", "_notes": "Undated <b>background</b>."}
    assert view.hover_text(low, D(2020, 4, 24)).split("<br>")[-3:] == [
        "? confidence low",
        "Undated &lt;b&gt;background&lt;/b&gt;.",
        "Last evidence: 2019-04-23 — over a year before 2020-04-24",
    ]
    sure = row | {"status": "official", "confidence": "high"}
    assert "?" not in view.hover_text(sure, D(2019, 6, 1))
    medium = view.hover_text(row | {"status": "official", "confidence": "medium", "_notes": "Why."}, D(2019, 6, 1))
    assert "<br>confidence medium<br>Why.<br>" in medium and "?" not in medium  # named, not drawn
    early = view.hover_text(row | {"last_evidence": "", "_last_end": None}, D(2019, 6, 1))
    assert early.endswith("Last evidence: no report on or before this date: known from later reports")
    jpn = rows.loc["JPN"].to_dict() | {"iso3": "JPN"}
    assert view.hover_text(jpn, D(2019, 6, 1)).split("<br>") == [
        "<b>Japan</b>",
        "no recorded position on 5G as of 2019-06-01",
        "Restricted outside 5G: ban: Government procurement (since 2018-12)",
        "Last evidence: 2018-12-16",
    ]


def test_timeline_bands(ds):
    bands = [b for b in view.timeline_bands(ds, {"GBR", "JPN", "AUS"}, D(2020, 1, 1))]
    gbr = [(b.label, b.start, b.end, b.unsure, b.stale) for b in bands if b.key == "GBR"]
    assert gbr == [
        (view.NO_POSITION, D(2018, 12, 3), D(2018, 12, 28), False, False),
        ("review", D(2018, 12, 28), D(2019, 4, 23), False, False),
        ("core-only exclusion", D(2019, 4, 23), D(2020, 1, 2), True, False),
    ]  # reported
    # Japan's only report is of 2018-12-16: faded from a year and a day after it.
    assert [(b.label, b.start, b.end, b.stale) for b in bands if b.key == "JPN"] == [
        (view.OUTSIDE_ONLY, D(2018, 12, 16), D(2019, 12, 17), False),
        (view.OUTSIDE_ONLY, D(2019, 12, 17), D(2020, 1, 2), True),
    ]
    # Australia's ban (dated 2018-08) is first reported on 2019-04-23, and never again: known
    # from a later report until then, reported after, faded a year after.
    aus = [(b.label, b.start, b.end, b.stale) for b in bands if b.key == "AUS"]
    assert aus == [("ban", D(2018, 8, 31), D(2019, 4, 23), False), ("ban", D(2019, 4, 23), D(2020, 1, 2), False)]
    assert "Last evidence" not in bands[0].hover
    late = [(b.start, b.end, b.stale) for b in view.timeline_bands(ds, {"AUS"}, D(2020, 12, 4))]
    assert late == [
        (D(2018, 8, 31), D(2019, 4, 23), False),
        (D(2019, 4, 23), D(2020, 4, 23), False),
        (D(2020, 4, 23), D(2020, 12, 5), True),
    ]


def test_quote_context_highlights_the_quote(ds):
    evidence = view.evidence(ds, "GBR", view.ViewState(day=D(2019, 6, 1)))
    citation = evidence.earlier[-1].citations[0]
    lines = view.quote_context(ds, citation)
    marked = ["".join(p for p, q in pieces if q) for _, _, pieces in lines]
    assert citation.quote in marked
    numbers = [n for n, _, _ in lines]
    assert citation.line in numbers and len(numbers) > 2 and numbers == sorted(numbers)
    context = view.context_html(lines)
    assert context.count("<mark") == 1
    assert view.around_label(1) == "Read the article around the quote"
    assert view.around_label(3) == "Read the articles around the 3 quotes"


def test_key_from_point():
    assert view.key_from_point({"location": "GBR", "curve_number": 0}) == "GBR"
    assert view.key_from_point({"customdata": "SGP", "lat": 1.3}) == "SGP"
    assert view.key_from_point({"customdata": ["SGP"]}) == "SGP"
    assert view.key_from_point({"lat": 1}) is None


def test_md_code_block_is_literal():
    text = "a ``` b <script> [x](javascript:1)"
    block = view.md_code_block(text)
    assert block.startswith("````text\n") and block.endswith("\n````")


# --- events that can be cited --------------------------------------------------------


def test_a_link_to_an_event_opens_its_country_with_the_event_first(app, ds):
    event_id = "GBR-2019-04-23-4"  # the National Security Council's decision, in the test data
    assert ds.events_by_id[event_id][0] == "GBR"
    at = ok(app(date="2019-06-01", event=event_id))
    assert at.selectbox(key="country").value == "GBR"
    assert qp(at) == {"date": "2019-06-01", "country": "GBR", "event": event_id}
    (panel,) = [e.proto.body for e in at.get("html") if "evidence-current" in e.proto.body]
    head, *cards = panel.split('<div class="evidence-event"')
    assert head.endswith("<h4>The linked event</h4>") and "<h4>Every event</h4>" in cards[0]
    assert f"event {event_id}" in cards[0] and "background:#FFF6D5" in cards[0]
    assert sum(f"event {event_id}<" in c for c in cards) == 2  # first, and in its place
    at.selectbox(key="country").set_value("DEU").run()  # another country: the link is left
    assert "event" not in qp(ok(at))
    at.selectbox(key="country").set_value("GBR").run()  # and not taken up again on return
    assert "event" not in qp(ok(at)) and "The linked event" not in html_text(at)


def test_a_link_whose_country_is_not_its_events_says_so(app):
    at = ok(app(event="GBR-2019-04-23-4", country="DEU"))
    assert at.selectbox(key="country").value == "GBR"
    [warning] = at.warning
    assert warning.value.startswith("Moved the link's `country` parameter") and "linked event is GBR" in warning.value


def test_an_unknown_event_id_is_a_notice(app):
    at = ok(app(event="GBR-1999-01-01-9"))
    assert len(at.warning) == 1 and "no event has that id" in at.warning[0].value
    assert at.selectbox(key="country").value is None


def test_every_event_card_names_its_id(app, ds):
    at = ok(app(date="2019-06-01", country="DEU"))
    ids = [e.id for e in ds.records["DEU"].events]
    text = html_text(at)
    assert all(f"event {i}<" in text for i in ids)
