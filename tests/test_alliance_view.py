"""Alliances over time (stances.view.alliances): the tiny fixture with exact steps, shares and
splits, the shipped data's Five Eyes, and the section of the page through AppTest."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest
from test_app import charts, ok, qp
from test_dated_rerun import dated  # noqa: F401  (a fixture)

from stances import alliance_names, load_dataset, members_as_of, view
from stances.view.alliances import AllianceHistory, alliance_figure, alliance_history, members_html, splits_md

from browser_support import REAL_DATA, make_data_dir, run_app
from conftest import TODAY

D = dt.date
BAN, CORE, REVIEW, ALLOW = "ban", "core-only exclusion", "review", "allow"
NONE = view.NO_POSITION


def history(ds, name: str) -> AllianceHistory:
    span = view.timeframe(ds, TODAY)
    return alliance_history(ds, name, span.first, span.last)


def groups(step) -> dict[str, list[str]]:
    """``{category: [iso3 or iso3?]}`` of a step, '?' marking an unsure stance."""
    return {c: [m.iso3 + ("?" if m.unsure else "") for m in ms] for c, ms in step.groups.items()}


# --- the tiny fixture (tests/conftest.py) ----------------------------------------------


def test_five_eyes_steps_on_the_days_a_member_changes(ds):
    found = history(ds, "Five Eyes")
    assert [(s.day, groups(s)) for s in found.steps] == [
        (D(2018, 8, 23), {BAN: ["AUS"], NONE: ["CAN", "GBR"]}),  # the first recorded event
        (D(2018, 11, 30), {BAN: ["AUS"], REVIEW: ["CAN?"], NONE: ["GBR"]}),  # month-dated: its last day
        (D(2018, 12, 10), {BAN: ["AUS"], REVIEW: ["CAN?", "GBR"]}),  # reported on the 10th
        (D(2019, 4, 24), {BAN: ["AUS"], CORE: ["GBR?"], REVIEW: ["CAN?"]}),
        (D(2020, 7, 14), {BAN: ["AUS", "GBR"], REVIEW: ["CAN?"]}),  # BT's operator ban in 2019 is no step
        (D(2022, 12, 31), {BAN: ["AUS", "CAN", "GBR"]}),
    ]
    assert found.last == D(2023, 2, 1)  # the evidence horizon
    assert found.on(D(2018, 8, 22)) is None
    assert found.on(D(2019, 6, 1)).day == D(2019, 4, 24)
    assert found.on(D(2023, 2, 1)).day == D(2022, 12, 31)


def test_splits_are_the_days_the_number_of_categories_changes(ds):
    found = history(ds, "Five Eyes")
    assert [(len(a.groups), b.day, len(b.groups)) for a, b in found.splits] == [
        (2, D(2018, 11, 30), 3),
        (3, D(2018, 12, 10), 2),
        (2, D(2019, 4, 24), 3),
        (3, D(2020, 7, 14), 2),
        (2, D(2022, 12, 31), 1),
    ]
    eu = history(ds, "EU")
    # GBR's core-only exclusion and Germany's allow change who holds what, not how many.
    assert [s.day for s in eu.steps] == [
        D(2018, 8, 23),
        D(2018, 12, 10),
        D(2019, 4, 24),
        D(2019, 10, 15),
        D(2020, 2, 1),
    ]
    assert [b.day for _, b in eu.splits] == [D(2018, 12, 10), D(2020, 2, 1)]


def test_membership_is_that_of_each_day(ds):
    eu = history(ds, "EU")
    assert groups(eu.on(D(2020, 1, 31))) == {CORE: ["GBR?"], ALLOW: ["DEU"]}
    assert groups(eu.on(D(2020, 2, 1))) == {ALLOW: ["DEU"]}  # the UK has left
    # The UK's ban of 2020-07-14 came after it left: no EU step then.
    assert eu.steps[-1].day == D(2020, 2, 1)
    nato = history(ds, "NATO")
    joined = nato.on(D(2020, 3, 27))
    assert joined.day == D(2020, 3, 27)  # North Macedonia joins; no record: no recorded position
    assert [(m.iso3, m.name, m.category) for m in joined.groups[NONE]] == [("MKD", "North Macedonia", NONE)]
    assert "MKD" not in {m.iso3 for m in nato.on(D(2020, 3, 26)).members}


def bars(figure) -> dict[tuple[str, bool], list[tuple[str, int, float]]]:
    """``{(category, hatched): [(start, days, share)]}`` of the chart's bars."""
    found = {}
    for trace in figure.data:
        if trace.x and trace.width is not None:
            hatched = trace.marker.pattern.shape == view.HATCH
            days = [round(w / 86_400_000) for w in trace.width]
            found[(trace.name, hatched)] = list(zip(trace.x, days, trace.y))
    return found


