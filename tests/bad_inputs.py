"""The table of broken inputs: each one a small edit of the valid folder in conftest.py.

Shared by test_validation.py (through load_dataset), test_bad_inputs.py (through
`python -m stances check` and through the app) so every bad input is tried every way.
"""

from __future__ import annotations

import pytest

from stances.yamlio import MAX_BYTES

from conftest import AUS, GBR, NBSP, SEED

G = "data/countries/GBR.yaml"
A = "data/articles.yaml"
M = "data/mentions.yaml"
AL = "data/alliances.yaml"

AUS_EVENT = AUS.split("events:\n", 1)[1]

# Nine aliases of nine aliases ... of a list of nine: 9**9 values if expanded.
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)
PWNED = "pwned"  # the file a !!python tag would create if it ever ran

# (edits, file, line, fragment): an edit is (rel, old, new) to replace once, or (rel, content)
# to write a whole file (None deletes it; a callable is called with the folder to make the
# content); a str line is the one line of `file` containing it.
CASES = [
    pytest.param(
        [(G, "  - id: GBR-e3\n", "\t- id: GBR-e3\n")],
        G,
        "\t- id: GBR-e3",
        "malformed YAML",
        id="tab-indent",
    ),
    pytest.param(
        [(G, 'decision.”"\n', "decision.”\n")],
        G,
        'quote: "A minister said',
        "while scanning a quoted scalar",
        id="unclosed-quote",
    ),
    pytest.param(
        [(G, "    actor: BT\n", "    actor: BT\n    actor: BT Group\n")],
        G,
        "actor: BT Group",
        "duplicate key 'actor'",
        id="duplicate-key",
    ),
    pytest.param([(G, "")], G, 1, "file is empty", id="empty-file"),
    pytest.param([(G, "  \n\n")], G, 1, "file is empty", id="blank-file"),
    pytest.param(
        [(G, "iso3: GBR", "iso3: DEU")],
        G,
        "iso3: DEU",
        "iso3 'DEU' does not match the file name 'GBR.yaml'",
        id="name-mismatch",
    ),
    pytest.param(
        [("data/countries/ZZZ.yaml", AUS.replace("iso3: AUS", "iso3: ZZZ"))],
        "data/countries/ZZZ.yaml",
        "iso3: ZZZ",
        "'ZZZ' is not an ISO 3166-1 alpha-3 country code",
        id="unknown-iso",
    ),
    pytest.param([(G, "iso3: GBR", "iso3: gbr")], G, "iso3: gbr", "is not an ISO 3166-1", id="lowercase-iso"),
    pytest.param(
        [("data/countries/YUG.yaml", AUS.replace("iso3: AUS", "iso3: YUG"))],
        "data/countries/YUG.yaml",
        "iso3: YUG",
        "'YUG' is a retired ISO code (Yugoslavia",
        id="retired-iso",
    ),
    pytest.param(
        [
            (
                G,
                "stance: ban\n    applies_to: 5g\n    actor_level: government",
                "stance: Ban\n    applies_to: 5g\n    actor_level: government",
            )
        ],
        G,
        "stance: Ban",
        "(got 'Ban'; did you mean 'ban'?)",
        id="stance-Ban",
    ),
    pytest.param(
        [(G, "stance: core-only exclusion", "stance: core only")],
        G,
        "stance: core only",
        "(got 'core only'; did you mean 'core-only exclusion'?)",
        id="stance-core-only",
    ),
    pytest.param(
        [(G, "stance: core-only exclusion", "stance: embargo")],
        G,
        "stance: embargo",
        "events.1.stance: Input should be 'ban', 'core-only exclusion', 'review' or 'allow' (got 'embargo')",
        id="stance-unknown",
    ),
    pytest.param(
        [(G, "date: '2020-07-14'", "date: '2020-02-30'")],
        G,
        "date: '2020-02-30'",
        "'2020-02-30' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        [(G, "date: '2018-12'", "date: '2018-12-05'")],
        G,
        "date: '2018-12-05'",
        "written as a day but date_precision is month",
        id="month-written-as-day",
    ),
    pytest.param(
        [(G, "date: '2018-12'", "date: 2018-12-05")],
        G,
        "date: 2018-12-05",
        "write the date 2018-12-05 in quotes",
        id="unquoted-date",
    ),
    pytest.param(
        [(G, "date: '2020-07-14'", "date: '2020-07-15'")],
        G,
        "date: '2020-07-15'",
        "event dated 2020-07-15 is after article 'uk-ban' (2020-07-14)",
        id="event-after-article",
    ),
    pytest.param(
        [(G, "article: bt-core", "article: bt-cor")],
        G,
        "article: bt-cor",
        "unknown article 'bt-cor'",
        id="unknown-article",
    ),
    pytest.param(
        [(G, "quote: remove Huawei equipment from the core", "quote: remove Huawei kit from the core")],
        G,
        "quote: remove Huawei kit",
        "quote not found in article 'bt-core': 'remove Huawei kit from the core'",
        id="quote-not-in-article",
    ),
    pytest.param(
        [(G, "quote: “It’s a balanced", "quote: “It's a balanced")],
        G,
        "quote: “It's a balanced",
        "differs only in quote marks, apostrophes",
        id="quote-straight-apostrophe",
    ),
    pytest.param(
        [("data/countries/DEU.yaml", f"1{NBSP}January", "1 January")],
        "data/countries/DEU.yaml",
        "from 1 January",
        "no-break spaces",
        id="quote-plain-space",
    ),
    pytest.param(
        [("data/countries/AUS.yaml", AUS + AUS_EVENT)],
        "data/countries/AUS.yaml",
        15,
        "duplicate event: same date, actor, stance and scope as the event at line 3",
        id="duplicate-event",
    ),
    pytest.param(
        [("data/countries/AUS.yaml", AUS + AUS_EVENT.replace("stance: ban", "stance: review"))],
        "data/countries/AUS.yaml",
        15,
        "two government 5G stances take effect on 2018-08-23: 'ban' (line 3) and 'review'",
        id="two-stances-one-day",
    ),
    pytest.param(
        [(A, "headline: Canberra shuts Huawei out of 5G", "headline: Canberra shuts out Huawei")],
        A,
        "lines: [12, 14]",
        "article 'au-ban' range does not start at its headline: line 12 reads 'Canberra shuts Huawei out of 5G'",
        id="range-not-at-headline",
    ),
    pytest.param(
        [(A, "lines: [3, 7]", "lines: [3, 8]")],
        A,
        "id: uk-core",
        f"article 'uk-core': line 8 of {SEED} is already part of article 'uk-review'",
        id="overlapping-ranges",
    ),
    pytest.param(
        [(A, "lines: [3, 7]", "lines: [3, 5]")],
        A,
        1,
        f"{SEED} line 6 belongs to no article or part: 'Officials said",
        id="orphan-seed-line",
    ),
    pytest.param(
        [(f"seeds/{SEED}", None)], A, f"- file: {SEED}", f"seed file not found: seeds/{SEED}", id="missing-seed"
    ),
    pytest.param(
        [(f"seeds/{SEED}", b"\xff\xfe not text\n")],
        A,
        f"- file: {SEED}",
        f"seed file {SEED} is not UTF-8 text",
        id="seed-not-utf8",
    ),
    pytest.param(
        [(A, "seed: wire_001.txt\n    headline: BT", "seed: wire_002.txt\n    headline: BT")],
        A,
        "seed: wire_002.txt",
        "article 'bt-core': unknown seed 'wire_002.txt'",
        id="unknown-seed",
    ),
    pytest.param(
        [(G, GBR.replace("its core.", "its c\xf6re.").encode("latin-1", "replace"))],
        G,
        "summary: BT removes",
        "not UTF-8 text (byte 0xf6)",
        id="not-utf8",
    ),
    pytest.param(
        [(G, "    scope: network core", "    scop: network core")],
        G,
        "scop: network core",
        "events.2.scop: unknown field (check its spelling)",
        id="unknown-field",
    ),
    pytest.param(
        [(G, "    summary: BT removes Huawei from its core.\n", "")],
        G,
        31,
        "events.2.summary: required field is missing",
        id="missing-field",
    ),  # the event's line
    pytest.param(
        [
            ("data/countries/CAN.yaml", "date: '2018-11'", "date: '2023'"),
            ("data/countries/CAN.yaml", "date_precision: month", "date_precision: year"),
        ],
        "data/countries/CAN.yaml",
        16,
        "events are not in date order: 2022 comes after 2023",
        id="events-out-of-order",
    ),
    pytest.param(
        [(G, "    applies_to: 5g\n    actor_level: operator\n", "    actor_level: operator\n")],
        G,
        31,
        "an event with a stance needs applies_to: 5g, other or unspecified",
        id="stance-without-applies-to",
    ),
    pytest.param(
        [(G, "    applies_to: 5g\n    actor_level: operator\n", "    applies_to: 5G\n    actor_level: operator\n")],
        G,
        "applies_to: 5G",
        "events.2.applies_to: Input should be '5g', 'other' or 'unspecified'",
        id="applies-to-unknown",
    ),
    pytest.param(
        [("data/countries/DEU.yaml", "    stance: review\n", "")],
        "data/countries/DEU.yaml",
        17,
        "applies_to goes with a stance; a context event has neither",
        id="applies-to-without-stance",
    ),
    pytest.param(
        [(G, "id: GBR-e4", "id: XXX-e4")],
        G,
        "id: XXX-e4",
        "event id 'XXX-e4' must start with 'GBR-'",
        id="event-id-not-its-record",
    ),
    pytest.param(
        [(G, "id: GBR-e4", "id: GBR-e1")],
        G,
        44,
        "event id 'GBR-e1' is used twice (first at data/countries/GBR.yaml:3)",
        id="event-id-twice",
    ),
    pytest.param(
        [(G, "id: GBR-e4", "id: GBR e4")],
        G,
        "id: GBR e4",
        "events.3.id: String should match pattern",
        id="event-id-with-a-space",
    ),
    pytest.param(
        [(f"seeds/{SEED}", "Unsubscribe at example.invalid", "Unsubscribe at example.invalid.")],
        A,
        "sha256:",
        f"seed file {SEED} is not the file indexed (its sha256 differs): seeds are never edited",
        id="edited-seed",
    ),
    pytest.param(
        [(M, "mentions:\n", "mentions:\n  - {iso3: GBR, reason: Named in passing.}\n")],
        M,
        "iso3: GBR",
        "GBR has a record; a mention is only for countries without one",
        id="mention-has-record",
    ),
    pytest.param(
        [(M, "articles: [uk-review]", "articles: [uk-reviews]")],
        M,
        "uk-reviews",
        "unknown article 'uk-reviews'",
        id="mention-unknown-article",
    ),
    pytest.param(
        [(AL, "left: '2020-01-31'", "left: '1972-12-31'")],
        AL,
        "left: '1972",
        "GBR leaves EU before joining",
        id="alliance-leave-before-join",
    ),
    pytest.param(
        [(AL, "{iso3: MKD, joined: '2020-03-27'}", "{iso3: GBR, joined: '2020-03-27'}")],
        AL,
        "{iso3: GBR, joined: '2020-03-27'}",
        "GBR has overlapping NATO memberships",
        id="alliance-overlap",
    ),
    pytest.param(
        [("data/countries/GBR.yml", GBR)],
        "data/countries/GBR.yml",
        1,
        "only .yaml files belong in this folder",
        id="wrong-suffix",
    ),
    # Dated after the day the data is checked (tests check as of conftest.TODAY; the app and
    # the CLI as of the real date, so these are far in the future).
    pytest.param(
        [("data/countries/CAN.yaml", "date: '2022'", "date: '2099'")],
        "data/countries/CAN.yaml",
        "date: '2099'",
        "event dated 2099 is in the future (the data is checked as of ",
        id="future-event",
    ),
    pytest.param(
        [(A, "date: '2023-02-01'", "date: '2099-02-01'")],
        A,
        "date: '2099-02-01'",
        "article 'ca-ban' is dated 2099-02-01, in the future (the data is checked as of ",
        id="future-article",
    ),
    pytest.param(
        [(A, "id: uk-review", "id: UK_review")],
        A,
        "id: UK_review",
        "articles.0.id: an id is lower-case letters and digits, words joined by '-' (got 'UK_review')",
        id="article-index-invalid",
    ),
    pytest.param(
        [(G, lambda folder: GBR + "# " + "x" * MAX_BYTES + "\n")],
        G,
        1,
        f"bytes; the limit is {MAX_BYTES:,}",
        id="huge-file",
    ),
    pytest.param([(G, BILLION_LAUGHS)], G, 1, "more than 500,000 values (runaway aliases?)", id="billion-laughs"),
    pytest.param(
        [(G, "iso3: GBR\nevents: &x [1, *x]\n")],
        G,
        1,
        "nested too deeply (an alias that contains itself?)",
        id="recursive-alias",
    ),
    pytest.param(
        [
            (
                G,
                lambda folder: GBR.replace(
                    "notes: Removal deadline 2027.",
                    f"notes: !!python/object/apply:os.system ['touch {folder.root / PWNED}']",
                ),
            )
        ],
        G,
        "notes: !!python",
        "unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system",
        id="python-object-tag",
    ),
    pytest.param(
        [
            (
                G,
                lambda folder: GBR.replace(
                    "actor: BT\n", f"actor: !!python/object/new:os.system ['touch {folder.root / PWNED}']\n"
                ),
            )
        ],
        G,
        "actor: !!python",
        "unsupported YAML tag tag:yaml.org,2002:python/object/new:os.system",
        id="python-object-new-tag",
    ),
]


def apply(folder, edits):
    for edit in edits:
        if len(edit) == 3:
            folder.replace(*edit)
        elif edit[1] is None:
            folder.delete(edit[0])
        else:
            rel, content = edit
            folder.write(rel, content(folder) if callable(content) else content)
