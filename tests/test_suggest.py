"""``stances suggest``: sentences, stance words, citation, ranking, filters, on the tiny fixture
and on the shipped data."""

from __future__ import annotations

import re

import pytest

from stances import load_dataset
from stances.cli import main
from stances.suggest import article_sentences, is_cited, scan, score, split_sentences, stance_words

from conftest import ARTICLES, DEU, ROOT


def suggest(capsys, *args) -> tuple[int, str, str]:
    """``python -m stances suggest ARGS`` in-process: exit code, stdout, stderr."""
    code = main(["suggest", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")  # the sentence is wrapped to the terminal's width


@pytest.fixture(scope="module")
def real():
    return load_dataset(ROOT / "data")


# --- Sentences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, sentences",
    [
        (
            "Mr. Smith met U.S. officials. Ms. Hua said no.",
            ["Mr. Smith met U.S. officials.", "Ms. Hua said no."],
        ),
        (
            "The U.S. Justice Department and the U.K. government agreed. Messrs. Kovrig and Spavor wait.",
            ["The U.S. Justice Department and the U.K. government agreed.", "Messrs. Kovrig and Spavor wait."],
        ),
        (
            "Carriers use the gear in the U.S. Some small ones do.",
            ["Carriers use the gear in the U.S.", "Some small ones do."],
        ),
        (
            "A minister said: “It’s a balanced decision.” The review ends.",
            ["A minister said: “It’s a balanced decision.”", "The review ends."],
        ),
        (
            "“Is it safe?” she asked. “No!” He left.",
            ["“Is it safe?” she asked.", "“No!”", "He left."],
        ),
        (
            "Huawei Technologies Co. Chief Financial Officer Meng Wanzhou and Micron Technology Inc. That came later.",
            [
                "Huawei Technologies Co. Chief Financial Officer Meng Wanzhou and Micron Technology Inc.",
                "That came later.",
            ],
        ),
        ("Logo von Huawei (Reuters/H. Hanschke)", ["Logo von Huawei (Reuters/H. Hanschke)"]),
        (
            "Hearing from Oct. 26 to 30; $3.5 billion at stake in 5G.",
            ["Hearing from Oct. 26 to 30; $3.5 billion at stake in 5G."],
        ),
        ("  ", []),
    ],
)
def test_split_sentences(line, sentences):
    found = split_sentences(line)
    assert [text for _, text in found] == sentences
    assert all(line[at : at + len(text)] == text for at, text in found)


def test_sentences_of_the_shipped_seeds(real):
    texts = {s.text for a in ("canadian-woman-detained", "poland-makes-arrest") for s in article_sentences(real, a)}
    assert (
        "Though Ms. Hua didn’t name the woman, a social-media account run by People’s Daily, the ruling Communist "
        "Party’s newspaper, identified her as Sarah McIver, and in response to a question, Ms. Hua said, "
        "“My understanding is that’s right.”"
    ) in texts
    assert (
        "For much of last year, American officials redoubled efforts to limit sales of Huawei gear in the U.S." in texts
    )


def test_a_headline_is_one_sentence(real):
    first = article_sentences(real, "meng-deal-talks")[0]
    assert (first.line, first.text, first.headline) == (
        428,
        "U.S. In Talks With Huawei Finance Chief Meng Wanzhou About Resolving Criminal Charges",
        True,
    )


def test_sentence_offsets_are_offsets_in_the_article_text(real):
    for article_id in ("spy-chiefs-contain-huawei", "germany-looks-to-ban"):
        text = real.article_text(article_id)
        sentences = article_sentences(real, article_id)
        assert all(text[s.start : s.end] == s.text for s in sentences)
    continued = {s.line for s in article_sentences(real, "spy-chiefs-contain-huawei")}
    assert {6, 25, 119, 145} <= continued and not continued & set(range(27, 118))


# --- Stance words, citation, score -------------------------------------------------------


def test_stance_words():
    labels = lambda text, headline=False: [w for w, _, _ in stance_words(text, headline)]
    assert labels("Germany and France say they have no plans to ban any 5G suppliers.") == ["no plans to ban"]
    assert labels("Britain will phase out Huawei and restrict its role.") == ["phase out", "restrict"]
    assert labels("The UK will keep Huawei out of the core.") == ["keep out"]
    assert labels("First reported by The Australian Financial Review, the meeting ...") == []
    assert labels("Germany Looks to Ban Huawei", headline=True) == ["ban"]
    assert labels("“Banning Chinese makers does not make sense,” he says.") == ["ban"]
    assert labels("The German government welcomed the security requirements.") == ["welcome", "security requirements"]
    assert labels("Canada was concerned about the risks.") == []


@pytest.mark.parametrize(
    "quote, cited",
    [
        ((0, 200), True),  # the quote contains the sentence
        ((120, 130), True),  # the sentence contains the quote, however short
        ((60, 140), True),  # they share 40 characters
        ((140, 300), True),  # 60 characters, past the sentence's end
        ((161, 300), False),  # 39 characters shared
        ((100, 150), True),  # 50 characters inside it
        ((0, 100), False),  # they touch, sharing nothing
        ((200, 260), False),
    ],
)
def test_is_cited(quote, cited):
    assert is_cited((100, 200), [quote]) is cited
    assert is_cited((100, 200), [(400, 500), quote]) is cited


def test_score_rewards_a_country_and_a_stance_word_in_one_clause():
    text = "Germany will ban Huawei from its 5G networks, the government said."
    other = "Germany was silent; others ban Huawei from its 5G networks, the government said."
    words = stance_words(text)
    assert score(text, [("DEU", 0)], words) == 3 + 2 + 1 + 1 + 1
    assert score(other, [("DEU", 0)], stance_words(other)) == 3 + 1 + 1 + 1


# --- The command on the tiny fixture -----------------------------------------------------

EXPECTED = """\
  1. [7] uk-core  wire_001.txt:8  GBR  (keep out)
     UK to keep Huawei out of the 5G core
  2. [6] uk-review  wire_001.txt:3  GBR  (review)
     UK opens review of Huawei role in 5G
  3. [3] uk-review  wire_001.txt:6  CHN*  (review)
     Officials said the review would report within months; Chinese suppliers are in scope.
24 sentences scanned, 4 candidates, 3 uncited candidates
"""


def test_ranked_uncited_candidates_and_the_counts_line(folder, capsys):
    # The fourth candidate, "Germany’s security catalogue ... names no vendor.", is quoted by DEU-e6.
    assert suggest(capsys, "--data", folder.data) == (0, EXPECTED, "")


def test_a_sentence_is_listed_until_an_event_quotes_it(make_data, capsys):
    folder = make_data()
    new = "Canada will not ban Huawei, a minister said."
    folder.replace_in_seed("studying the security of 5G suppliers.", f"studying the security of 5G suppliers. {new}")
    code, out, _ = suggest(capsys, "--data", folder.data, "--country", "can")
    assert (code, out) == (
        0,
        "  1. [7] ca-review  wire_001.txt:23  CAN  (ban)\n"
        f"     {new}\n"
        "25 sentences scanned, 1 candidates, 1 uncited candidates\n",
    )
    # A quote that lies inside the sentence cites it.
    folder.replace(
        "data/countries/CAN.yaml",
        "quote: studying the security of 5G suppliers\n",
        "quote: studying the security of 5G suppliers\n"
        "      - article: ca-review\n        quote: Canada will not ban Huawei\n",
    )
    assert suggest(capsys, "--data", folder.data, "--country", "CAN") == (
        0,
        "25 sentences scanned, 1 candidates, 0 uncited candidates\n",
        "",
    )


def test_a_quote_of_another_article_does_not_cite_a_sentence(make_data, capsys):
    folder = make_data(
        {"data/countries/DEU.yaml": DEU + "      - article: de-rules\n        quote: German rules bar no vendor.\n"}
    )
    same = "German rules bar no vendor."
    folder.replace_in_seed("from 1\u00a0January.", f"from 1\u00a0January. {same}")
    folder.replace_in_seed("as planned, the ministry said.", f"as planned, the ministry said. {same}")
    code, out, _ = suggest(capsys, "--data", folder.data, "--country", "DEU")
    assert (code, out.splitlines()) == (
        0,
        [
            "  1. [5] de-followup  wire_001.txt:20  DEU  (bar)",
            f"     {same}",
            "26 sentences scanned, 3 candidates, 1 uncited candidates",
        ],
    )


def test_article_filter(folder, capsys):
    code, out, _ = suggest(capsys, "--data", folder.data, "--article", "uk-review")
    assert code == 0
    assert out.splitlines() == [
        "  1. [6] uk-review  wire_001.txt:3  GBR  (review)",
        "     UK opens review of Huawei role in 5G",
        "  2. [3] uk-review  wire_001.txt:6  CHN*  (review)",
        "     Officials said the review would report within months; Chinese suppliers are in scope.",
        "4 sentences scanned, 2 candidates, 2 uncited candidates",
    ]


def test_country_filter(folder, capsys):
    assert suggest(capsys, "--data", folder.data, "--country", "DEU")[1] == (
        "24 sentences scanned, 1 candidates, 0 uncited candidates\n"
    )
    assert suggest(capsys, "--data", folder.data, "--country", "chn")[1].splitlines()[0].endswith("CHN*  (review)")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--article", "no-such-article"], "error: unknown article 'no-such-article'\n"),
        (["--country", "XXX"], "error: 'XXX' is not an ISO 3166-1 alpha-3 country code\n"),
    ],
)
def test_unknown_filters_are_errors(folder, capsys, args, message):
    assert suggest(capsys, "--data", folder.data, *args) == (2, "", message)


