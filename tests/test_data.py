"""The shipped data: it validates, every quote is verbatim, coverage is complete, key facts hold."""

import datetime as dt
from pathlib import Path

import pytest
import yaml

from stances import change_days, load_dataset, stance_as_of
from stances.asof import evidence_horizon, outside_5g_in_force
from stances.coverage import coverage_rows, mention_problems

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(scope="module")
def ds():
    return load_dataset(ROOT / "data")


def _article_text(article: dict) -> str:
    lines = (ROOT / "seeds" / article["seed"]).read_text(encoding="utf-8").split("\n")
    spans = [article["lines"], *article.get("continued", [])]
    return "\n".join("\n".join(lines[a - 1 : b]) for a, b in spans)


def test_every_quote_is_verbatim_in_its_article():
    # Independent of the loader: read the YAML and the seeds directly.
    index = yaml.safe_load((ROOT / "data" / "articles.yaml").read_text(encoding="utf-8"))
    texts = {a["id"]: _article_text(a) for a in index["articles"]}
    checked = 0
    for path in sorted((ROOT / "data").glob("*/*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for event in record["events"]:
            for source in event["sources"]:
                assert source["quote"] in texts[source["article"]], (path.name, source["quote"][:60])
                checked += 1
    assert checked > 100


def test_seeds_are_the_shared_originals():
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("no shared seeds beside the checkout")
    for path in shared.glob("*.txt"):
        assert (ROOT / "seeds" / path.name).read_bytes() == path.read_bytes()


def test_shipped_data_validates(ds):
    assert len(ds.countries) >= 19
    assert {"european-commission", "five-eyes"} <= set(ds.records)


def test_every_named_country_has_a_record_or_a_mention(ds):
    missing = [row["iso3"] for row in coverage_rows(ds) if row["status"] == "missing"]
    assert missing == []
    assert mention_problems(ds) == []


def test_every_article_is_indexed_with_a_date_or_a_reason(ds):
    for article in ds.articles.values():
        assert article.date is not None
        assert article.date_basis == "printed" or article.date_note


@pytest.mark.parametrize(
    "iso3, day, stance",
    [
        ("GBR", D(2018, 12, 15), None),
        ("GBR", D(2018, 12, 31), "review"),
        ("GBR", D(2019, 4, 22), "review"),
        ("GBR", D(2019, 4, 23), "core-only exclusion"),
        ("USA", D(2012, 12, 30), None),
        ("USA", D(2013, 1, 1), "ban"),
        ("AUS", D(2018, 1, 1), None),  # the 2012 ban covered one broadband network's contracts
        ("AUS", D(2018, 12, 15), None),
        ("AUS", D(2018, 12, 16), "ban"),
        ("NZL", D(2018, 11, 29), None),
        ("NZL", D(2018, 11, 30), "ban"),
        ("DEU", D(2019, 1, 16), "allow"),
        ("DEU", D(2019, 1, 17), "review"),
        ("DEU", D(2019, 4, 23), "allow"),
        ("JPN", D(2018, 12, 16), None),  # government purchases only: restricted outside 5G
        ("JPN", D(2019, 1, 31), "review"),
        ("FRA", D(2018, 12, 7), None),  # a welcome of Huawei's investments, not a 5G stance
        ("FRA", D(2018, 12, 16), "allow"),
        ("TWN", D(2019, 6, 1), None),  # "curbs" of unstated extent
        ("BEL", D(2019, 6, 1), None),  # only an agency considered a ban
        ("CZE", D(2019, 6, 1), None),  # the order covers phones, not networks
    ],
)
def test_key_stances(ds, iso3, day, stance):
    assert stance_as_of(ds, iso3, day) == stance


@pytest.mark.parametrize(
    "iso3, day, outside",
    [
        ("AUS", D(2012, 12, 30), []),
        ("AUS", D(2012, 12, 31), [("ban", "other")]),
        ("AUS", D(2019, 6, 1), [("ban", "other")]),  # still in force beside the 5G ban
        ("JPN", D(2018, 12, 15), []),
        ("JPN", D(2018, 12, 16), [("ban", "other")]),
        ("TWN", D(2014, 1, 1), [("ban", "unspecified")]),
        ("CZE", D(2018, 12, 18), [("ban", "other")]),  # office phones
        ("GBR", D(2019, 6, 1), []),  # BT's, Vodafone's and the emergency network's are operators'
    ],
)
def test_key_restrictions_outside_5g(ds, iso3, day, outside):
    assert [(e.stance, e.applies_to) for e in outside_5g_in_force(ds.records[iso3], day)] == outside


def test_the_evidence_ends_with_the_latest_article(ds):
    assert evidence_horizon(ds) == D(2020, 12, 4)
    assert max(change_days(ds)) == D(2019, 4, 23)


def test_every_stance_says_what_it_covers(ds):
    for record in ds.records.values():
        for event in record.events:
            assert (event.stance is None) == (event.applies_to is None), (record.key, event.line)
            if event.stance and event.applies_to != "5g":
                assert event.scope, (record.key, event.line)  # the reader is told what it covers
