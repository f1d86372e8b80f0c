"""The map as a PNG and an SVG to download: the words on it, the drawing in the local
Chromium with no network at all, the page's buttons, a server without a browser, and links
that embed the page.

The pictures are drawn once per module, in a subprocess cut off from every network
(``unshare -rn``: not even loopback is up), so the map shapes on them prove that nothing was
fetched. Skipped only where /usr/bin/chromium is missing and CI is unset.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import plotly.graph_objects as go
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from test_app import app, ok, qp  # noqa: F401  (fixtures)

from stances import load_dataset, view
from stances.package import changelog_version
from stances.view import image

from browser_support import OUTPUT, ROOT, chromium_missing_reason, make_data_dir, open_downloads, running_server

DAY = dt.date(2019, 6, 1)
STATE = view.ViewState(day=DAY, country="GBR")
LEGEND = [trace["name"] for trace in view.map_legend()]
SOURCE = (
    "Source: huawei-5g-stances, data release unreleased, evidence up to 2020-12-04; each colour cites a dated article"
)
_browser = chromium_missing_reason()  # raises under CI when chromium is missing
needs_browser = pytest.mark.skipif(_browser is not None, reason=_browser or "")
WAIT = 120_000  # ms: a picture starts a second browser on a shared machine


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return make_data_dir(tmp_path_factory.mktemp("image"))


@pytest.fixture(scope="module")
def ds(data_dir):
    return load_dataset(data_dir)


def map_of(ds, state: view.ViewState, region: str = "World") -> go.Figure:
    """The map the page draws for ``state``."""
    rows = view.SnapshotTables(ds).shown(ds, state).rows
    return view.map_figure_of(rows, state.day, state.country, view.geometry_centres(), view.marker_positions(), region)


def export(data_dir: str, out: str) -> None:
    """Write map.png and map.svg of STATE into ``out``, and the seconds each took."""
    ds = load_dataset(data_dir)
    for fmt in ("png", "svg"):
        started = time.perf_counter()
        made = view.map_image(map_of(ds, STATE), ds, STATE, fmt, view.release_of(Path(data_dir)))
        Path(out, f"map.{fmt}").write_bytes(made)
        Path(out, f"{fmt}.seconds").write_text(f"{time.perf_counter() - started:.2f}")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_texts(data: bytes) -> list[str]:
    """Every text element's words, in document order (the SVG must parse)."""
    root = ET.fromstring(data)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


def svg_paths(data: bytes, css_class: str) -> list[ET.Element]:
    return [el for el in ET.fromstring(data).iter("{http://www.w3.org/2000/svg}path") if el.get("class") == css_class]


def offline() -> str | None:
    """Why a process cannot be cut off from the network here, or None."""
    if not shutil.which("unshare"):
        return "unshare (util-linux) is missing"
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        return "unshare -rn is not permitted here"
    return None


@pytest.fixture(scope="module")
def pictures(data_dir, tmp_path_factory) -> dict[str, bytes]:
    """The PNG and SVG of STATE, drawn in a process with no network."""
    if _browser:
        pytest.skip(_browser)
    if why := offline():
        pytest.skip(why)
    out = tmp_path_factory.mktemp("pictures")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    code = "import sys, test_map_image as t; t.export(*sys.argv[1:])"
    run = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", code, str(data_dir), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    for fmt in ("png", "svg"):
        print(f"{fmt}: {(out / f'{fmt}.seconds').read_text()} s with no network")
    return {fmt: (out / f"map.{fmt}").read_bytes() for fmt in ("png", "svg")}


# --- the words and the layout -----------------------------------------------------------


def test_title_names_the_day():
    assert image.title_of(STATE) == "Government stances on Huawei in 5G networks, as of 2019-06-01"