NEW = "Canada will ban ZTE too."


def test_no_sentence_from_an_article_that_is_not_relevant(make_data, capsys):
    unrelevant = ARTICLES.replace(
        "date_note: Fake; the digest's send date.\n    relevant: true",
        "date_note: Fake; the digest's send date.\n    relevant: false",
    )
    assert unrelevant != ARTICLES
    for articles, listed, scanned in ((ARTICLES, True, 25), (unrelevant, False, 22)):
        folder = make_data({"data/articles.yaml": articles})
        folder.replace_in_seed("to bar Huawei from 5G.", f"to bar Huawei from 5G. {NEW}")
        out = suggest(capsys, "--data", folder.data)[1]
        assert (NEW in out, out.splitlines()[-1].split(" sentences")[0]) == (listed, str(scanned))
    code, _, err = suggest(capsys, "--data", folder.data, "--article", "ca-ban")
    assert (code, err) == (2, "error: article 'ca-ban' is not relevant (relevant: false): nothing to suggest\n")


def test_no_sentence_from_a_seed_part(make_data, capsys):
    folder = make_data()
    folder.replace_in_seed("End of digest.", "End of digest. The UK will ban Huawei. Germany too.")
    assert suggest(capsys, "--data", folder.data) == (0, EXPECTED, "")


