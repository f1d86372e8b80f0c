"""The dashboard in a real browser: `streamlit run app.py` and headless Chromium (Playwright).

One server per module, on the self-contained test data (tests/browser_support.py). Every
page records its requests and console messages; nothing may leave 127.0.0.1 and nothing may
be logged as an error. Screenshots go to test-output/ for a person to look at.

Skipped only where /usr/bin/chromium is missing and CI is unset; under CI a missing browser
fails. `playwright install` is never called: it downloads browsers, which cannot work here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import pytest

from browser_support import (
    FORMULA_SCOPE,
    HOSTILE_ACTOR,
    HOSTILE_ORG_NAME,
    HOSTILE_QUOTE,
    HOSTILE_SUMMARY,
    OUTPUT,
    StreamlitServer,
    break_data_dir_hostile,
    chromium_missing_reason,
    make_data_dir,
    running_server,
)

_reason = chromium_missing_reason()  # raises under CI when chromium is missing
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from stances import events_frame, load_dataset, snapshot_frame, to_csv, view  # noqa: E402
from stances.snapshot import category_of  # noqa: E402

WAIT = 30_000  # ms
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


RGB = {label: rgb(c) for label, c in view.COLOURS.items()}
FADED = {label: rgb(view.fade(c)) for label, c in view.COLOURS.items()}
MAP_LEGEND = [*view.CATEGORIES, "faded: last report over a year old", "(?) reported or low confidence"]

# A point inside an SVG path's fill, in page coordinates (plotly's geo background catches the
# pointer, so clicks go to a position, and the centre of a bounding box may be in the sea).
POINT_IN_PATH = """(el) => {
  const box = el.getBBox(), ctm = el.getScreenCTM(), svg = el.ownerSVGElement;
  for (let n = 3; n <= 41; n += 2) {
    for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
      const p = svg.createSVGPoint();
      p.x = box.x + box.width * i / n; p.y = box.y + box.height * j / n;
      if (el.isPointInFill(p)) { const q = p.matrixTransform(ctm); return [q.x, q.y]; }
    }
  }
  return null;
}"""
FILL_OF = """(iso) => {
  const el = [...document.querySelectorAll('.choroplethlocation')].find(e => e.__data__ && e.__data__.loc === iso);
  return el ? el.getAttribute('fill') : null;
}"""


@dataclass
class Watched:
    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlparse(u).scheme not in ("data", "blob", "about") and urlparse(u).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return make_data_dir(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def ds(data_dir):
    return load_dataset(data_dir)


@pytest.fixture(scope="module")
def server(data_dir):
    with running_server(data_dir, "browser") as srv:
        yield srv


@contextmanager
def watched_page(browser):
    """A fresh page that records requests, console errors and dialogs; checked afterwards."""
    context = browser.new_context(viewport={"width": 1500, "height": 1900}, accept_downloads=True)
    page = context.new_page()
    w = Watched(page)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.console_errors.append(str(e)))
    page.on("dialog", lambda d: (w.dialogs.append(d.message), d.dismiss()))
    yield w
    context.close()
    assert w.outside() == [], "requests left the machine"
    assert w.console_errors == []
    assert w.dialogs == [], "data text ran as script"


@pytest.fixture
def watched(browser, server):
    with watched_page(browser) as w:
        yield w


def open_app(w: Watched, server, query: str = "") -> object:
    page = w.page
    page.goto(server.url + query)
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    return page


def fill(page, iso3: str) -> str | None:
    return page.evaluate(FILL_OF, iso3)


def wait_fill(page, iso3: str, label: str) -> None:
    page.wait_for_function(f"(iso) => ({FILL_OF})(iso) === '{RGB[label]}'", arg=iso3, timeout=WAIT)


def click_country(page, iso3: str) -> None:
    index = page.evaluate(
        """(iso) => [...document.querySelectorAll('.choroplethlocation')]
        .findIndex(e => e.__data__ && e.__data__.loc === iso)""",
        iso3,
    )
    assert index >= 0, f"{iso3} is not drawn"
    x, y = page.locator(".choroplethlocation").nth(index).evaluate(POINT_IN_PATH)
    page.mouse.click(x, y)


def drawn_countries(page) -> list[str]:
    """The country of every path of the map's choropleths, sorted."""
    return sorted(
        page.evaluate("""() => [...document.querySelectorAll('.choroplethlocation')]
        .map(e => e.__data__ && e.__data__.loc)""")
    )