def test_the_chart_stacks_each_steps_shares_as_wide_as_the_step(ds):
    found = history(ds, "Five Eyes")
    figure = alliance_figure(found, view.timeframe(ds, TODAY))
    third, two_thirds = 1 / 3, 2 / 3
    assert bars(figure) == {
        (BAN, False): [
            ("2018-08-23", 99, third),
            ("2018-11-30", 10, third),
            ("2018-12-10", 135, third),
            ("2019-04-24", 447, third),
            ("2020-07-14", 900, two_thirds),
            ("2022-12-31", 33, 1.0),  # to the horizon, 2023-02-01, included
        ],
        (REVIEW, False): [("2018-12-10", 135, third)],
        (REVIEW, True): [
            ("2018-11-30", 10, third),
            ("2018-12-10", 135, third),
            ("2019-04-24", 447, third),
            ("2020-07-14", 900, third),
        ],
        (CORE, True): [("2019-04-24", 447, third)],
        (NONE, False): [("2018-08-23", 99, two_thirds), ("2018-11-30", 10, third)],
    }
    assert figure.layout.barmode == "stack"
    colours = {t.name: t.marker.color for t in figure.data if t.x and t.width is not None}
    assert colours == {c: view.COLOURS[c] for c in (BAN, REVIEW, CORE, NONE)}
    legend = [t.name for t in figure.data if t.showlegend]
    assert legend == [*view.CATEGORIES, "hatched: reported or low confidence"]
    assert [s.x0 for s in figure.layout.shapes if s.line.dash == "dot"] == [
        "2018-11-30",
        "2018-12-10",
        "2019-04-24",
        "2020-07-14",
        "2022-12-31",
    ]
    hover = bars_hover(figure, REVIEW, True)[1]
    assert hover == "<b>review</b>: 1 of 3 members (33%)<br>Canada (?)<br>2018-12-10 to 2019-04-23"


def bars_hover(figure, category: str, hatched: bool) -> list[str]:
    trace = next(t for t in figure.data if t.name == category and (t.marker.pattern.shape == view.HATCH) == hatched)
    return list(trace.hovertext)


def test_the_split_list_and_the_members_of_a_day(ds):
    found = history(ds, "Five Eyes")
    lines = splits_md(found).splitlines()
    assert lines[0] == "#### When the members of Five Eyes split or came together"
    assert lines[2] == (
        "- **2018-11-30**: 2 → 3 categories. **ban**: Australia; **review**: Canada \\(?\\); "
        "**no recorded position**: United Kingdom"
    )
    assert lines[-1] == "- **2022-12-31**: 2 → 1 category. **ban**: Australia, Canada, United Kingdom"
    html = members_html(found, D(2019, 6, 1))
    assert "<b>Five Eyes on 2019-06-01</b> (3 members)" in html
    assert "<b>core-only exclusion</b> (1 of 3): United Kingdom (?)</li>" in html
    assert "<b>review</b> (1 of 3): Canada (?)</li>" in html
    assert "no members" in members_html(found, D(2018, 1, 1))


def test_an_alliance_name_is_shown_literally(make_data):
    from conftest import ALLIANCES

    hostile = "<b>Eyes</b> [x](javascript:alert(1))"
    folder = make_data({"data/alliances.yaml": ALLIANCES.replace("- name: Five Eyes", f"- name: '{hostile}'")})
    found = history(folder.load(), hostile)
    assert "<b>Eyes</b>" not in members_html(found, D(2019, 6, 1))
    assert "&lt;b&gt;Eyes&lt;/b&gt;" in members_html(found, D(2019, 6, 1))
    assert "members of \\<b\\>Eyes\\</b\\> \\[x\\]\\(javascript\\:alert\\(1\\)\\) split" in splits_md(found)


