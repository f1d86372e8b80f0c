"""The page's layout in headless Chromium, on the shipped data: at 1,280 px, 1,440 px and on a
390 px phone no button or widget label is cut, the map takes a good share of a desktop page,
nothing overflows sideways on the phone, and the timeline's marker of the chosen day lines
up with the timeline's x axis. Screenshots go to test-output/layout-*.png."""

from __future__ import annotations

import datetime as dt

import pytest

from browser_support import OUTPUT, REAL_DATA, chromium_missing_reason, running_server

_reason = chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


WAIT = 60_000  # ms
DAY = "2019-06-01"
MAP_SHARE = 0.55  # of the window's width, on a desktop, before a country is chosen

# Every element of the page (outside plotly's charts) that clips its text and has more text
# than room, and every empty input whose placeholder does not fit. Elements 1 px wide are
# hidden on purpose (text for screen readers only).
CUT = """() => {
  const found = [];
  const canvas = document.createElement('canvas').getContext('2d');
  for (const e of document.querySelectorAll('[data-testid=stMain] *, [data-testid=stSidebar] *')) {
    const r = e.getBoundingClientRect();
    if (r.width <= 1 || r.right <= 0 || r.left >= innerWidth || e.closest('.js-plotly-plot')) continue;
    const style = getComputedStyle(e);
    const clips = ['hidden', 'clip'].includes(style.overflowX) || style.textOverflow === 'ellipsis';
    if (clips && e.innerText && e.innerText.trim() && e.scrollWidth > e.clientWidth + 1) {
      found.push(e.innerText.trim().slice(0, 60));
    }
    if (e.tagName === 'INPUT' && e.placeholder && !e.value) {
      canvas.font = style.font;
      const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (canvas.measureText(e.placeholder).width > room + 1) found.push('placeholder: ' + e.placeholder);
    }
  }
  return found;
}"""
MAP_WIDTH = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .find(e => e.querySelector('.geo')).getBoundingClientRect().width"""
# Where the timeline's x axis puts a day, and where the marker's line is, in page pixels.
AXIS_X = """(day) => {
  const gd = document.querySelector('.st-key-timeline .js-plotly-plot');
  const axis = gd._fullLayout.xaxis;
  return gd.getBoundingClientRect().left + axis._offset + axis.d2p(day);
}"""
LINE_X = "() => document.querySelector('.day-marker-line').getBoundingClientRect().left + 1"


@pytest.fixture(scope="module")
def server():
    with running_server(REAL_DATA, "layout") as srv:
        yield srv


def open_at(browser, server, width: int, query: str = f"?date={DAY}"):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.goto(server.url + query)
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    page.wait_for_selector(".day-marker", state="attached", timeout=WAIT)
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=WAIT)
    return context, page


def shot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its own main block, so the window is made as
    tall as that block before the screenshot."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": min(height + 50, 8000)})
    page.wait_for_timeout(500)  # plotly redraws its charts for the new window
    page.screenshot(path=str(OUTPUT / f"{name}.png"))


@pytest.mark.parametrize("width", [1280, 1440])
def test_desktop_no_label_is_cut_and_the_map_is_wide(browser, server, width):
    context, page = open_at(browser, server, width)
    try:
        assert page.evaluate(CUT) == []
        share = page.evaluate(MAP_WIDTH) / width
        assert share >= MAP_SHARE, f"the map takes {share:.0%} of the page"
        # With a country chosen the evidence stands beside the map, and still nothing is cut.
        page.goto(server.url + f"?date={DAY}&country=GBR")
        page.wait_for_selector(".evidence-current", timeout=WAIT)
        page.wait_for_selector(".choroplethlocation", timeout=WAIT)
        assert page.evaluate(CUT) == []
        assert page.evaluate(MAP_WIDTH) / width >= 0.35
        shot(page, f"layout-{width}-country")
        page.goto(server.url + f"?date={DAY}")
        page.wait_for_selector(".choroplethlocation", timeout=WAIT)
        shot(page, f"layout-{width}")
    finally:
        context.close()


def test_phone_no_label_is_cut_and_nothing_overflows(browser, server):
    context, page = open_at(browser, server, 390)
    try:
        assert page.evaluate(CUT) == []
        widths = page.evaluate("""() => [document.documentElement.scrollWidth,
            document.querySelector('[data-testid=stMain]').scrollWidth]""")
        assert widths == [390, 390]
        # The step buttons wrap under the slider instead of being squeezed beside it.
        boxes = [page.get_by_role("button", name=n).bounding_box() for n in ("◀ Previous change", "Next change ▶")]
        assert all(0 <= b["x"] and b["x"] + b["width"] <= 390 for b in boxes)
        shot(page, "layout-390")
    finally:
        context.close()


def test_the_timeline_marks_the_chosen_day_on_its_axis(browser, server):
    context, page = open_at(browser, server, 1440)
    try:
        marker = page.locator(".day-marker-label")
        assert DAY in marker.inner_text()
        assert abs(page.evaluate(LINE_X) - page.evaluate(AXIS_X, DAY)) <= 2
        # A date change moves the marker (the timeline itself is not drawn again).
        before = page.evaluate(LINE_X)
        page.get_by_role("button", name="◀ Previous change").click()
        page.wait_for_function(f"() => !document.querySelector('.day-marker-label').innerText.includes('{DAY}')")
        new_day = dt.date.fromisoformat(marker.inner_text().split()[-1])
        assert new_day < dt.date.fromisoformat(DAY)
        assert page.evaluate(LINE_X) < before
        assert abs(page.evaluate(LINE_X) - page.evaluate(AXIS_X, new_day.isoformat())) <= 2
    finally:
        context.close()