def query_of(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def open_popover(page, label: str) -> None:
    """Click the popover ``label`` open ("Download the map", "Download the data (CSV)"); the
    download buttons in it are drawn by the rerun that follows."""
    page.get_by_role("button", name=re.compile(re.escape(label) + "$")).click()


def shot(page, name: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


# --- tests ----------------------------------------------------------------------------


def test_map_draws_offline_in_stance_colours(watched, server, ds):
    page = open_app(watched, server, "?date=2019-06-01")
    shapes = view.geometry_ids()
    drawn = {k for k in ds.countries if k in shapes}
    expect(page.locator(".choroplethlocation")).to_have_count(len(drawn), timeout=WAIT)
    snapshot = snapshot_frame(ds, dt.date(2019, 6, 1))
    for row in snapshot.to_dict("records"):
        if row["iso3"] in shapes:  # none is a year past its last evidence on this day
            assert fill(page, row["iso3"]) == RGB[category_of(row)], row["iso3"]
    # The base map came from the app itself: land and country outlines are drawn.
    assert page.locator(".geo .layer.land path").count() >= 1
    assert page.locator(".geo .layer.countries path").count() >= 1
    geometry = [u for u in watched.requests if u.endswith("world_110m.json")]
    assert geometry and all(urlparse(u).path == "/app/static/world_110m.json" for u in geometry)
    # Singapore has no shape at this scale: a clickable marker in its stance colour.
    points = page.locator(".scattergeo path.point")
    expect(points).to_have_count(4)  # Singapore's marker, and the badges of AUS, DEU and GBR
    styles = points.evaluate_all("els => els.map(e => e.getAttribute('style') || '')")
    assert sum(RGB["review"] in style for style in styles) == 1
    # The legend lists every category, in order.
    the_map = page.locator(".js-plotly-plot").filter(has=page.locator(".geo"))
    legend = the_map.locator(".legend .traces .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert legend == MAP_LEGEND
    shot(page, "map-2019-06-01")


def test_clicking_a_country_opens_its_evidence(watched, server, ds):
    page = open_app(watched, server, "?date=2019-06-01")
    click_country(page, "AUS")
    quote = ds.records["AUS"].events[0].sources[0].quote
    expect(page.locator(".evidence-quote").first).to_contain_text(quote, timeout=WAIT)
    expect(page.locator(".evidence-current")).to_contain_text("Australia")
    assert query_of(page)["country"] == "AUS"
    # Australia is drawn once more, last, with a black outline.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.choroplethlocation')]"
        ".filter(e => e.__data__.loc === 'AUS').length === 2",
        timeout=WAIT,
    )
    strokes = page.evaluate("""() => [...document.querySelectorAll('.choroplethlocation')]
        .filter(e => e.__data__.loc === 'AUS').map(e => e.style.stroke)""")
    assert strokes == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    # Clicking the same country again clears plotly's selection; the panel stays.
    click_country(page, "AUS")
    page.wait_for_timeout(1500)
    expect(page.locator(".evidence-quote").first).to_contain_text(quote)
    # Then another country.
    click_country(page, "GBR")
    expect(page.locator(".evidence-current")).to_contain_text("United Kingdom", timeout=WAIT)
    expect(
        page.locator(".evidence-quote").filter(has_text="barred from involvement in its critical core")
    ).to_have_count(1)
    # The article around the quote, the quote highlighted: folded in the card, opened by
    # the browser.
    last = ds.records["GBR"].events[-1]
    around = page.locator("details.evidence-around").last
    mark = around.locator(".article-context mark").last
    expect(mark).to_be_hidden()
    around.get_by_text(re.compile("^Read the articles? around the")).click()
    expect(mark).to_have_text(last.sources[-1].quote, timeout=WAIT)
    expect(mark).to_be_visible()
    mark.scroll_into_view_if_needed()
    shot(page, "evidence-GBR")
    # Its link opens the whole article in the reader, in a new tab at the page's link; this
    # page stays as it is, its context open.
    before = query_of(page)
    with page.context.expect_page(timeout=WAIT) as opened:
        around.locator("a.evidence-read").last.click()
    reader = opened.value
    expect(reader.locator(".article-reader")).to_be_visible(timeout=WAIT)
    assert query_of(reader) == {**before, "article": last.sources[-1].article}
    reader.get_by_role("button", name="← Back to the evidence").click()
    expect(reader.locator(".evidence-current")).to_contain_text("United Kingdom", timeout=WAIT)
    assert "article" not in query_of(reader)
    reader.close()
    assert query_of(page) == before and mark.is_visible()


def test_small_country_marker_and_literal_text(watched, server):
    page = open_app(watched, server, "?date=2019-06-01")
    marker = page.locator(".scattergeo path.point").first
    box = marker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator(".evidence-current")).to_contain_text("Singapore", timeout=WAIT)
    card = page.locator(".evidence-event").first
    expect(card).to_contain_text(HOSTILE_SUMMARY)
    expect(card).to_contain_text(HOSTILE_ACTOR)
    assert card.locator("script, img, a:not(.evidence-read)").count() == 0
    assert card.locator("i").all_inner_texts() == ["government"]  # the app's own markup only
    assert page.locator("a[href^='javascript']").count() == 0
    assert query_of(page)["country"] == "SGP"
    shot(page, "evidence-SGP-literal-text")


def test_stepping_and_the_slider_recolour_a_country(watched, server):
    page = open_app(watched, server, "?date=2018-12-16")
    wait_fill(page, "GBR", view.NO_POSITION)
    page.get_by_role("button", name="Next change ▶").click()
    wait_fill(page, "GBR", "review")
    page.wait_for_function("() => location.search.includes('date=2018-12-28')", timeout=WAIT)
    # One day before the National Security Council decision, then a keyboard step of a day.
    page.goto(server.url + "?date=2019-04-22")
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    wait_fill(page, "GBR", "review")
    slider = page.locator("[data-testid=stSlider] input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_fill(page, "GBR", "core-only exclusion")
    expect(page.locator("[data-testid=stSliderThumbValue]")).to_have_text("2019-04-23")
    page.wait_for_function("() => location.search.includes('date=2019-04-23')", timeout=WAIT)
    shot(page, "after-step-2019-04-23")


def test_play_steps_to_the_last_change_and_stops(watched, server):
    page = open_app(watched, server, "?date=2019-02-11")
    wait_fill(page, "GBR", "review")
    page.get_by_text("Play", exact=True).click()
    wait_fill(page, "GBR", "core-only exclusion")  # 2019-04-23, the last change
    expect(page.locator("[data-testid=stSliderThumbValue]")).to_have_text("2019-04-23", timeout=WAIT)
    page.wait_for_function("() => location.search.includes('date=2019-04-23')", timeout=WAIT)
    expect(page.get_by_role("switch", name="Play")).not_to_be_checked(timeout=WAIT)


def test_the_levels_filter_redraws_the_timeline(watched, server):
    """The timeline is outside the part a date change reruns; a filter still redraws it."""
    page = open_app(watched, server, "?date=2019-06-01")
    timeline = page.locator(".st-key-timeline .js-plotly-plot")
    diamonds = timeline.locator(".scatterlayer path.point")
    expect(diamonds.first).to_be_visible(timeout=WAIT)
    page.get_by_text("List agency and operator actions").click()
    expect(diamonds).to_have_count(0, timeout=WAIT)
    assert query_of(page)["levels"] == "government"


def test_filters_change_the_map(watched, server, ds):
    page = open_app(watched, server, "?date=2019-06-01&alliance=EU")
    expect(page.locator(".choroplethlocation")).to_have_count(2, timeout=WAIT)
    assert drawn_countries(page) == ["DEU", "GBR"]
    page.goto(server.url + "?date=2020-02-01&alliance=EU")  # the UK has left
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    expect(page.locator(".choroplethlocation")).to_have_count(1, timeout=WAIT)
    assert fill(page, "DEU") == RGB["allow"]


def test_downloaded_csv_has_the_expected_rows(watched, server, ds):
    page = open_app(watched, server, "?date=2019-06-01&alliance=Five%20Eyes")
    open_popover(page, "Download the data (CSV)")
    button = page.get_by_role("button", name=re.compile("Download this snapshot"))
    expect(button).to_have_text("Download this snapshot (CSV, 3 rows)", timeout=WAIT)
    shot(page, "downloads-data")
    with page.expect_download(timeout=WAIT) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "huawei-5g-snapshot_2019-06-01_five-eyes.csv"
    text = open(download.path(), encoding="utf-8").read()
    expected = snapshot_frame(ds, dt.date(2019, 6, 1), ["Five Eyes"])
    assert text == to_csv(expected)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["iso3"]: r["stance"] for r in rows} == {"AUS": "ban", "NZL": "ban", "GBR": "core-only exclusion"}

    with page.expect_download(timeout=WAIT) as info:
        page.get_by_role("button", name=re.compile("Download the event log")).click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert text == to_csv(events_frame(ds, {"AUS", "NZL", "GBR"}))
    assert {r["iso3"] for r in csv.DictReader(io.StringIO(text))} == {"AUS", "NZL", "GBR"}


def test_shared_link_restores_the_view_and_bad_links_warn(watched, server):
    page = open_app(watched, server, "?date=2019-02-01&stance=review&levels=government&country=DEU")
    expect(page.locator(".evidence-current")).to_contain_text("Germany", timeout=WAIT)
    # DEU and GBR under review; DEU, the chosen one, drawn a second time with its outline.
    expect(page.locator(".choroplethlocation")).to_have_count(3)
    assert drawn_countries(page) == ["DEU", "DEU", "GBR"]
    assert query_of(page) == {"date": "2019-02-01", "stance": "review", "levels": "government", "country": "DEU"}
    page.goto(server.url + "?date=not-a-date&country=ZZZ")
    page.wait_for_selector(".choroplethlocation", timeout=WAIT)
    alerts = page.locator("[data-testid=stAlert]")
    expect(alerts).to_have_count(2, timeout=WAIT)
    expect(alerts.first).to_contain_text("not-a-date")
    assert query_of(page) == {"date": "2019-04-23"}


# --- hostile text ---------------------------------------------------------------------

# Anything the data could inject: elements from the payloads, links to script, remote images.
INJECTED = "img[src='x'], img[src*='example.invalid'], a[href^='javascript'], [onerror], script:not([src])"


def assert_nothing_injected(page) -> None:
    found = page.locator(INJECTED).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 120))")
    # Streamlit's own inline scripts carry no payload; only count those holding one.
    assert [h for h in found if "alert(" in h or "example.invalid" in h or 'src="x"' in h] == []


