"""Searching the evidence (stances.search) and the page's search box (`q` in the URL)."""

from __future__ import annotations

import pytest
from test_app import ok, qp

from stances import load_dataset, view
from stances.search import fold, search, spans, words_of

from browser_support import REAL_DATA, run_app


@pytest.fixture(scope="module")
def real():
    return load_dataset(REAL_DATA)


def test_fold_drops_case_and_accents_and_maps_back():
    assert fold("NÚKIB")[0] == "nukib"
    assert fold("Günter Dröge")[0] == "gunter droge"
    folded, where = fold("Straße")  # ß folds to two characters, both from the ß
    assert folded == "strasse" and where[4:6] == [4, 4]


def test_spans_are_in_the_original_text_and_merged():
    text = "Günter Krings wrote to Katharina Dröge"
    assert [text[a:b] for a, b in spans(text, ["gunter", "droge"])] == ["Günter", "Dröge"]
    assert spans("abcabc", ["abc", "bca"]) == [(0, 6)]
    assert spans("nothing here", ["spark"]) == []


def test_every_word_must_occur_somewhere_in_the_event(real):
    hits = search(real, "GÜNTER krings")
    assert [(h.key, h.event.id) for h in hits] == [("DEU", "DEU-2018-10-federal-interior")]
    assert search(real, "krings zebra") == []
    assert search(real, "   ") == [] and words_of("  a  B ") == ["a", "b"]


def test_spark_finds_new_zealand_in_a_quote_with_the_word_marked(real):
    hits = search(real, "spark")
    assert hits and {h.key for h in hits} == {"NZL"}
    fields = {field for h in hits for field, _, _ in h.matches}
    assert "quote" in fields
    html = view.hit_html(real, hits[0])
    assert '<mark style="background:#FFE08A;color:#000">Spark</mark>' in html


def test_results_escape_data_text():
    assert (
        view.marked("<b>5G</b> & co", [(3, 5)])
        == '&lt;b&gt;<mark style="background:#FFE08A;color:#000">5G</mark>&lt;/b&gt; &amp; co'
    )
    assert "\\*" in view.results_md("*bold*", [])


def test_the_search_box_lists_hits_and_opens_the_chosen_event(monkeypatch):
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app(q="gunter krings"))
    assert at.text_input(key="q").value == "gunter krings"
    assert any(m.value.startswith("**1 event(s)** match") for m in at.markdown)
    hits = [h.proto.body for h in at.get("html") if "search-hit" in h.proto.body]
    assert len(hits) == 1 and "DEU-2018-10-federal-interior" in hits[0]
    assert ">Günter</mark> <mark" in hits[0]  # each word marked where it occurs
    next(b for b in at.button if b.label == "Open this event").click().run()
    ok(at)
    assert at.selectbox(key="country").value == "DEU"
    assert qp(at)["event"] == "DEU-2018-10-federal-interior" and qp(at)["q"] == "gunter krings"


def test_typing_a_search_and_clearing_it(monkeypatch):
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app(date="2019-06-01"))
    assert not [h for h in at.get("html") if "search-hit" in h.proto.body]
    at.text_input(key="q").input("HUAWEI zzz").run()
    assert any("No event matches" in m.value for m in ok(at).markdown)
    at.text_input(key="q").input("").run()
    assert "q" not in qp(ok(at))
