import time

import pytest
import yaml

from stances import yamlio
from stances.yamlio import MAX_BYTES, YamlError, read_yaml

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture
def read(tmp_path):
    def read(text: str | bytes):
        path = tmp_path / "f.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return read_yaml(path)

    return read


def error_of(read, text) -> tuple[int, str]:
    with pytest.raises(YamlError) as caught:
        read(text)
    return caught.value.line, caught.value.message


def test_line_map(read):
    data, lines = read(
        "iso3: GBR\n"
        "events:\n"
        "  - date: '2019'\n"
        "    sources:\n"
        "      - article: a\n"
        "        quote: >-\n"
        "          folded\n"
        "          text\n"
        "  - {date: '2020', n: 3}\n"
    )
    assert data == {
        "iso3": "GBR",
        "events": [
            {"date": "2019", "sources": [{"article": "a", "quote": "folded text"}]},
            {"date": "2020", "n": 3},
        ],
    }
    assert {k: v for k, v in lines.items() if "<key>" not in k} == {
        (): 1,
        ("iso3",): 1,
        ("events",): 3,
        ("events", 0): 3,
        ("events", 0, "date"): 3,
        ("events", 0, "sources"): 5,
        ("events", 0, "sources", 0): 5,
        ("events", 0, "sources", 0, "article"): 5,
        ("events", 0, "sources", 0, "quote"): 6,
        ("events", 1): 9,
        ("events", 1, "date"): 9,
        ("events", 1, "n"): 9,
    }


@pytest.mark.parametrize(
    "text, value",
    [
        ("a: '2019-01-01'\n", "2019-01-01"),
        ("a: yes\n", True),
        ("a: 1.5\n", 1.5),
        ("a: ~\n", None),
        ("a: “curly” ’quotes’\n", "“curly” ’quotes’"),
        ("a: T\u00fcrkiye\n", "Türkiye"),
    ],
)
def test_plain_scalars(read, text, value):
    assert read(text)[0] == {"a": value}


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", 4, "duplicate key 'c'"),
        ("a: 1\na: 1\n", 2, "duplicate key 'a'"),
        (
            "a: !!python/object/apply:os.system ['true']\n",
            1,
            "unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system",
        ),
        (
            "a:\n  b: !!python/object:builtins.dict {x: 1}\n",
            2,
            "unsupported YAML tag tag:yaml.org,2002:python/object:builtins.dict",
        ),
        ("a: !!python/name:os.system\n", 1, "unsupported YAML tag tag:yaml.org,2002:python/name:os.system"),
        ("a: !!binary aGk=\n", 1, "unsupported YAML tag tag:yaml.org,2002:binary"),
        ("a: !custom x\n", 1, "unsupported YAML tag !custom"),
        ("a: !!set {x, y}\n", 1, "unsupported YAML tag tag:yaml.org,2002:set"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", 3, "unsupported YAML tag tag:yaml.org,2002:merge"),
        ("a: 1\ndate: 2019-01-01\n", 2, "write the date 2019-01-01 in quotes, e.g. '2019-01-01'"),
        ("left: 2020-01-31 10:00:00\n", 1, "write the date 2020-01-31 10:00:00 in quotes"),
        ("? [a, b]\n: 1\n", 1, "a key must be plain text"),
        ("", 1, "file is empty"),
        (" \n\n", 1, "file is empty"),
        ("# only a comment\n", 1, "file holds no data"),
        (b"a: 1\nb: caf\xe9\n", 2, "not UTF-8 text (byte 0xe9)"),
    ],
)
def test_rejected(read, text, line, message):
    found_line, found = error_of(read, text)
    assert found_line == line
    assert message in found


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "text, line, message",
    [
        # Unclosed at the end of the file: the line where it opens.
        ('a: 1\nb: "open\nc: 2\n', 2, "malformed YAML: while scanning a quoted scalar: found unexpected end of stream"),
        ("a: 1\nb: [1, 2\n", 2, "malformed YAML: while parsing a flow sequence: "),
        ("a: 1\nb: {x: 1\n\n", 2, "malformed YAML: while parsing a flow mapping: "),
        # Elsewhere: the line where reading fails.
        ("a:\n  - 1\n\t- 2\n", 3, "malformed YAML: "),
        ("a: 1\nb: 'open\nc: 2\nd: '4'\ne: 5\n", 4, "malformed YAML: "),
        ("a: 1\nb: c: d\n", 2, "malformed YAML: mapping values are not allowed"),
    ],
)
def test_malformed(read, monkeypatch, loader, text, line, message):
    monkeypatch.setattr(yamlio, "_LOADER", loader, raising=False)
    assert error_of(read, text)[0] == line
    assert error_of(read, text)[1].startswith(message)


def test_date_hint_for_unquoted_dates_not_for_quoted(read):
    assert read("a: '2019-01-01'\nb: \"2019-02\"\nc: '2019'\n")[0] == {"a": "2019-01-01", "b": "2019-02", "c": "2019"}
    # Unquoted year and month are not timestamps in YAML: they read as an int and a string.
    assert read("a: 2019\nb: 2019-02\n")[0] == {"a": 2019, "b": "2019-02"}


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
def test_recursive_alias_is_an_error(read, monkeypatch, loader):
    monkeypatch.setattr(yamlio, "_LOADER", loader, raising=False)
    assert error_of(read, "a: 1\nb: &x [1, *x]\n")[1].startswith("nested too deeply")


@pytest.mark.parametrize("loader", LOADERS, ids=lambda c: c.__name__)
def test_billion_laughs_stops_quickly(read, monkeypatch, loader):
    monkeypatch.setattr(yamlio, "_LOADER", loader, raising=False)
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    started = time.monotonic()
    line, message = error_of(read, text)
    assert time.monotonic() - started < 10
    assert message == "more than 500,000 values (runaway aliases?)"


def test_size_limit(read):
    line, message = error_of(read, "a: " + "x" * MAX_BYTES + "\n")
    assert (line, message) == (1, f"file is {MAX_BYTES + 4:,} bytes; the limit is {MAX_BYTES:,}")
