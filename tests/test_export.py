import io

import pandas as pd
import pytest

from stances import EVENT_COLUMNS, SNAPSHOT_COLUMNS, events_frame, load_dataset, snapshot_frame, to_csv
from stances.export import count_event_rows, event_rows, neutralise, snapshot_rows, to_frame

from browser_support import REAL_DATA
from conftest import AUS, day

SNAPSHOT_HEADER = [
    "iso3",
    "country",
    "stance",
    "status",
    "confidence",
    "outside_5g",
    "last_evidence",
    "since",
    "since_precision",
    "effective_from",
    "actor",
    "scope",
    "applies_to",
    "summary",
    "event_id",
    "article_ids",
    "outside_5g_event_ids",
    "outside_5g_article_ids",
]
EVENT_HEADER = [
    "iso3",
    "country",
    "event_id",
    "date",
    "date_precision",
    "effective_from",
    "stance",
    "applies_to",
    "actor_level",
    "actor",
    "scope",
    "status",
    "confidence",
    "summary",
    "notes",
    "article_id",
    "article_headline",
    "article_date",
    "article_publisher",
    "seed_file",
    "seed_line",
    "quote",
]


def read_back(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_declared_columns():
    assert [c for _, c in SNAPSHOT_COLUMNS] == SNAPSHOT_HEADER
    assert [c for _, c in EVENT_COLUMNS] == EVENT_HEADER


def test_snapshot_rows(ds):
    unknown = dict.fromkeys(
        [
            "stance",
            "applies_to",
            "since",
            "since_precision",
            "effective_from",
            "actor",
            "scope",
            "status",
            "confidence",
            "summary",
            "articles",
            "event_id",
            "last_evidence",
            "outside_5g",
            "outside_5g_articles",
            "outside_5g_event_ids",
        ],
        "",
    )
    nothing_outside = {"outside_5g": "", "outside_5g_articles": "", "outside_5g_event_ids": ""}
    assert snapshot_rows(ds, day("2019-06-01")) == [
        {
            "iso3": "AUS",
            "country": "Australia",
            "stance": "ban",
            "applies_to": "5g",
            "since": "2018-08-23",
            "since_precision": "day",
            "effective_from": "2018-08-23",
            "actor": "Australian government",
            "scope": "",
            "status": "official",
            "confidence": "high",
            "summary": "High-risk vendors barred from 5G.",
            "articles": "au-ban",
            "event_id": "AUS-e5",
            "last_evidence": "2018-08",
            **nothing_outside,
        },
        {
            "iso3": "CAN",
            "country": "Canada",
            "stance": "review",
            "applies_to": "5g",
            "since": "2018-11",
            "since_precision": "month",
            "effective_from": "2018-11-30",
            "actor": "Public Safety Canada",
            "scope": "",
            "status": "reported",
            "confidence": "low",
            "summary": "Security review of 5G suppliers.",
            "articles": "ca-review",
            "event_id": "CAN-e8",
            "last_evidence": "2019-01-15",
            **nothing_outside,
        },
        {"iso3": "DEU", "country": "Germany", **unknown},
        # Two sources from one article: the id once.
        {
            "iso3": "GBR",
            "country": "United Kingdom",
            "stance": "core-only exclusion",
            "applies_to": "5g",
            "since": "2019-04-24",
            "since_precision": "day",
            "effective_from": "2019-04-24",
            "actor": "National Security Council",
            "scope": "5G core",
            "status": "reported",
            "confidence": "medium",
            "summary": "Huawei kept out of the 5G core.",
            "articles": "uk-core",
            "event_id": "GBR-e2",
            "last_evidence": "2019-04-24",
            **nothing_outside,
        },
    ]


@pytest.mark.parametrize(
    "on, alliances, keys",
    [
        ("2019-06-01", ["EU"], ["DEU", "GBR"]),
        ("2020-01-31", ["EU"], ["DEU", "GBR"]),
        ("2020-02-01", ["EU"], ["DEU"]),
        ("2020-02-01", ["EU", "Five Eyes"], ["AUS", "CAN", "DEU", "GBR"]),
        ("2020-02-01", ["NATO"], ["CAN", "DEU", "GBR"]),
        ("2020-02-01", [], ["AUS", "CAN", "DEU", "GBR"]),
    ],
)
def test_snapshot_alliance_filter(ds, on, alliances, keys):
    assert [r["iso3"] for r in snapshot_rows(ds, day(on), alliances)] == keys


@pytest.mark.parametrize(
    "stances, keys",
    [
        ({"ban"}, ["AUS"]),
        ({""}, ["DEU"]),
        ({"", "review"}, ["CAN", "DEU"]),
        (set(), []),
    ],
)
def test_snapshot_stance_filter(ds, stances, keys):
    assert [r["iso3"] for r in snapshot_rows(ds, day("2019-06-01"), stances=stances)] == keys


def test_snapshot_csv(ds):
    text = to_csv(snapshot_frame(ds, day("2019-06-01"), ["EU"]))
    assert text == (
        ",".join(SNAPSHOT_HEADER) + "\n"
        "DEU,Germany,,,,,,,,,,,,,,,,\n"
        "GBR,United Kingdom,core-only exclusion,reported,medium,,2019-04-24,2019-04-24,day,2019-04-24,"
        "National Security Council,5G core,5g,Huawei kept out of the 5G core.,GBR-e2,uk-core,,\n"
    )


def test_empty_frames_keep_their_header(ds):
    assert to_csv(snapshot_frame(ds, day("1900-01-01"), ["NATO"])) == ",".join(SNAPSHOT_HEADER) + "\n"
    assert list(events_frame(ds, keys=[]).columns) == EVENT_HEADER


def test_one_event_row_per_event_and_source(ds):
    rows = event_rows(ds)
    assert [(r["iso3"], r["date"], r["actor_level"], r["article_id"], r["seed_line"]) for r in rows] == [
        ("AUS", "2018-08-23", "government", "au-ban", 13),
        ("CAN", "2018-11", "government", "ca-review", 23),
        ("CAN", "2022", "government", "ca-ban", 29),
        ("DEU", "2019", "government", "de-followup", 20),
        ("DEU", "2019", "government", "de-rules", 16),
        ("DEU", "2019-10", "agency", "de-rules", 17),
        ("GBR", "2018-12", "government", "uk-review", 5),
        ("GBR", "2019-04-24", "government", "uk-core", 10),
        ("GBR", "2019-04-24", "government", "uk-core", 10),
        ("GBR", "2019-06-10", "operator", "bt-core", 26),
        ("GBR", "2020-07-14", "government", "uk-ban", 32),
        ("", "2020-01-29", "government", "eu-toolbox", 35),  # organisations last
    ]


def test_event_row(ds):
    [row] = [r for r in event_rows(ds) if r["article_id"] == "uk-ban"]
    assert row == {
        "iso3": "GBR",
        "country": "United Kingdom",
        "event_id": "GBR-e4",
        "date": "2020-07-14",
        "date_precision": "day",
        "effective_from": "2020-07-14",
        "stance": "ban",
        "applies_to": "5g",
        "actor_level": "government",
        "actor": "UK government",
        "scope": "",
        "status": "official",
        "confidence": "high",
        "summary": "New Huawei equipment banned from 2021; removal by 2027.",
        "notes": "Removal deadline 2027.",
        "article_id": "uk-ban",
        "article_headline": "London orders Huawei removal by 2027",
        "article_date": "2020-07-14",
        "article_publisher": "",
        "seed_file": "wire_001.txt",
        "seed_line": 32,
        "quote": "The government banned new Huawei equipment from 2021",
    }


@pytest.mark.parametrize(
    "keys, levels, expected",
    [
        (["DEU"], None, [("DEU", "de-followup"), ("DEU", "de-rules"), ("DEU", "de-rules")]),
        (None, ["agency", "operator"], [("DEU", "de-rules"), ("GBR", "bt-core")]),
        (["european-commission"], None, [("", "eu-toolbox")]),
    ],
)
def test_event_filters(ds, keys, levels, expected):
    assert [(r["iso3"], r["article_id"]) for r in event_rows(ds, keys, levels)] == expected


def test_seed_line_is_where_the_quote_starts(folder):
    # A quote over two lines, and one in a continuation range far from the article's start.
    folder.replace("data/articles.yaml", "      - lines: [37, 37]\n        kind: footer\n        note: Sign-off.\n", "")
    folder.replace("data/articles.yaml", "    lines: [3, 7]\n", "    lines: [3, 7]\n    continued: [[37, 37]]\n")
    folder.replace(
        "data/countries/GBR.yaml",
        "        quote: The government has opened a review of Huawei equipment\n",
        "        quote: The government has opened a review of Huawei equipment\n"
        "      - article: uk-review\n        quote: Unsubscribe at example.invalid\n"
        '      - article: uk-review\n        quote: "in 5G networks.\\nOfficials said"\n',
    )
    rows = [r for r in event_rows(folder.load()) if r["article_id"] == "uk-review"]
    assert [(r["quote"], r["seed_line"]) for r in rows] == [
        ("The government has opened a review of Huawei equipment", 5),
        ("Unsubscribe at example.invalid", 37),
        ("in 5G networks.\nOfficials said", 5),
    ]


TRICKY = 'Ban, then "review";\n“curly” ’quotes’, Türkiye & Côte d\'Ivoire\u00a0— ok'


def test_csv_round_trip_loses_nothing(make_data):
    tur = (
        AUS.replace("iso3: AUS", "iso3: TUR")
        .replace("AUS-e5", "TUR-e1")
        .replace(
            "summary: High-risk vendors barred from 5G.",
            'summary: "' + TRICKY.replace('"', '\\"').replace("\n", "\\n") + '"',
        )
    )
    civ = (
        AUS.replace("iso3: AUS", "iso3: CIV")
        .replace("AUS-e5", "CIV-e1")
        .replace("actor: Australian government", "actor: 'Gouvernement, “CIV”'")
    )
    ds = make_data({"data/countries/TUR.yaml": tur, "data/countries/CIV.yaml": civ}).load()
    for frame in (events_frame(ds), snapshot_frame(ds, day("2019-06-01"))):
        back = read_back(to_csv(frame))
        assert back.to_dict("records") == frame.astype(str).to_dict("records")
    rows = snapshot_rows(ds, day("2019-06-01"))
    assert [(r["country"], r["summary"]) for r in rows if r["iso3"] in ("TUR", "CIV")] == [
        ("Côte d'Ivoire", "High-risk vendors barred from 5G."),
        ("Türkiye", TRICKY),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "a, b",
        'say "no"',
        "line one\nline two",
        "“curly” ’single’",
        "Türkiye",
        "Côte d'Ivoire",
        "",
        "   padded   ",
        "中国",
        "'already quoted",
        "cr\rinside",
        "crlf\r\ninside",
    ],
)
def test_csv_round_trip_of_cells(value):
    frame = to_frame([{"iso3": "TUR", "country": value}], [("iso3", "iso3"), ("country", "country")])
    assert read_back(to_csv(frame)).to_dict("records") == [{"iso3": "TUR", "country": value}]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_formula_cells_are_neutralised(value):
    frame = to_frame([{"a": value, "b": "safe"}], [("a", "a"), ("b", "b")])
    assert read_back(to_csv(frame)).to_dict("records") == [{"a": "'" + value, "b": "safe"}]