def hover_at(page, x: float, y: float) -> str:
    """Move the pointer to ``(x, y)``; the text of the plotly hover label there."""
    page.mouse.move(1, 1)  # away first, so the last label goes
    expect(page.locator(".hoverlayer .hovertext")).to_have_count(0, timeout=WAIT)
    page.mouse.move(x, y)
    label = page.locator(".hoverlayer .hovertext").first
    label.wait_for(timeout=WAIT)
    assert page.locator(".hoverlayer a").count() == 0  # plotly makes <a> from href markup
    return label.text_content() or ""


def centre(box) -> tuple[float, float]:
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def timeline_row(page, timeline, name: str, element: str) -> tuple[float, float]:
    """A point of ``element`` (".barlayer path", ".scatterlayer path.point") in ``name``'s row,
    inside the visible plot area (a band may start before the range shown): the middle of the
    widest one visible (a band of a day or two sits under the diamonds)."""
    tick = timeline.locator(".ytick text").filter(has_text=re.compile(f"^{re.escape(name)}$"))
    for attempt in range(3):  # plotly may redraw its axes (a relayout) between two steps
        try:
            tick.scroll_into_view_if_needed()  # the pointer reaches only what is in the window
            break
        except PlaywrightError as error:
            if "not attached" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(300)
    row_y = centre(tick.bounding_box())[1]
    area = timeline.locator(".nsewdrag").first.bounding_box()
    spans = []
    for box in timeline.locator(element).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return {x: r.x, y: r.y, width: r.width, height: r.height}; })"
    ):
        if abs(centre(box)[1] - row_y) > 4:
            continue
        left, right = max(box["x"], area["x"]), min(box["x"] + box["width"], area["x"] + area["width"])
        if left < right:
            spans.append((right - left, (left + right) / 2))
    assert spans, f"no {element} in the {name} row"
    return max(spans)[1], row_y


