"""stances index: proposals for a new seed, --write into articles.yaml, and the reproduction
of the hand index on the two shipped seeds."""

from __future__ import annotations

import difflib
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from stances import load_dataset
from stances.cli import main
from stances.index import compare, parse_dateline, proposal_yaml, propose
from stances.schema import SeedPart

from conftest import ROOT

LONG = (
    "The ministry said the rules would apply to every supplier of network equipment, and officials "
    "said the review of Huawei had been under way for months"
)

# A compilation in the shipped seeds' format: a header, four articles (a dateline under the
# headline, an "Updated" stamp above it, none at all, a day-first date), a list of related
# links and a footer.
DIGEST = "\n".join(
    [
        "The Telecom Digest",  # 1 header
        "",
        "Berlin Weighs Tighter Rules For 5G Network Vendors",  # 3
        "",
        "March 5, 2019",  # 5
        "",
        f"Germany is weighing tighter rules for 5G vendors including Huawei. {LONG}, a spokesman told Reuters.",
        "",
        "Huawei said it welcomed the clarity and would comply with any rule.",  # 9
        "",
        "Updated: 4-23-2019",  # 11
        "",
        "Britain Lets Huawei Supply Non-Core Parts Of Its 5G Network",  # 13
        "",
        f"London decided to let Huawei supply parts of its 5G network outside the core. {LONG}.",  # 15
        "",
        "Associated Press",  # 17
        "",
        "Ottawa Delays Its Decision On Huawei Equipment",  # 19
        "",
        f"Canada's government said it would take more time to decide on Huawei in its networks. {LONG}.",
        "",
        "Tokyo bars Chinese suppliers from state\u00a0purchases",  # 23
        "",
        "10 December 2018",  # 25
        "",
        f"Japan's government will keep Huawei and ZTE out of its purchases of network equipment. {LONG}.",
        "",
        "Related Articles:",  # 29
        "",
        "Five Things To Know About 5G",
        "",
        "Why Vendors Matter",  # 33
        "",
        "Thanks for reading. Leave a comment below.",  # 35
        "",
        "Share this:",  # 37
        "",
    ]
)


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the shipped data/ and seeds/ (seeds_dir stays ../seeds); returns its data folder."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path / "data"


@pytest.mark.parametrize(
    "line, expected",
    [
        ("January 17, 2019", ("2019-01-17", "day")),
        ("Updated 1-14-2019", ("2019-01-14", "day")),
        ("Updated: 4-23-2019", ("2019-04-23", "day")),
        ("From June 6, 2018", ("2018-06-06", "day")),
        ("10 December 2018", ("2018-12-10", "day")),
        ("Thursday, Dec. 6, 2018", ("2018-12-06", "day")),
        ("23-4-2019", ("2019-04-23", "day")),
        ("November 2018", ("2018-11", "month")),
        ("2019-02-30", None),
        ("The meeting on January 17, 2019", None),
    ],
)
def test_datelines(line, expected):
    assert parse_dateline(line) == expected


