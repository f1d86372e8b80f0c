"""``stances fmt``: the canonical layout of the data YAML, on the shipped files, on awkward
text, and through the command line."""

from __future__ import annotations

import pytest
import yaml

from stances.cli import main
from stances.fmt import FOLD_WIDTH, data_files, first_difference, format_text, model_for
from stances.schema import AlliancesFile, CountryRecord, MentionsFile

from conftest import ROOT

SHIPPED = data_files(ROOT / "data")


def fmt(capsys, *args) -> tuple[int, str, str]:
    """``python -m stances fmt ARGS`` in-process: exit code, stdout, stderr."""
    code = main(["fmt", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def folded_lines(text: str) -> list[str]:
    """The lines of every ``>-`` block in ``text``."""
    out, indent = [], None
    for line in text.splitlines():
        if indent is not None and line.startswith(" " * indent) and line.strip():
            out.append(line)
            continue
        indent = len(line) - len(line.lstrip()) + 1 if line.endswith(": >-") else None
    return out


def without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


# --- the shipped files -------------------------------------------------------------------


def test_every_data_file_is_found():
    names = {path.relative_to(ROOT / "data").as_posix() for path in SHIPPED}
    assert {"articles.yaml", "alliances.yaml", "mentions.yaml", "country_names.yaml"} <= names
    assert "countries/GBR.yaml" in names and "organisations/five-eyes.yaml" in names
    assert len(names) == 4 + len(list((ROOT / "data").glob("*/*.yaml")))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_file_is_canonical(path):
    text = path.read_text(encoding="utf-8")
    formatted = format_text(text, model_for(path))
    if formatted != text:
        line, found, expected = first_difference(text, formatted)
        pytest.fail(f"{path.name}:{line} is not canonical (run python -m stances fmt):\n{found}\n{expected}")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_any_layout_of_a_shipped_file_formats_to_the_file(path):
    """PyYAML's own layout (keys sorted, its own quoting and wrapping, no comments) comes
    back as the shipped file without its comments: key order, quoting, folding, flow lists
    and blank lines are all the rules', not the input's."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    scrambled = yaml.safe_dump(data, sort_keys=True, width=60, allow_unicode=False)
    assert scrambled != without_comments(text)
    formatted = format_text(scrambled, model_for(path))
    assert yaml.safe_load(formatted) == data
    assert formatted == without_comments(text)


def test_the_layout_is_the_files_layout():
    text = (ROOT / "data" / "countries" / "GBR.yaml").read_text(encoding="utf-8")
    assert "\n  - id: GBR-" in text  # list items indented under their key
    assert "\n\n  - id: GBR-" in text  # a blank line between events
    assert "    date: '2019-04-23'\n" in text
    assert '        quote: "' in text
    assert "    summary: >-\n      " in text
    folded = folded_lines(text)
    assert len(folded) > 50 and max(map(len, folded)) <= FOLD_WIDTH
    index = (ROOT / "data" / "articles.yaml").read_text(encoding="utf-8")
    assert "    lines: [6, 25]\n    continued: [[119, 145]]\n" in index
    assert '    headline: "Germany looks to ban Huawei from\\u00a05G"\n' in index
    alliances = (ROOT / "data" / "alliances.yaml").read_text(encoding="utf-8")
    assert "      - {iso3: GBR, joined: '1946-03-05'}\n" in alliances


def test_comments_of_the_shipped_files_are_kept():
    index = (ROOT / "data" / "articles.yaml").read_text(encoding="utf-8")
    scrambled = index.replace("\n\n", "\n").replace("  # --- 004", "    # --- 004")
    formatted = format_text(scrambled, model_for(ROOT / "data" / "articles.yaml"))
    assert formatted == index
    assert formatted.startswith("# yaml-language-server: $schema=../schemas/articles.schema.json\n# Index of")
    assert "\narticles:\n  # --- 000_ca0cdbd34bb5bd89.txt ----" in formatted
    assert "\n\n  # --- 004_4dddc269796648e7.txt ----" in formatted


# --- rules, comments, awkward text -------------------------------------------------------

MESSY = """\
# yaml-language-server: $schema=../../schemas/country.schema.json
# A header comment.

events:
    # Above the first event.
    -   sources:
        -   quote: 'It''s "fine"'
            article: a-b
        summary: "Short."
        status: official   # said so
        date: "2019-01-17"
        id: XYZ-1
        date_precision: day
        actor: 'The cabinet'
        actor_level: government
        extra: kept here
        stance: ban
        applies_to: 5g


    # Above the second event.
    - id: XYZ-2
      date_precision: year
      date: '2010'
      actor: agency
      actor_level: agency
      status: reported
      summary: >-
        A summary long enough to be folded at the layout's width, which is ninety-five
        characters, so this one
        is.
      sources: [{article: c, quote: "q"}]
iso3: XYZ   # the key
# At the end.
"""

TIDY = """\
# yaml-language-server: $schema=../../schemas/country.schema.json
# A header comment.
iso3: XYZ  # the key
events:
  # Above the first event.
  - id: XYZ-1
    date_precision: day
    date: '2019-01-17'
    stance: ban
    applies_to: 5g
    actor_level: government
    actor: The cabinet
    status: official  # said so
    extra: kept here
    summary: Short.
    sources:
      - article: a-b
        quote: "It's \\"fine\\""

  # Above the second event.
  - id: XYZ-2
    date_precision: year
    date: '2010'
    actor_level: agency
    actor: agency
    status: reported
    summary: >-
      A summary long enough to be folded at the layout's width, which is ninety-five
      characters, so this one is.
    sources:
      - article: c
        quote: "q"
# At the end.
"""


def test_a_messy_file_in_the_canonical_layout():
    # Keys in the model's order (the unknown "extra" keeps its slot), quoting, folding,
    # indentation, blank lines; every comment kept where it was.
    assert format_text(MESSY, CountryRecord) == TIDY
    assert format_text(TIDY, CountryRecord) == TIDY
    assert yaml.safe_load(TIDY) == yaml.safe_load(MESSY)


def test_comment_after_a_folded_scalar_and_in_a_flow_list():
    text = (
        "mentions:\n  - iso3: CHN\n    reason: >-  # why\n      Home of Huawei.\n    articles: [a,  # first\n      b]\n"
    )
    assert format_text(text, MentionsFile) == (
        "mentions:\n  - iso3: CHN\n    reason: Home of Huawei.  # why\n    articles: [a, b]  # first\n"
    )


def test_a_byte_order_mark_and_windows_line_ends_are_layout():
    text = "\ufeff# top\r\niso3: XYZ  # key\r\nevents:\r\n- id: a\r\n"
    assert format_text(text, CountryRecord) == "# top\niso3: XYZ  # key\nevents:\n  - id: a\n"


def test_flow_members_and_the_blank_line_before_a_key_after_a_list():
    text = (
        "alliances:\n- members:\n  - iso3: GBR\n    joined: '1946'\n  name: X\n  full_name: Y\n"
        "  sources:\n  - {url: u, title: t}\n- name: Z\n  full_name: W\n  sources: []\n  members: []\n"
    )
    assert format_text(text, AlliancesFile) == (
        "alliances:\n  - name: X\n    full_name: Y\n    sources:\n      - title: t\n        url: u\n"
        "    members:\n      - {iso3: GBR, joined: '1946'}\n\n"
        "  - name: Z\n    full_name: W\n    sources: []\n    members: []\n"
    )
    assert format_text("a: [1]\nb: 2\nc:\n  - x: 1\nd: 3\n") == "a: [1]\nb: 2\nc:\n  - x: 1\n\nd: 3\n"


AWKWARD = [
    "He said \"it's 'fine'\" twice",
    "key: value",
    "ends with a colon:",
    "# not a comment",
    "text # with a hash",
    "  leading spaces",
    "trailing space ",
    "“curly” and ‘single’ quotes",
    "",
    "x" * 300,
    "2010",
    "2019-01-17",
    "2019-01",
    "1.5",
    "0x1F",
    "010",
    "1:20",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "true",
    "- a dash",
    "[brackets]",
    "{braces}",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`backtick",
    "| pipe",
    "> angle",
    "'single",
    '"double',
    "a,b",
    "no-break\u00a0space",
    "tab\there",
    "line\nbreak",
    "zero\u200bwidth",
    "soft\u00adhyphen",
    "bell\x07",
    "café, Zürich — “naïve”",
    "a  double  space",
    "\\ backslash \\n",
]
LONG = "A long sentence that will need folding because it runs on past the width of the layout; "


def _awkward_record(value: str) -> dict:
    return {
        "iso3": "XYZ",
        "notes": LONG + value,
        "events": [
            {
                "id": "XYZ-1",
                "actor": value,
                "summary": value,
                "notes": value + " " + LONG * 2,
                "sources": [{"article": value, "quote": value}],
            }
        ],
    }


@pytest.mark.parametrize("value", AWKWARD, ids=repr)
def test_awkward_text_keeps_its_value_and_settles(value):
    for data, model in [
        (_awkward_record(value), CountryRecord),
        ({"mentions": [{"iso3": "XYZ", "reason": value, "articles": [value, value + "x"]}]}, MentionsFile),
        ({"alliances": [{"name": value, "members": [{"iso3": "XYZ", "joined": value, "note": value}]}]}, AlliancesFile),
        ({value: [value], "k": {value: value}}, None),
    ]:
        text = yaml.safe_dump(data, allow_unicode=True)
        once = format_text(text, model)
        assert yaml.safe_load(once) == data
        assert format_text(once, model) == once


def test_invisible_characters_are_escaped_and_prose_is_folded():
    data = {
        "iso3": "XYZ",
        "events": [{"id": "XYZ-1", "summary": "1\u00a0January " + LONG, "notes": (LONG * 2).strip()}],
    }
    out = format_text(yaml.safe_dump(data), CountryRecord)
    assert '    summary: "1\\u00a0January A long sentence' in out  # not folded: an escape needs quotes
    assert "    notes: >-\n      A long sentence" in out
    assert len(folded_lines(out)) == 2 and max(map(len, folded_lines(out))) <= FOLD_WIDTH


def test_first_difference():
    assert first_difference("a\nb\nc\n", "a\nB\nc\n") == (2, "b", "B")
    assert first_difference("a\n", "a\nb\n") == (2, "", "b")
    assert first_difference("a\nb", "a") == (2, "b", "(end of file)")


# --- the command -------------------------------------------------------------------------


def test_check_lists_each_file_and_writes_nothing(folder, capsys):
    gbr = folder.read("data/countries/GBR.yaml")
    code, out, err = fmt(capsys, "--check", "--data", folder.data)
    assert code == 1
    # The fixture writes its quotes plain; the layout puts every quote in double quotes.
    assert "data/countries/GBR.yaml:14: not in the canonical layout\n" in out
    assert (
        "  found:            quote: The government has opened a review of Huawei equipment\n"
        '  expected:         quote: "The government has opened a review of Huawei equipment"\n'
    ) in out
    assert "would be reformatted" in err
    assert folder.read("data/countries/GBR.yaml") == gbr


def test_fmt_rewrites_every_data_file_and_lists_them(folder, capsys):
    before = {path: path.read_text(encoding="utf-8") for path in data_files(folder.data)}
    code, out, _ = fmt(capsys, "--data", folder.data)
    assert code == 0
    changed = [path for path, text in before.items() if path.read_text(encoding="utf-8") != text]
    assert changed and sorted(out.splitlines()) == sorted(
        f"reformatted data/{path.relative_to(folder.data).as_posix()}" for path in changed
    )
    for path, text in before.items():
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == yaml.safe_load(text)
    folder.load()  # still loads and validates
    assert fmt(capsys, "--check", "--data", folder.data)[0] == 0
    assert fmt(capsys, "--data", folder.data)[:2] == (0, "")


def test_fmt_formats_only_the_files_named(folder, capsys):
    gbr, aus = folder.path("data/countries/GBR.yaml"), folder.path("data/countries/AUS.yaml")
    aus_before = aus.read_text(encoding="utf-8")
    code, out, _ = fmt(capsys, gbr)
    assert (code, out) == (0, f"reformatted {gbr}\n")
    assert aus.read_text(encoding="utf-8") == aus_before
    assert fmt(capsys, "--check", gbr)[0] == 0


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("iso3: GBR\nevents:\n  - id: 'open\n", 3, "malformed YAML"),
        ("iso3: GBR\niso3: AUS\n", 2, "duplicate key 'iso3'"),
        ("iso3: GBR\nevents:\n\t- id: x\n", 3, "malformed YAML"),
        ("iso3: !!python/object:os.system x\n", 1, "unsupported YAML tag"),
        ("", 1, "file is empty"),
    ],
)
def test_a_file_that_cannot_be_read_is_an_error_with_its_line(folder, capsys, text, line, message):
    folder.write("data/countries/GBR.yaml", text)
    code, out, err = fmt(capsys, "--data", folder.data)
    assert code == 2
    assert f"data/countries/GBR.yaml:{line}: {message}" in err
    assert folder.read("data/countries/GBR.yaml") == text  # left as it was
    assert "reformatted data/countries/AUS.yaml" in out  # the other files are still formatted


def test_an_unknown_file_is_an_error(tmp_path, capsys):
    path = tmp_path / "notes.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    code, _, err = fmt(capsys, path)
    assert code == 2 and f"{path}:1: not a data file" in err
    missing = tmp_path / "countries" / "XYZ.yaml"
    code, _, err = fmt(capsys, missing)
    assert code == 2 and f"{missing}:1: cannot read" in err
