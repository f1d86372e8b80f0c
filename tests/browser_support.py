"""Shared helpers for the dashboard tests: a small self-contained data folder, a session of
the app in AppTest, a Streamlit server on a free port, and headless Chromium launched from
the system's binary (the last two shared with the benchmarks: bench/_common.py).

The data folder is built from verbatim excerpts of the project's seeds (so the quotes are
real), plus one synthetic test article whose text holds HTML and markdown that must be shown
literally. It does not depend on the curated data in data/, which changes while it is edited.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from bench._common import CHROMIUM, CHROMIUM_ARGS, Server, launch_chromium  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
SEEDS = ROOT / "seeds"
REAL_DATA = ROOT / "data"
OUTPUT = ROOT / "test-output"

# HTML and markdown that must be shown as text, everywhere data text goes: the evidence
# panel, the map and timeline hovers, the record picker, the problems list and the CSV.
# (example.invalid never resolves; the browser tests also fail on any request to it.)
HOSTILE_ACTOR = (
    "Ministry <i>of</i> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
    '![img](http://example.invalid/actor.png) <a href="javascript:alert(1)">link</a> & co'
)
HOSTILE_SUMMARY = (
    "Summary with <script>alert('x')</script>, <img src=x onerror=alert(1)>, "
    "[x](javascript:alert(1)), ![img](http://example.invalid/summary.png) and **not bold**"
)
HOSTILE_ORG_ID = "test-hostile-organisation"
HOSTILE_ORG_NAME = (
    "<script>alert('org')</script><img src=x onerror=alert(1)> [Org](javascript:alert(1)) "
    "![img](http://example.invalid/org.png) **Org**"
)
FORMULA_SCOPE = '=HYPERLINK("http://example.invalid/csv","click me")'  # CSV: must be neutralised
SYNTHETIC = [
    "Test article <b>not bold</b> <img src=x onerror=alert(1)> [x](javascript:alert(1))",
    "",
    "February 12, 2019",
    "",
    "This is a synthetic test article, not a news report.",
    "",
    'Singapore said on Monday it would review its 5G suppliers <script>alert("x")</script> '
    "<img src=x onerror=alert(1)> [click](javascript:alert(1)) ![img](http://example.invalid/quote.png) "
    ":smile: $x$ *not italic*.",
    "",
    "A closing paragraph gives the quote some context.",
]
HOSTILE_QUOTE = SYNTHETIC[6]  # Singapore's quote: the whole line

# (article id, seed file, first line, last line, article date) copied verbatim.
EXCERPTS = [
    ("uk-noncore", "000_ca0cdbd34bb5bd89.txt", 361, 393, "2019-04-23"),
    ("uk-defence-concerns", "004_4dddc269796648e7.txt", 198, 244, "2018-12-28"),
    ("germany-looks-to-ban", "004_4dddc269796648e7.txt", 3, 31, "2019-01-17"),
    ("huawei-global-ambitions", "004_4dddc269796648e7.txt", 314, 388, "2018-12-16"),
    # The latest article: it sets the evidence horizon, 2020-12-04.
    ("meng-deal-talks", "000_ca0cdbd34bb5bd89.txt", 428, 484, "2020-12-04"),
]
SEED = "fixture_000.txt"


def _excerpt(seed: str, first: int, last: int) -> list[str]:
    lines = (SEEDS / seed).read_text(encoding="utf-8").split("\n")
    return lines[first - 1 : last]


def _find(text_lines: list[str], start: str) -> str:
    """The sentence of the excerpt that begins with ``start`` (up to its end of line)."""
    for line in text_lines:
        at = line.find(start)
        if at >= 0:
            return line[at:]
    raise AssertionError(f"not in the excerpt: {start!r}")


def _event(date, level, actor, summary, sources, stance=None, status="official", **extra):
    precision = {10: "day", 7: "month", 4: "year"}[len(date)]
    event = {"date_precision": precision, "date": date}
    if stance:
        event["stance"] = stance
        event["applies_to"] = extra.pop("applies_to", "5g")
    event.update(
        {
            "actor_level": level,
            "actor": actor,
            "status": status,
            "summary": summary,
            "sources": [{"article": a, "quote": q} for a, q in sources],
        }
    )
    event.update(extra)
    return event


def make_data_dir(root: Path) -> Path:
    """Write a valid data folder (and its seeds) under ``root``; return the data folder."""
    data, seeds = root / "data", root / "seeds"
    for folder in (data / "countries", data / "organisations", seeds):
        folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    articles = []
    texts: dict[str, list[str]] = {}
    for art_id, seed, first, last, date in EXCERPTS:
        part = _excerpt(seed, first, last)
        texts[art_id] = part
        start = len(lines) + 1
        lines += part
        articles.append(
            {
                "id": art_id,
                "seed": SEED,
                "headline": part[0].strip(),
                "lines": [start, len(lines)],
                "date_precision": "day",
                "date": date,
                "date_basis": "printed",
                "relevant": True,
            }
        )
        lines.append("")
    start = len(lines) + 1
    lines += SYNTHETIC
    texts["synthetic"] = SYNTHETIC
    articles.append(
        {
            "id": "synthetic",
            "seed": SEED,
            "headline": SYNTHETIC[0],
            "lines": [start, len(lines)],
            "date_precision": "day",
            "date": "2019-02-12",
            "date_basis": "printed",
            "relevant": True,
            "note": "Synthetic test article.",
        }
    )
    (seeds / SEED).write_text("\n".join(lines) + "\n", encoding="utf-8")
    digest = hashlib.sha256((seeds / SEED).read_bytes()).hexdigest()
    seed = {"file": SEED, "sha256": digest, "origin": "Excerpts of the project's seeds and a synthetic article."}
    index = {"seeds_dir": "../seeds", "seeds": [seed], "articles": articles}

    uk, defence, germany = texts["uk-noncore"], texts["uk-defence-concerns"], texts["germany-looks-to-ban"]
    ambitions = texts["huawei-global-ambitions"]
    records = {
        "GBR": [
            _event(
                "2018-12",
                "operator",
                "BT Group",
                "BT said it would keep Huawei out of its 5G hardware "
                "and remove it from the core of its 3G and 4G networks.",
                [("uk-defence-concerns", _find(defence, "BT has since said"))],
                stance="core-only exclusion",
                scope="Mobile network core",
            ),
            _event(
                "2018-12-03",
                "agency",
                "Secret Intelligence Service (MI6), chief Alex Younger",
                "The MI6 chief said the U.K. had to decide how comfortable it was with Huawei.",
                [("uk-defence-concerns", _find(defence, "Alex Younger, the head of Britain"))],
            ),
            _event(
                "2018-12-28",
                "government",
                "Defence Secretary Gavin Williamson",
                "The defence secretary said a wide security review of Huawei would be warranted.",
                [("uk-defence-concerns", _find(defence, "Gavin Williamson told"))],
                stance="review",
            ),
            _event(
                "2019-04-23",
                "government",
                "National Security Council",
                "The National Security Council agreed to let Huawei supply non-core parts of the 5G "
                "network while keeping it out of the core.",
                [("uk-noncore", _find(uk, "They agreed that Huawei should be allowed"))],
                stance="core-only exclusion",
                status="reported",
                scope="5G network core",
            ),
        ],
        "AUS": [
            _event(
                "2018-08",
                "government",
                "Australian government",
                "Australia said it would not use Huawei gear in its 5G networks.",
                [("uk-noncore", _find(uk, "Australia has indicated it won’t use Huawei gear"))],
                stance="ban",
                status="reported",
            ),
        ],
        "NZL": [
            _event(
                "2018-11",
                "government",
                "New Zealand government",
                "New Zealand blocked a carrier's bid to use Huawei gear in 5G.",
                [("uk-noncore", _find(uk, "the New Zealand government has blocked"))],
                stance="ban",
            ),
        ],
        "DEU": [
            _event(
                "2018-12",
                "operator",
                "Deutsche Telekom",
                "Deutsche Telekom said it would reassess how it buys network equipment.",
                [("germany-looks-to-ban", _find(germany, "Last month Deutsche Telekom"))],
            ),
            _event(
                "2019-01-17",
                "government",
                "German government",
                "The government considered 5G security rules that Huawei would find harder to meet.",
                [("germany-looks-to-ban", _find(germany, "The German government is considering"))],
                stance="review",
                status="reported",
            ),
            _event(
                "2019-04",
                "government",
                "German government",
                "Germany said it saw no reason to block Huawei.",
                [("uk-noncore", _find(uk, "Germany has said it sees no reason to block Huawei"))],
                stance="allow",
                status="reported",
            ),
        ],
        "JPN": [  # a restriction outside 5G only
            _event(
                "2018-12",
                "government",
                "Japan's cybersecurity agency",
                "Vendors deemed risky were made off-limits for government purchases.",
                [("huawei-global-ambitions", _find(ambitions, "This week, Japan’s cybersecurity agency"))],
                stance="ban",
                applies_to="other",
                scope="Government procurement",
            ),
            _event(
                "2019-01",
                "government",
                "Japanese government",
                "Japan publicly distanced itself from Huawei's 5G plans.",
                [("germany-looks-to-ban", _find(germany, "The UK and Japan have also publicly distanced"))],
            ),
        ],
        "TWN": [  # a restriction whose extent is not given
            _event(
                "2018",
                "government",
                "Taiwan's government",
                "Taiwan limits the use of Huawei technology; the extent is not given.",
                [("huawei-global-ambitions", _find(ambitions, "They joined the United States and Taiwan"))],
                stance="ban",
                applies_to="unspecified",
                scope="Use of Huawei technology",
            ),
        ],
        "SGP": [
            _event(
                "2019-02-11",
                "government",
                HOSTILE_ACTOR,
                HOSTILE_SUMMARY,
                [("synthetic", _find(SYNTHETIC, "Singapore said on Monday"))],
                stance="review",
                scope=FORMULA_SCOPE,
                notes="A synthetic record for the tests <img src=x onerror=alert(1)>.",
            ),
            _event(
                "2019-02-12",
                "agency",
                HOSTILE_ACTOR,
                HOSTILE_SUMMARY,  # a diamond on the timeline
                [("synthetic", "A closing paragraph gives the quote some context.")],
            ),
        ],
    }
    for iso3, events in records.items():
        _dump(data / "countries" / f"{iso3}.yaml", {"iso3": iso3, "events": events})
    _dump(
        data / "organisations" / "european-commission.yaml",
        {
            "id": "european-commission",
            "name": "European Commission",
            "events": [
                _event(
                    "2019-01",
                    "government",
                    "Andrus Ansip, Commission vice-president",
                    "The Commission's technology chief warned of back doors in Chinese equipment.",
                    [("germany-looks-to-ban", _find(germany, "Andrus Ansip, the senior Brussels official"))],
                ),
            ],
        },
    )
    _dump(
        data / "organisations" / f"{HOSTILE_ORG_ID}.yaml",
        {
            "id": HOSTILE_ORG_ID,
            "name": HOSTILE_ORG_NAME,
            "events": [
                _event(
                    "2019-02-12",
                    "government",
                    HOSTILE_ACTOR,
                    HOSTILE_SUMMARY,
                    [("synthetic", "A closing paragraph gives the quote some context.")],
                ),
            ],
        },
    )
    _dump(data / "articles.yaml", index)
    _dump(data / "mentions.yaml", {"mentions": []})
    shutil.copy(REAL_DATA / "alliances.yaml", data / "alliances.yaml")
    shutil.copy(REAL_DATA / "country_names.yaml", data / "country_names.yaml")
    return data


def _with_ids(key: str, events: list[dict]) -> list[dict]:
    """The events, each with an id first: ``KEY-DATE-N``."""
    return [{"id": f"{key}-{e['date']}-{n}", **e} for n, e in enumerate(events, start=1)]


def _dump(path: Path, value) -> None:
    if isinstance(value, dict) and "events" in value:  # a record: its events get ids
        value = {**value, "events": _with_ids(value.get("iso3") or value["id"], value["events"])}
    path.write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def break_data_dir(data: Path) -> list[str]:
    """Introduce two problems into a data folder made by make_data_dir; return what to expect."""
    gbr = data / "countries" / "GBR.yaml"
    gbr.write_text(gbr.read_text(encoding="utf-8").replace("stance: review", "stance: reveiw", 1), encoding="utf-8")
    aus = data / "countries" / "AUS.yaml"
    aus.write_text(
        aus.read_text(encoding="utf-8").replace("article: uk-noncore", "article: no-such-article", 1), encoding="utf-8"
    )
    return ["GBR.yaml", "reveiw", "AUS.yaml", "unknown article 'no-such-article'"]


def break_data_dir_hostile(data: Path) -> list[str]:
    """Problems whose messages carry HTML and markdown from the data; return the texts the
    problem list must show literally."""
    sgp = data / "countries" / "SGP.yaml"
    sgp.write_text(
        sgp.read_text(encoding="utf-8").replace("Singapore said on Monday", "Singapore said on Tuesday"),
        encoding="utf-8",
    )
    aus = data / "countries" / "AUS.yaml"
    aus.write_text(
        aus.read_text(encoding="utf-8").replace("stance: ban", "stance: <img src=x onerror=alert(1)>"), encoding="utf-8"
    )
    (data / "countries" / "XSS.yaml").write_text(
        "iso3: '![img](http://example.invalid/iso.png) [x](javascript:alert(1))'\nevents: []\n", encoding="utf-8"
    )
    return [
        "quote not found in article 'synthetic': 'Singapore said on Tuesday it would review its 5G "
        "suppliers <script>ale",
        "(got '<img src=x onerror=alert(1)>')",
        "iso3: '![img](http://example.invalid/iso.png) [x](javascript:alert(1))' is not an ISO 3166-1",
    ]


# --- a Streamlit server and a browser -------------------------------------------------


def run_app(**query) -> AppTest:
    """A new AppTest session of app.py (data from STANCES_DATA_DIR), run once with ``query``
    as its URL parameters."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def open_downloads(at: AppTest) -> AppTest:
    """Open the two popovers that hold the download buttons (drawn only while open), and run."""
    for key in ("map_downloads", "data_downloads"):
        at.session_state[key] = True
    return at.run()


def StreamlitServer(data_dir: Path, log: Path) -> Server:
    """``streamlit run app.py`` on a free port with ``STANCES_DATA_DIR`` set, its output kept
    in ``log`` (the benchmarks' server: bench/_common.py)."""
    return Server(APP, data_dir, cwd=ROOT, log=log)


@contextmanager
def running_server(data_dir: Path, name: str) -> Iterator[Server]:
    """A StreamlitServer of ``data_dir`` for the ``with`` block, its log in
    test-output/``name``-streamlit.log."""
    srv = StreamlitServer(data_dir, OUTPUT / f"{name}-streamlit.log")
    try:
        srv.wait()
        yield srv
    finally:
        srv.stop()


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None. Under CI a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return None
    message = f"{CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install chromium)"
    if os.environ.get("CI"):
        raise RuntimeError(message + " and CI is set, so they may not be skipped")
    return message
