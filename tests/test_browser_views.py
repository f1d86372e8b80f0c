"""The reader views in a real browser: comparing two dates, searching the evidence and
reading a whole article (the server and the browser as in tests/test_browser.py)."""

from __future__ import annotations

import pytest

from browser_support import chromium_missing_reason

_reason = chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")

from playwright.sync_api import expect  # noqa: E402
from test_browser import WAIT, data_dir, open_app, rgb, server, shot, watched  # noqa: E402, F401  (fixtures)

from stances import view  # noqa: E402

OUTLINE = rgb(view.CHANGED_OUTLINE)


def test_comparing_two_dates_outlines_lists_and_links_the_changes(watched, server):
    page = open_app(watched, server, "?from=2018-12-01&date=2019-06-30")
    expect(page.get_by_text("Changes from 2018-12-01 to 2019-06-30")).to_be_visible(timeout=WAIT)
    outlined = page.evaluate(
        """(colour) => [...document.querySelectorAll('.choroplethlocation')]
            .filter(p => p.style.stroke === colour).length""",
        OUTLINE,
    )
    assert outlined == 4  # GBR, DEU, JPN and TWN; Singapore is a marker
    link = page.get_by_role("link", name="GBR-2019-04-23-4")
    expect(link).to_have_count(1)
    href = link.get_attribute("href") or ""
    assert "from=2018-12-01" in href and "country=GBR" in href and "event=GBR-2019-04-23-4" in href
    shot(page, "compare-2018-12-01-2019-06-30")
    page.goto(server.url + href[href.index("?") :])
    expect(page.locator(".evidence-event").first).to_contain_text("event GBR-2019-04-23-4", timeout=WAIT)
    expect(page.get_by_text("Changes from 2018-12-01 to 2019-06-30")).to_be_visible()


def test_searching_the_evidence_and_opening_a_result(watched, server):
    page = open_app(watched, server, "?date=2019-06-01")
    box = page.get_by_role("textbox", name="Search the evidence")
    box.fill("WILLIAMSON")
    box.press("Enter")
    hit = page.locator(".search-hit").first
    expect(hit).to_contain_text("United Kingdom", timeout=WAIT)
    expect(hit.locator("mark").first).to_have_text("Williamson")
    page.get_by_role("button", name="Open this event").first.click()
    expect(page.locator(".evidence-event").first).to_contain_text("Gavin Williamson", timeout=WAIT)
    assert "q=WILLIAMSON" in page.url and "country=GBR" in page.url
    shot(page, "search-williamson")


def test_reading_a_whole_article_and_going_back(watched, server):
    page = open_app(watched, server, "?date=2019-06-01&country=GBR&article=uk-defence-concerns")
    reader = page.locator(".article-reader")
    expect(reader).to_be_visible(timeout=WAIT)
    expect(reader.locator("mark").first).to_be_visible()
    assert reader.locator("mark").count() >= 1
    assert reader.locator("sup a").first.get_attribute("href").startswith("?")
    shot(page, "reader-uk-defence-concerns")
    page.get_by_role("button", name="← Back to the evidence").click()
    expect(reader).to_have_count(0, timeout=WAIT)
    expect(page.locator(".evidence-event").first).to_be_visible()
    assert "article=" not in page.url