def test_hostile_text_in_the_map_and_timeline_hovers_is_literal(watched, server):
    page = open_app(watched, server, "?date=2019-06-01")
    text = hover_at(page, *centre(page.locator(".scattergeo path.point").first.bounding_box()))
    assert "Singapore" in text and f"decided by {HOSTILE_ACTOR} (official)" in text, text
    timeline = page.locator(".st-key-timeline .js-plotly-plot")
    band = hover_at(page, *timeline_row(page, timeline, "Singapore", ".barlayer path"))
    assert (
        band.startswith("Singapore5G stance: review, 2019-02-12 to 2020-02-12")
        and f"decided by {HOSTILE_ACTOR}" in band
    ), band
    agency = hover_at(page, *timeline_row(page, timeline, "Singapore", ".scatterlayer path.point"))
    assert f"{HOSTILE_ACTOR} (agency)" in agency and HOSTILE_SUMMARY[:100] in agency, agency
    assert_nothing_injected(page)
    shot(page, "hostile-timeline-hover")


def test_hostile_text_in_the_evidence_panel_and_article_is_literal(watched, server):
    page = open_app(watched, server, "?date=2019-06-01&country=SGP")
    panel = page.locator("[data-testid=stVerticalBlock]").filter(has=page.locator(".evidence-current")).last
    cards = page.locator(".evidence-event")
    expect(cards.first).to_contain_text(HOSTILE_SUMMARY, timeout=WAIT)
    expect(cards.first.locator(".evidence-quote")).to_have_text(f"“{HOSTILE_QUOTE}”")
    expect(cards.first).to_contain_text(f"scope: {FORMULA_SCOPE}")
    expect(cards.nth(1)).to_contain_text(f"{HOSTILE_ACTOR} · agency")
    page.get_by_text(re.compile("^Read the articles? around the")).first.click()
    context = page.locator(".article-context").first
    expect(context.locator("mark")).to_have_text(HOSTILE_QUOTE, timeout=WAIT)
    expect(page.locator(".evidence-cite").first).to_contain_text("Test article <b>not bold</b> <img src=x")
    assert panel.locator("script, img, a:not(.evidence-read), strong, em").count() == 0
    assert panel.locator("a.evidence-read").count() == panel.locator(".article-context").count()  # the page's own
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", t) for t in panel.locator("b").all_inner_texts())  # the app's own
    assert_nothing_injected(page)
    shot(page, "hostile-evidence-SGP")