@pytest.mark.parametrize(
    "value, out",
    [
        ("=x", "'=x"),
        ("a=b", "a=b"),
        (" =x", " =x"),
        ("", ""),
        (-5, -5),
        (None, None),
        (3, 3),
    ],
)
def test_neutralise(value, out):
    assert neutralise(value) == out


def test_formula_in_data_is_neutralised_in_the_export(folder):
    folder.replace("data/countries/AUS.yaml", "actor: Australian government", "actor: \"=cmd|' /C calc'!A0\"")
    text = to_csv(snapshot_frame(folder.load(), day("2019-06-01")))
    assert read_back(text)["actor"].tolist()[0] == "'=cmd|' /C calc'!A0"


def test_csv_uses_newline_line_ends(ds):
    text = to_csv(events_frame(ds))
    assert "\r\n" not in text and text.endswith("\n")
    assert text.splitlines()[0] == ",".join(EVENT_HEADER)


def test_the_event_count_is_the_number_of_event_rows(ds):
    for data in (ds, load_dataset(REAL_DATA)):
        every = sorted(data.records)
        for keys in (None, every[:1], every[: len(every) // 2], [], ["no such record"]):
            for levels in (None, ["government"], ["agency", "operator"], []):
                assert count_event_rows(data, keys, levels) == len(event_rows(data, keys, levels))
    assert count_event_rows(ds) == len(event_rows(ds)) > 0