@pytest.mark.parametrize(
    "state, outlined, words",
    [
        (view.ViewState(day=DAY), None, "No filters: every country with a record."),
        (
            view.ViewState(day=DAY, alliances=("Five Eyes", "NATO"), stances=("ban", "review")),
            None,
            "Filters: members of Five Eyes or NATO on 2019-06-01; 5G stance ban or review.",
        ),
        (
            view.ViewState(day=DAY, stances=("no recorded position",), start=dt.date(2019, 1, 1)),
            "United Kingdom (GBR)",
            "Filters: 5G stance no recorded position. Outlined in blue: changed from 2019-01-01 to "
            "2019-06-01. Outlined in black: United Kingdom (GBR).",
        ),
    ],
)
def test_filters_in_words(state, outlined, words):
    assert image.filters_of(state, outlined) == words


def test_source_line_names_release_and_horizon(ds):
    assert image.source_of("unreleased", ds) == SOURCE


def test_release_is_the_changelog_beside_the_data(tmp_path):
    (tmp_path / "data").mkdir()
    assert image.release_of(tmp_path / "data") == "unreleased"
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## 2027-01-02: more\n\n## 2026-11-27: first\n")
    assert image.release_of(tmp_path / "data") == "2027-01-02"
    assert image.release_of(ROOT / "data") == changelog_version(ROOT / "CHANGELOG.md")  # the shipped data


def test_file_names_follow_the_csv_downloads():
    state = view.ViewState(day=DAY, alliances=("Five Eyes",), stances=("ban", "no recorded position"))
    assert view.file_name("snapshot", state) == "huawei-5g-snapshot_2019-06-01_five-eyes_ban+none.csv"
    assert image.image_file_name(state, "World", "png") == "huawei-5g-map_2019-06-01_five-eyes_ban+none.png"
    assert image.image_file_name(STATE, "Asia-Pacific", "svg") == "huawei-5g-map_2019-06-01_asiapacific.svg"


def test_print_figure_keeps_the_map_and_adds_title_filters_legend_and_source(ds):
    fig = map_of(ds, STATE)
    printed = image.print_figure(fig, ds, STATE, "unreleased")
    assert printed["data"] == fig.to_plotly_json()["data"]  # colours, faded, ?, outlines: as shown
    layout = printed["layout"]
    assert (layout["width"], layout["height"]) == (1600, 1000)
    assert layout["title"]["text"] == "<b>Government stances on Huawei in 5G networks, as of 2019-06-01</b>"
    assert layout["title"]["subtitle"]["text"] == (
        "No filters: every country with a record. Outlined in black: United Kingdom (GBR)."
    )
    assert [a["text"] for a in layout["annotations"]] == [SOURCE]
    assert layout["geo"] == fig.layout.geo.to_plotly_json()
    assert layout["legend"]["title"]["text"] == "5G stance:"
    go.Figure(printed)  # every property is one plotly knows


def test_print_figure_outlines_only_what_is_drawn(ds):
    organisation = view.ViewState(day=DAY, country="european-commission")  # never on the map
    filtered_out = view.ViewState(day=DAY, country="GBR", stances=("ban",))
    for state in (organisation, filtered_out):
        subtitle = image.print_figure(map_of(ds, state), ds, state, "r")["layout"]["title"]["subtitle"]["text"]
        assert "Outlined in black" not in subtitle


def test_data_text_on_the_picture_is_escaped(ds):
    state = view.ViewState(day=DAY, alliances=("<b>x</b> & <a href='javascript:alert(1)'>y</a>",))
    subtitle = image.print_figure(map_of(ds, view.ViewState(day=DAY)), ds, state, "r")["layout"]["title"]["subtitle"]
    assert subtitle["text"].startswith(
        "Filters: members of &lt;b&gt;x&lt;/b&gt; &amp; &lt;a href='javascript:alert(1)'&gt;y&lt;/a&gt; on"
    )


# --- no browser ----------------------------------------------------------------------------