def test_hostile_organisation_name_in_the_picker_is_literal(watched, server):
    page = open_app(watched, server, "?date=2019-06-01")
    label = f"{HOSTILE_ORG_NAME} (organisation)"
    page.locator("[data-testid=stSelectbox]").filter(has_text="Evidence for").click()
    option = page.get_by_role("option").filter(has_text="[Org](javascript:alert(1))")
    expect(option).to_have_text(label, timeout=WAIT)
    assert page.get_by_role("listbox").locator("script, img, a, strong").count() == 0
    assert_nothing_injected(page)
    option.click()
    expect(page.locator(".evidence-current")).to_contain_text(HOSTILE_ORG_NAME, timeout=WAIT)
    expect(page.get_by_role("combobox", name="Evidence for")).to_have_value(label)
    assert page.locator(".evidence-current img, .evidence-current script").count() == 0
    assert_nothing_injected(page)
    shot(page, "hostile-organisation")


def test_hostile_text_in_the_downloaded_csv_is_literal_and_neutralised(watched, server):
    page = open_app(watched, server, "?date=2019-06-01&country=SGP")
    open_popover(page, "Download the data (CSV)")
    with page.expect_download(timeout=WAIT) as info:
        page.get_by_role("button", name=re.compile("Download this snapshot")).click()
    rows = {r["iso3"]: r for r in csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read()))}
    assert rows["SGP"]["scope"] == "'" + FORMULA_SCOPE
    assert (rows["SGP"]["actor"], rows["SGP"]["summary"]) == (HOSTILE_ACTOR, HOSTILE_SUMMARY)


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    """A server on data whose problems carry HTML and markdown from the data."""
    data = make_data_dir(tmp_path_factory.mktemp("broken"))
    expected = break_data_dir_hostile(data)
    srv = StreamlitServer(data, OUTPUT / "browser-broken-streamlit.log")
    try:
        srv.wait()
        yield srv, expected
    finally:
        srv.stop()


def test_hostile_text_in_the_problem_list_is_literal(browser, broken):
    srv, expected = broken
    with watched_page(browser) as w:
        page = w.page
        page.goto(srv.url)
        alert = page.locator("[data-testid=stAlert]")
        expect(alert).to_contain_text("The data does not validate", timeout=WAIT)
        code = alert.locator("pre code")
        for text in expected:
            expect(code).to_contain_text(text)
        assert alert.locator("img, script, a").count() == 0
        assert_nothing_injected(page)
        shot(page, "hostile-problems")


