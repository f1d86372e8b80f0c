"""Accessibility of the real page in headless Chromium, on the shipped data: axe-core finds
no violation of ours, and every interaction works from the keyboard alone.

axe-core is vendored, unmodified, in tests/vendor/axe-core/ (MPL-2.0, licence beside it)
and injected into the page; every violation it reports is written to
test-output/axe-violations.json. The test fails on any that is not in ALLOWED: violations
inside Streamlit's or plotly's own widgets, which the page cannot change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from browser_support import OUTPUT, REAL_DATA, chromium_missing_reason, running_server

_reason = chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")

from playwright.sync_api import expect  # noqa: E402

WAIT = 60_000  # ms
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

# (rule id, CSS selector of the element the violating node sits in): Streamlit's and
# plotly's own, which the page cannot change.
ALLOWED = [
    # st.caption's grey (#828180 on white, 3.9:1) is Streamlit's theme colour for captions.
    ("color-contrast", "[data-testid=stCaptionContainer]"),
    # The same grey in the sidebar's caption (#7f7e7d on the sidebar's #f8f8f7).
    ("color-contrast", "[data-testid=stSidebar] [data-testid=stCaption], [data-testid=stSidebar] .stCaption"),
    # The selected option of st.segmented_control: Streamlit's red on pink, 4.47:1.
    ("color-contrast", "[data-testid=stButtonGroup]"),
]

# Every violation, each node with the allowed container it sits in (or null).
RUN_AXE = """async (allowed) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => {
      const el = document.querySelector(n.target[0]);
      const within = allowed.filter(([rule, sel]) => rule === v.id && el && el.closest(sel)).map(([, sel]) => sel);
      return {target: n.target.join(' '), html: n.html.slice(0, 200), allowed: within[0] || null};
    }),
  }));
}"""


@pytest.fixture(scope="module")
def server():
    with running_server(REAL_DATA, "accessibility") as srv:
        yield srv


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1400})
    yield context.new_page()
    context.close()


def open_app(page, server, query: str):
    page.goto(server.url + query)
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    page.wait_for_function("() => !document.querySelector('[data-testid=stSkeleton]')", timeout=WAIT)
    page.wait_for_timeout(1000)  # the last elements settle
    return page


VIEWS = {
    "default": "?date=2019-06-01",
    "country-compare": "?date=2019-06-01&country=GBR&from=2018-12-01",
    "search": "?date=2019-06-01&q=core",
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_axe_finds_no_violation_of_ours(page, server, name):
    open_app(page, server, VIEWS[name])
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE, [list(a) for a in ALLOWED])
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / f"axe-violations-{name}.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    ours = [(v["id"], n["target"], n["html"]) for v in found for n in v["nodes"] if not n["allowed"]]
    assert ours == []


def tab_to(page, test: str, presses: int = 120) -> None:
    """Press Tab until the focused element passes ``test`` (a JavaScript function of it)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element passing {test}")


def test_every_interaction_works_from_the_keyboard(page, server):
    open_app(page, server, "?date=2019-06-01")
    # The date slider: Tab to it, ArrowLeft, and the day moves back by one.
    tab_to(page, "(e) => e.type === 'range'")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".day-marker-label")).to_contain_text("2019-05-31", timeout=WAIT)
    page.wait_for_function("() => location.search.includes('date=2019-05-31')", timeout=WAIT)
    # The step button: Tab to it, Enter, and the day is the previous change.
    tab_to(page, "(e) => e.tagName === 'BUTTON' && e.innerText.includes('Previous change')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('date=2019-04-23')", timeout=WAIT)
    # Play: Space starts it (the day moves on by itself), Space again stops it.
    tab_to(page, "(e) => e.type === 'checkbox' && e.getAttribute('aria-label') === 'Play'")
    page.keyboard.press("Space")
    page.wait_for_function("() => !location.search.includes('date=2019-04-23')", timeout=WAIT)
    page.keyboard.press("Space")
    expect(page.get_by_role("switch", name="Play")).not_to_be_checked(timeout=WAIT)
    # The record picker: type a name, Enter, and its evidence opens.
    tab_to(page, "(e) => e.tagName === 'INPUT' && (e.getAttribute('aria-label') || '').includes('Evidence for')")
    page.keyboard.type("United Kingdom")
    page.keyboard.press("Enter")
    expect(page.locator(".evidence-current")).to_contain_text("United Kingdom", timeout=WAIT)
    page.wait_for_function("() => location.search.includes('country=GBR')", timeout=WAIT)
    # The map region, a group of radio buttons: Tab to it, ArrowRight to "Europe", Space.
    tab_to(page, "(e) => e.getAttribute('role') === 'radio'")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Europe")).to_have_attribute("aria-checked", "true", timeout=WAIT)


def test_the_sidebar_works_from_the_keyboard(page, server):
    open_app(page, server, "?date=2019-06-01")
    # The search box: type, Enter, and the results show.
    tab_to(page, "(e) => e.tagName === 'INPUT' && e.getAttribute('aria-label') === 'Search the evidence'")
    page.keyboard.type("core")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('q=core')", timeout=WAIT)
    expect(page.get_by_role("button", name="Open this event").first).to_be_visible(timeout=WAIT)
    # The comparison date: its three fields typed (each moves on to the next when full),
    # then Tab past its calendar button: the date is taken when the focus leaves the widget.
    tab_to(page, "(e) => (e.getAttribute('aria-label') || '').startsWith('year, Compare')")
    page.keyboard.type("20181201")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.wait_for_function("() => location.search.includes('from=2018-12-01')", timeout=WAIT)