# --- The command on the shipped data -----------------------------------------------------


def test_shipped_candidates_lie_in_relevant_articles_never_in_parts(real):
    result = scan(real)
    parts = {
        (seed.file, n)
        for seed in real.article_index.seeds
        for p in seed.parts
        for n in range(p.lines[0], p.lines[1] + 1)
    }
    assert result.candidates
    for candidate in result.candidates:
        s = candidate.sentence
        article = real.articles[s.article]
        assert article.relevant
        assert any(first <= s.line <= last for first, last in [article.lines, *article.continued])
        assert (s.seed, s.line) not in parts
    assert result.sentences == sum(len(article_sentences(real, a.id)) for a in real.articles.values() if a.relevant)


def test_no_shipped_quote_overlaps_an_uncited_candidate(real):
    quotes: dict[str, list[str]] = {}
    for record in real.records.values():
        for event in record.events:
            for source in event.sources:
                quotes.setdefault(source.article, []).append(source.quote)
    uncited = scan(real).uncited
    assert uncited
    for candidate in uncited:
        text = candidate.sentence.text
        for quote in quotes.get(candidate.sentence.article, []):
            assert quote not in text and text not in quote, (candidate, quote)


def test_shipped_listed_and_cited_sentences(real):
    by_text = {c.sentence.text: c for c in scan(real, country="DEU").candidates}
    headline = by_text["Germany looks to ban Huawei from\u00a05G"]
    assert (headline.sentence.line, headline.countries, headline.words, headline.cited) == (
        3,
        ("DEU",),
        ("ban",),
        False,
    )
    quoted = by_text[
        "The German government is considering introducing security requirements for 5G, the next generation of "
        "mobile communications, that would be harder for Huawei to meet."
    ]
    assert quoted.cited  # DEU-2019-01-17-review quotes it


HEAD = re.compile(r"^ *\d+\. \[\d+\] (\S+)  (\S+):(\d+)  (\S+)  \((.+)\)$")


def heads(out: str) -> list[re.Match]:
    """The head line of every listed candidate, parsed: article, seed, line, countries, words."""
    return [m for m in map(HEAD.match, out.splitlines()) if m]


def test_shipped_filters(real, capsys):
    code, out, _ = suggest(capsys, "--article", "germany-looks-to-ban")
    assert code == 0 and heads(out)
    assert {(m[1], m[2]) for m in heads(out)} == {("germany-looks-to-ban", "004_4dddc269796648e7.txt")}
    scanned = len(article_sentences(real, "germany-looks-to-ban"))
    assert out.splitlines()[-1].startswith(f"{scanned} sentences scanned, ")
    code, out, _ = suggest(capsys, "--country", "POL")
    assert code == 0 and heads(out)
    assert all("POL" in m[4].rstrip("*").replace("*", "").split(",") for m in heads(out))
    every = suggest(capsys)[1]
    assert len(heads(every)) == len(scan(real).uncited) > len(heads(out))