# --- the shipped data ----------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ds():
    return load_dataset(REAL_DATA)


def test_the_five_eyes_are_not_all_alike_on_2019_06_01(real_ds):
    span = view.timeframe(real_ds)
    found = alliance_history(real_ds, "Five Eyes", span.first, span.last)
    assert groups(found.on(D(2019, 6, 1))) == {
        BAN: ["AUS", "NZL", "USA?"],
        CORE: ["GBR?"],
        REVIEW: ["CAN"],
    }
    html = members_html(found, D(2019, 6, 1))
    assert "<b>ban</b> (3 of 5): Australia, New Zealand, United States (?)</li>" in html
    assert "<b>core-only exclusion</b> (1 of 5): United Kingdom (?)</li>" in html
    assert "<b>review</b> (1 of 5): Canada</li>" in html
    # The UK's core-only exclusion of 23 April 2019 is the day the five last split.
    assert found.splits[-1][1].day == D(2019, 4, 23)


def test_every_shipped_alliance_counts_all_its_members(real_ds):
    span = view.timeframe(real_ds)
    for name in alliance_names(real_ds):
        found = alliance_history(real_ds, name, span.first, span.last)
        for step in found.steps:
            assert {m.iso3 for m in step.members} == members_as_of(real_ds, name, step.day)
            assert sum(len(ms) for ms in step.groups.values()) == len(step.members)


# --- the section on the page (AppTest) -------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return make_data_dir(tmp_path_factory.mktemp("alliances"))


@pytest.fixture
def app(data_dir, monkeypatch):
    monkeypatch.setenv("STANCES_DATA_DIR", str(data_dir))
    return run_app


def day_list(at: AppTest) -> str:
    return next(e.proto.body for e in at.get("html") if 'class="alliance-day"' in e.proto.body)


def bloc_control(at: AppTest):
    return next(w for w in at.get("button_group") if w.key == "bloc")


def test_the_section_opens_on_five_eyes_with_its_chart_and_splits(app):
    at = ok(app(date="2019-06-01"))
    assert bloc_control(at).value == "Five Eyes"
    assert "alliance_chart" in charts(at)
    figure = charts(at)["alliance_chart"]["figure"]
    assert {t["name"] for t in figure["data"] if t.get("width")} >= {BAN, CORE}
    assert "<b>Five Eyes on 2019-06-01</b>" in day_list(at)
    assert "<b>ban</b> (2 of 5): Australia (?), New Zealand</li>" in day_list(at)
    assert any(m.value.startswith("#### When the members of Five Eyes split") for m in at.markdown)
    assert "bloc" not in qp(at)  # the default is not written


def test_the_sidebar_filter_sets_the_default_and_bloc_is_kept_in_the_url(app):
    at = ok(app(date="2019-06-01", alliance="EU"))
    assert bloc_control(at).value == "EU" and "bloc" not in qp(at)
    assert "<b>EU on 2019-06-01</b>" in day_list(at)
    at = ok(app(date="2019-06-01", bloc="Quad"))
    assert bloc_control(at).value == "Quad" and qp(at)["bloc"] == "Quad"
    assert "<b>Quad on 2019-06-01</b>" in day_list(at)
    ok(bloc_control(at).set_value("NATO").run())
    assert qp(at)["bloc"] == "NATO" and "<b>NATO on 2019-06-01</b>" in day_list(at)
    at = ok(app(bloc="Warsaw Pact"))
    assert bloc_control(at).value == "Five Eyes"
    assert any("bloc" in w.value and "Warsaw Pact" in w.value for w in at.warning)


def test_a_date_change_sends_the_day_list_but_not_the_chart(app, dated):
    at = ok(app(date="2018-12-27"))
    assert "<b>no recorded position</b> (3 of 5): Canada, United Kingdom, United States" in day_list(at)
    assert "alliance_chart" in charts(at)
    dated(at, lambda at: at.slider(key="day").set_value(D(2019, 4, 23)))  # the dated part only
    assert "<b>core-only exclusion</b> (1 of 5): United Kingdom (?)" in day_list(at)
    assert set(charts(at)) == {"map"}  # the alliance's chart is left as it was drawn