def test_a_small_compilation_is_indexed_exactly(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    proposal = propose(path, taken_ids={"berlin-weighs-tighter-rules"})

    assert [(p.kind, p.lines) for p in proposal.seed.parts] == [
        ("header", (1, 1)),
        ("related-links", (29, 33)),
        ("footer", (35, 37)),
    ]
    assert proposal.seed.origin.startswith("NOT YET DESCRIBED. A compilation of 4 articles")
    got = [
        (a.id, a.headline, a.lines, a.dateline, a.dateline_line, a.date, a.date_precision, a.date_basis, a.publisher)
        for a in proposal.articles
    ]
    assert got == [
        (
            "berlin-weighs-tighter-rules-2",
            "Berlin Weighs Tighter Rules For 5G Network Vendors",
            (3, 9),
            "March 5, 2019",
            5,
            "2019-03-05",
            "day",
            "printed",
            "Reuters",
        ),
        (
            "britain-lets-huawei-supply",
            "Britain Lets Huawei Supply Non-Core Parts Of Its 5G Network",
            (13, 17),
            "Updated: 4-23-2019",
            11,
            "2019-04-23",
            "day",
            "printed",
            "Associated Press",
        ),
        (
            "ottawa-delays-decision-huawei",
            "Ottawa Delays Its Decision On Huawei Equipment",
            (19, 21),
            None,
            None,
            "2019-04",
            "month",
            "inferred",
            None,
        ),
        (
            "tokyo-bars-chinese-suppliers",
            "Tokyo bars Chinese suppliers from state\u00a0purchases",
            (23, 27),
            "10 December 2018",
            25,
            "2018-12-10",
            "day",
            "printed",
            None,
        ),
    ]
    assert all(a.relevant for a in proposal.articles)
    undated = proposal.articles[2]
    assert undated.date_note is not None and "line 13, 2019-04-23" in undated.date_note
    assert proposal.articles[0].note == 'The publisher is named in "told Reuters".'
    assert [a.note for a in proposal.articles[1:]] == ["The publisher is named on the article's last line.", None, None]


def test_the_printed_proposal_matches_the_index_layout(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    text = proposal_yaml(propose(path))
    assert (
        "  - id: britain-lets-huawei-supply\n"
        "    seed: digest.txt\n"
        "    headline: Britain Lets Huawei Supply Non-Core Parts Of Its 5G Network\n"
        "    lines: [13, 17]\n"
        "    dateline: 'Updated: 4-23-2019'\n"
        "    dateline_line: 11\n"
        "    date_precision: day\n"
        "    date: '2019-04-23'\n"
        "    date_basis: printed\n"
        '    date_note: The compilation\'s "Updated" stamp; the report itself may be older.\n'
        "    publisher: Associated Press\n"
        "    relevant: true\n"
        "    note: The publisher is named on the article's last line.\n"
    ) in text
    assert "    date_note: >-\n      No dateline. Guessed from the nearest dated article before it" in text
    assert "      - lines: [29, 33]\n        kind: related-links\n" in text
    assert '    headline: "Tokyo bars Chinese suppliers from state\\u00a0purchases"\n' in text
    entries = yaml.safe_load(text)
    assert entries["articles"][3]["headline"] == "Tokyo bars Chinese suppliers from state\u00a0purchases"
    assert [a["id"] for a in entries["articles"]][:1] == ["berlin-weighs-tighter-rules"]


def test_the_command_prints_the_proposal(project):
    (project.parent / "seeds" / "digest.txt").write_text(DIGEST, encoding="utf-8")
    code, out, err = run("index", "digest.txt", "--data", project)
    assert (code, err) == (0, "")
    assert out.startswith("# Proposed by stances index for digest.txt")
    assert out.count("\n  - id: ") == 4


def test_write_appends_and_the_data_still_validates(project):
    (project.parent / "seeds" / "digest.txt").write_text(DIGEST, encoding="utf-8")
    before = (project / "articles.yaml").read_text(encoding="utf-8")

    code, out, err = run("index", "digest.txt", "--write", "--data", project)

    assert (code, err) == (0, "")
    assert "wrote 4 articles" in out
    after = (project / "articles.yaml").read_text(encoding="utf-8")
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    changes = {tag for tag, *_ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()}
    assert changes == {"equal", "insert"}  # every existing line kept, in order
    seeds_end = after.index("\narticles:")
    assert after.index("  - file: digest.txt") < seeds_end  # after the last seed entry
    assert after.index("  - id: ottawa-delays-decision-huawei") > after.index("  - id: german-election-russia-hacking")
    ds = load_dataset(project)
    assert [s.file for s in ds.article_index.seeds][-1] == "digest.txt"
    assert ds.articles["tokyo-bars-chinese-suppliers"].lines == (23, 27)
    code, _, _ = run("check", "--data", project)
    assert code == 0


def test_an_undated_article_still_validates(project):
    text = f"Ottawa Delays Its Decision On Huawei Equipment\n\n{LONG}.\n\nHuawei declined to comment.\n"
    (project.parent / "seeds" / "undated.txt").write_text(text, encoding="utf-8")
    assert run("index", "undated.txt", "--write", "--data", project)[0] == 0
    article = load_dataset(project).articles["ottawa-delays-decision-huawei"]
    assert (article.lines, article.date, article.date_basis) == ((1, 5), None, None)
    assert article.note is not None and "No date printed" in article.note


def test_an_indexed_seed_is_refused(project):
    before = (project / "articles.yaml").read_bytes()
    code, out, err = run("index", "004_4dddc269796648e7.txt", "--write", "--data", project)
    assert (code, out) == (2, "")
    assert "004_4dddc269796648e7.txt is already indexed" in err
    shutil.copy(project.parent / "seeds" / "004_4dddc269796648e7.txt", project.parent / "seeds" / "copy.txt")
    code, _, err = run("index", "copy.txt", "--write", "--data", project)
    assert code == 2 and "has the same bytes as 004_4dddc269796648e7.txt" in err
    assert (project / "articles.yaml").read_bytes() == before


def test_a_missing_or_unreadable_seed_is_a_clear_error(project):
    code, out, err = run("index", "nowhere.txt", "--data", project)
    assert (code, out) == (2, "")
    assert err == "error: nowhere.txt: seed file not found\n"
    bad = project.parent / "seeds" / "bad.txt"
    bad.write_bytes(b"Headline\n\nok\n\xff\n")
    code, _, err = run("index", "bad.txt", "--data", project)
    assert code == 2 and err == f"error: {bad}:4: not UTF-8 text (byte 0xff)\n"


def test_a_seed_outside_the_seeds_folder_is_not_written(project, tmp_path):
    outside = tmp_path / "digest.txt"
    outside.write_text(DIGEST, encoding="utf-8")
    code, _, err = run("index", outside, "--write", "--data", project)
    assert code == 2 and "copy the seed into" in err


def _reproduce(seed: str):
    ds = load_dataset(ROOT / "data")
    index = ds.article_index
    hand = [a for a in index.articles if a.seed == seed]
    parts = next(s.parts for s in index.seeds if s.file == seed)
    return compare(propose(ROOT / "seeds" / seed), hand, parts)


def test_reproduction_of_the_hand_index_000():
    result = _reproduce("000_ca0cdbd34bb5bd89.txt")
    figures = (result.hand, result.proposed, result.found, result.ranges, result.continued, result.continued_right)
    assert figures == (12, 12, 12, 10, 1, 0)
    assert (result.dates, result.headlines, result.datelines, result.publishers, result.relevant) == (9, 12, 12, 12, 12)
    assert (result.parts, result.hand_parts, result.proposed_parts) == (3, 3, 3)


def test_reproduction_of_the_hand_index_004():
    result = _reproduce("004_4dddc269796648e7.txt")
    figures = (result.hand, result.proposed, result.found, result.ranges, result.continued, result.continued_right)
    assert figures == (13, 13, 13, 13, 0, 0)
    assert (result.dates, result.headlines, result.datelines, result.publishers, result.relevant) == (
        13,
        13,
        13,
        13,
        13,
    )
    assert (result.parts, result.hand_parts, result.proposed_parts) == (2, 2, 2)


def test_compare_prints_the_figures():
    code, out, _ = run("index", "000_ca0cdbd34bb5bd89.txt", "--compare", "--data", ROOT / "data")
    assert code == 0
    assert out.splitlines()[:3] == [
        "articles found: 12 of 12 (same first line; 12 proposed)",
        "ranges exactly right: 10 of 11 found articles printed in one piece",
        "articles printed in pieces (continued): 0 of 1 right",
    ]
    assert "  differs: canada-third-citizen-detained: range [[75, 145]] (hand: [[75, 117]])" in out


def test_compare_counts_what_differs(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(DIGEST, encoding="utf-8")
    proposal = propose(path)
    hand = [a.model_copy(update={"lines": (3, 8)}) if i == 0 else a for i, a in enumerate(proposal.articles)]
    result = compare(proposal, hand, [SeedPart(lines=(1, 2), kind="header", note="x")])
    assert (result.found, result.ranges, result.parts) == (4, 3, 0)
