"""The Alliances section in a real browser: its chart draws, and the members of the day
follow the slider (the server and the browser as in tests/test_browser.py)."""

from __future__ import annotations

import pytest

from browser_support import chromium_missing_reason

_reason = chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")

from playwright.sync_api import expect  # noqa: E402
from test_browser import RGB, WAIT, data_dir, open_app, server, shot, watched  # noqa: E402, F401  (fixtures)

from stances import view  # noqa: E402

GROUP = ".alliance-day .alliance-group"


def test_the_chart_draws_and_the_members_follow_the_slider(watched, server):
    page = open_app(watched, server, "?date=2018-12-27")
    chart = page.locator(".st-key-alliance_chart .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    # Five Eyes: a bar for each step and category, in the map's colours.
    expect(chart.locator(".barlayer .point").first).to_be_visible(timeout=WAIT)
    fills = set(chart.locator(".barlayer .point path").evaluate_all("els => els.map(e => e.style.fill)"))
    assert {RGB["ban"], RGB[view.NO_POSITION]} <= fills
    legend = chart.locator(".legend .traces .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert legend == [*view.CATEGORIES, "hatched: reported or low confidence"]
    none = page.locator(GROUP, has_text=view.NO_POSITION)
    expect(none).to_contain_text("Canada, United Kingdom, United States", timeout=WAIT)
    expect(page.locator(GROUP, has_text="core-only exclusion")).to_have_count(0)
    # One day on with the keyboard: the UK's core-only exclusion is reported the next day.
    page.goto(server.url + "?date=2019-04-22")
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    expect(page.locator(GROUP, has_text="review")).to_contain_text("United Kingdom", timeout=WAIT)
    slider = page.locator("[data-testid=stSlider] input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    core = page.locator(GROUP, has_text="core-only exclusion")
    expect(core).to_contain_text("(1 of 5): United Kingdom (?)", timeout=WAIT)
    expect(page.locator(".alliance-day b").first).to_have_text("Five Eyes on 2019-04-23")
    page.locator(".alliance-day").scroll_into_view_if_needed()
    shot(page, "alliances-2019-04-23")