def test_without_a_browser_the_export_says_why(monkeypatch, tmp_path, ds):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium or chrome on it
    why = image.image_unavailable()
    assert why == (
        "The map downloads (PNG, SVG) need Chromium or Chrome, and this server has none (looked for "
        "chromium, chromium-browser, google-chrome, google-chrome-stable): install Debian's chromium package."
    )
    state = view.ViewState(day=dt.date(2018, 3, 3))  # a picture no other test drew
    with pytest.raises(image.ImageError) as raised:
        view.map_image(map_of(ds, state), ds, state, "png", "r")
    assert str(raised.value) == why


def test_a_browser_path_that_is_not_there_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "chrome"))
    assert image.find_browser() is None
    assert f"BROWSER_PATH='{tmp_path / 'chrome'}' has none" in image.image_unavailable()
    monkeypatch.setenv("BROWSER_PATH", sys.executable)  # an executable file: taken as given
    assert image.find_browser() == sys.executable


def test_unknown_format_is_refused(ds):
    with pytest.raises(ValueError, match="unknown image format 'gif': use png or svg"):
        image.draw(image.print_figure(map_of(ds, STATE), ds, STATE, "r"), "gif")


# --- the pictures, drawn with no network -------------------------------------------------


@needs_browser
def test_png_is_a_print_size_picture(pictures):
    assert png_size(pictures["png"]) == (1600, 1000)
    assert len(pictures["png"]) > 50_000  # a drawn map, not a blank page


@needs_browser
def test_svg_has_title_date_filters_source_and_every_legend_label(pictures):
    texts = svg_texts(pictures["svg"])
    root = ET.fromstring(pictures["svg"])
    assert (root.get("width"), root.get("height")) == ("1600", "1000")
    assert "Government stances on Huawei in 5G networks, as of 2019-06-01" in texts
    assert "No filters: every country with a record. Outlined in black: United Kingdom (GBR)." in texts
    assert SOURCE in texts
    assert "5G stance:" in texts
    for label in LEGEND:
        assert label in texts


@needs_browser
def test_svg_draws_the_map_from_the_local_shapes(pictures, ds):
    """With no network, shapes on the picture can only come from static/world_110m.json."""
    shapes = view.geometry_ids()
    drawn = {key for key in ds.countries if key in shapes}
    fills = [el.get("fill") for el in svg_paths(pictures["svg"], "choroplethlocation")]
    assert len(fills) == len(drawn) + 1  # every country with a shape, and the chosen one's outline
    assert fills.count("rgb(230, 159, 0)") == 2  # the UK's core-only exclusion, twice
    assert fills.count("rgb(213, 94, 0)") == 2  # Australia's and New Zealand's bans
    layers = {el.get("class") for el in ET.fromstring(pictures["svg"]).iter("{http://www.w3.org/2000/svg}g")}
    assert {"layer land", "layer countries"} <= layers
    assert "http" not in pictures["svg"].decode().replace("http://www.w3.org/", "")


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def deferred(monkeypatch):
    """Each download button's deferred data, mime type and file name, by button key (the
    download popovers opened first)."""
    registered: dict[str, tuple] = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = original(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        registered[file_id] = (data_callable, mimetype, file_name)
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)

    def buttons(at) -> dict[str, tuple]:
        found = {}
        for button in open_downloads(at).get("download_button"):
            key = button.proto.id.rsplit("-", 1)[-1]
            found[key] = (button, registered.get(button.proto.deferred_file_id))
        return found

    return buttons