BOX_OF = """(iso) => { const el = [...document.querySelectorAll('.choroplethlocation')]
  .find(e => e.__data__ && e.__data__.loc === iso); const r = el.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom]; }"""
MARKS = """() => [...document.querySelectorAll('.geo .scattergeo text')]
  .filter(e => e.textContent === '?').map(e => { const r = e.getBoundingClientRect();
  return [(r.left + r.right) / 2, (r.top + r.bottom) / 2]; })"""


def marked(page, iso3: str) -> bool:
    """Whether a '?' is drawn inside ``iso3``'s shape's bounding box."""
    left, top, right, bottom = page.evaluate(BOX_OF, iso3)
    return any(left <= x <= right and top <= y <= bottom for x, y in page.evaluate(MARKS))


def test_scope_certainty_and_age_each_have_their_own_look(watched, server, ds):
    page = open_app(watched, server, "?date=2019-06-01")
    # New Zealand: an official 5G ban. Australia: a reported one. Japan: a ban on government
    # purchases only. Taiwan: "limits" of unstated extent.
    assert fill(page, "NZL") == fill(page, "AUS") == RGB["ban"]
    assert fill(page, "JPN") == fill(page, "TWN") == RGB[view.OUTSIDE_ONLY] != RGB["ban"]
    expect(page.locator(".geo .scattergeo text")).to_have_count(3, timeout=WAIT)  # AUS, DEU, GBR
    assert marked(page, "AUS") and not marked(page, "NZL") and not marked(page, "JPN")
    the_map = page.locator(".js-plotly-plot").filter(has=page.locator(".geo"))
    legend = the_map.locator(".legend .traces .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert legend == MAP_LEGEND
    timeline = page.locator(".st-key-timeline .js-plotly-plot")
    names = timeline.locator(".legend .traces .legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert {
        "restricted outside 5G only",
        "hatched: reported or low confidence",
        "faded: last report over a year old",
    } <= set(names)
    hatched = timeline.locator(".barlayer path").evaluate_all(
        "els => els.filter(e => (e.style.fill || '').startsWith('url(')).length"
    )
    assert hatched >= 3  # the reported bands of Australia, Germany and the UK
    shot(page, "looks-2019-06-01")
    # A badge does not swallow the click on its country.
    left, top, right, bottom = page.evaluate(BOX_OF, "AUS")
    [(x, y)] = [(x, y) for x, y in page.evaluate(MARKS) if left <= x <= right and top <= y <= bottom]
    page.mouse.click(x, y)
    expect(page.locator(".evidence-current")).to_contain_text("Australia", timeout=WAIT)
    # At the horizon every position's last report is over a year old: faded, still marked.
    page.goto(server.url + "?date=2020-12-04&country=JPN")
    page.wait_for_function(f"(iso) => ({FILL_OF})(iso) === '{FADED['ban']}'", arg="NZL", timeout=WAIT)
    assert fill(page, "JPN") == FADED[view.OUTSIDE_ONLY]
    assert marked(page, "AUS")
    expect(page.locator(".evidence-last")).to_contain_text("over 365 days before this date")
    expect(page.locator(".evidence-outside")).to_contain_text("ban: Government procurement")
    shot(page, "looks-2020-12-04")


def test_a_link_past_the_horizon_opens_on_it(watched, server):
    page = open_app(watched, server, "?date=2026-01-01")
    expect(page.locator("[data-testid=stSliderThumbValue]")).to_have_text("2020-12-04", timeout=WAIT)
    expect(page.locator("[data-testid=stAlert]")).to_contain_text("the evidence ends on 2020-12-04")
    expect(page.get_by_text("Evidence up to")).to_contain_text("2020-12-04")
    page.wait_for_function("() => location.search.includes('date=2020-12-04')", timeout=WAIT)
    shot(page, "past-the-horizon")


def test_a_link_to_an_event_shows_it_first(watched, server):
    page = open_app(watched, server, "?date=2019-06-01&event=GBR-2019-04-23-4")
    first = page.locator(".evidence-event").first
    expect(first).to_contain_text("event GBR-2019-04-23-4", timeout=WAIT)
    assert "background:#FFF6D5" in (first.get_attribute("style") or "")  # highlighted
    expect(page.get_by_text("The linked event")).to_be_visible()
    assert query_of(page)["event"] == "GBR-2019-04-23-4"
    shot(page, "linked-event")
