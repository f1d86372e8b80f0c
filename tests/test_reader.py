"""The article reader (`article` in the URL): the whole article, cited text marked and linked."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl

import pytest
from test_app import ok, qp

from stances import load_dataset, view

from browser_support import REAL_DATA, run_app


@pytest.fixture(scope="module")
def real():
    return load_dataset(REAL_DATA)


def marked_text(lines) -> str:
    return "\n".join("".join(text for text, who in pieces if who) for _, pieces in lines)


def test_every_quote_of_every_article_is_marked_and_nothing_else(real):
    for article_id in real.articles:
        lines = view.reader_lines(real, article_id)
        cited = view.citations_of(real, article_id)
        for c in cited:
            # a quote may run over lines: each of its lines is marked for that event
            for part in c.quote.split("\n"):
                assert any(part in "".join(t for t, who in p if c in who) for _, p in lines), (article_id, c.event_id)
        if not cited:
            assert marked_text(lines).strip() == ""
        # the text itself is the article's, line for line (blank lines left out)
        assert [(n, "".join(t for t, _ in p)) for n, p in lines] == [
            (n, t) for n, t in real.article_lines(article_id) if t.strip()
        ]


def test_the_reader_names_date_publisher_seed_and_links_each_citing_event(real):
    html = view.reader_html(real, "uk-to-allow-huawei-noncore", {"date": "2019-04-23"})
    assert "U.K. To Allow Huawei Gear For 5G Network, Despite U.S. Warnings" in html
    assert "2019-04-23 · seed 000_ca0cdbd34bb5bd89.txt, lines 361–393" in html
    ids = {c.event_id for c in view.citations_of(real, "uk-to-allow-huawei-noncore")}
    assert f"cited by {len(ids)} event(s)" in html
    for event_id in ids:
        assert f'event={event_id}"' in html
    assert 'href="?date=2019-04-23&amp;country=GBR&amp;event=GBR-2019-04-23-nsc"' in html


def test_an_inferred_month_date_says_so(real):
    html = view.reader_html(real, "spy-chiefs-contain-huawei", {})
    assert "2018-12 (month), inferred" in html
    assert "lines 6–25, 119–145" in html


def test_article_in_the_url_opens_the_reader_in_place_of_the_evidence(monkeypatch):
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app(country="GBR", article="uk-to-allow-huawei-noncore", date="2019-06-01"))
    bodies = [h.proto.body for h in at.get("html")]
    assert any("article-reader" in b for b in bodies)
    assert qp(at)["article"] == "uk-to-allow-huawei-noncore"
    at.button(key="close_article").click().run()
    assert "article" not in qp(ok(at))
    assert not any("article-reader" in h.proto.body for h in at.get("html"))


def test_every_citation_opens_its_article(monkeypatch):
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app(country="NZL", date="2019-06-01"))
    (panel,) = [h.proto.body for h in at.get("html") if "evidence-current" in h.proto.body]
    links = re.findall(r'<a class="evidence-read" href="\?([^"]*)"', panel)
    events = load_dataset(REAL_DATA).records["NZL"].events
    # One under each quote's context, each to its own citation's article.
    assert [dict(parse_qsl(html.unescape(link)))["article"] for link in links] == [
        source.article for event in events for source in event.sources
    ]
    # A link is the page's own, with the article to open: followed, it opens the reader.
    first = dict(parse_qsl(html.unescape(links[0])))
    assert first == {"date": "2019-06-01", "country": "NZL", "article": events[0].sources[0].article}
    at = ok(run_app(**first))
    reader = next(h.proto.body for h in at.get("html") if "article-reader" in h.proto.body)
    assert "NZL-" in reader and qp(at)["article"] == first["article"]


def test_an_unknown_article_is_a_notice(monkeypatch):
    monkeypatch.delenv("STANCES_DATA_DIR", raising=False)
    at = ok(run_app(article="no-such-article"))
    assert len(at.warning) == 1 and "`article`" in at.warning[0].value
    assert not any("article-reader" in h.proto.body for h in at.get("html"))