@needs_browser
def test_page_buttons_hand_over_the_png_and_the_svg(app, deferred):  # noqa: F811
    at = ok(app(date="2019-06-01", country="GBR", alliance="Five Eyes"))
    buttons = deferred(at)
    png_button, (make_png, png_type, png_name) = buttons["download_map_png"]
    svg_button, (make_svg, svg_type, svg_name) = buttons["download_map_svg"]
    assert (png_button.proto.label, svg_button.proto.label) == ("Download the map (PNG)", "Download the map (SVG)")
    assert not png_button.proto.disabled and not svg_button.proto.disabled
    assert (png_type, png_name) == ("image/png", "huawei-5g-map_2019-06-01_five-eyes.png")
    assert (svg_type, svg_name) == ("image/svg+xml", "huawei-5g-map_2019-06-01_five-eyes.svg")
    assert png_size(make_png()) == (1600, 1000)
    texts = svg_texts(make_svg())
    assert "Filters: members of Five Eyes on 2019-06-01. Outlined in black: United Kingdom (GBR)." in texts


def test_page_without_a_browser_says_why_the_buttons_are_off(app, deferred, monkeypatch, tmp_path):  # noqa: F811
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    at = ok(app(date="2019-06-01"))
    buttons = deferred(at)
    why = image.image_unavailable()
    for fmt in ("png", "svg"):
        button, _ = buttons[f"download_map_{fmt}"]
        assert button.proto.disabled
        assert button.proto.help == why
    assert why in [caption.value for caption in at.caption]
    assert not buttons["download_snapshot"][0].proto.disabled  # the CSV downloads still work


# --- embedding --------------------------------------------------------------------------------


def test_embed_parameters_are_taken_quietly(ds):
    span = view.timeframe(ds)
    params = {"embed": "true", "embed_options": "show_toolbar,light_theme", "date": "2019-06-01"}
    state, notices = view.parse_query(params, ds, span)
    assert (state, notices) == (view.ViewState(day=DAY), [])


def test_embedded_page_shows_no_notice_and_keeps_its_link(app):  # noqa: F811
    at = ok(app(embed="true", embed_options="show_toolbar", date="2019-06-01", country="GBR"))
    assert not at.warning and not at.error
    assert qp(at) == {"embed": "true", "embed_options": "show_toolbar", "date": "2019-06-01", "country": "GBR"}


# --- the real page in Chromium -------------------------------------------------------------


@pytest.fixture(scope="module")
def server(data_dir):
    with running_server(data_dir, "map-image") as srv:
        yield srv


@needs_browser
def test_real_page_downloads_the_png_and_the_svg(browser, server):
    from test_browser import open_app, open_popover, watched_page  # records every request; none may leave 127.0.0.1

    with watched_page(browser) as w:
        page = open_app(w, server, "?date=2019-06-01&country=GBR")
        open_popover(page, "Download the map")
        button = page.get_by_role("button", name="Download the map (PNG)")
        button.scroll_into_view_if_needed()
        OUTPUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUTPUT / "map-image-buttons.png"), full_page=True)
        got = {}
        for fmt in ("png", "svg"):
            with page.expect_download(timeout=WAIT) as download:
                page.get_by_role("button", name=f"Download the map ({fmt.upper()})").click()
            assert download.value.suggested_filename == f"huawei-5g-map_2019-06-01.{fmt}"
            got[fmt] = Path(download.value.path()).read_bytes()
    assert png_size(got["png"]) == (1600, 1000)
    assert "Government stances on Huawei in 5G networks, as of 2019-06-01" in svg_texts(got["svg"])


@needs_browser
def test_embedded_page_keeps_embed_in_its_link(browser, server):
    from test_browser import open_app, query_of, watched_page

    with watched_page(browser) as w:
        page = open_app(w, server, "?embed=true&embed_options=light_theme&date=2018-12-16")
        page.get_by_role("button", name="Next change ▶").click()  # the page writes its link anew
        page.wait_for_function("() => location.search.includes('date=2018-12-28')", timeout=WAIT)
        assert query_of(page) == {"embed": "true", "embed_options": "light_theme", "date": "2018-12-28"}
        assert page.locator('[data-testid="stToolbar"]').count() == 0  # Streamlit's own menu is hidden
        assert page.get_by_role("button", name=re.compile("Download the map$")).count() == 1
        page.screenshot(path=str(OUTPUT / "map-image-embedded.png"), full_page=True)
