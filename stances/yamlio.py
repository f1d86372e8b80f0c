"""Safe YAML reading that remembers the line of every value and rejects what PyYAML lets through."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

MAX_BYTES = 32_000_000  # far above any curated file; refuse rather than parse for minutes
MAX_NODES = 500_000  # aliases can multiply a small file ("billion laughs")

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class YamlError(Exception):
    """A file that cannot be read as data, with the 1-based line where it goes wrong."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: Path) -> tuple[object, dict[tuple, int]]:
    """Read ``path`` and return ``(data, lines)``.

    ``lines`` maps a path of keys and indexes, e.g. ``("events", 0, "stance")``,
    to the 1-based line where that value starts. Only plain YAML is accepted:
    tags such as ``!!python/object`` and duplicate keys are errors.
    """
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise YamlError(1, f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(line, f"not UTF-8 text (byte {raw[exc.start]:#04x})") from None
    if not text.strip():
        raise YamlError(1, "file is empty")
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context
        if exc.context_mark and mark is not None and mark.index >= len(text.rstrip()):
            # Unclosed quote or bracket: the end of the file says nothing; show where it opens.
            mark, message = exc.context_mark, f"{exc.context}: {exc.problem}"
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"malformed YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlError(1, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlError(1, "malformed YAML: nested too deeply") from None
    if node is None:
        raise YamlError(1, "file holds no data")
    lines: dict[tuple, int] = {}
    try:
        return _build(node, (), lines), lines
    except RecursionError:
        raise YamlError(1, "nested too deeply (an alias that contains itself?)") from None


def _build(node, path: tuple, lines: dict) -> object:
    lines[path] = node.start_mark.line + 1
    if len(lines) > MAX_NODES:
        raise YamlError(node.start_mark.line + 1, f"more than {MAX_NODES:,} values (runaway aliases?)")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
        raise YamlError(node.start_mark.line + 1, f"unsupported YAML tag {node.tag}")
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _build(key_node, path + ("<key>",), lines)
            if not isinstance(key, (str, int)):
                raise YamlError(key_node.start_mark.line + 1, "a key must be plain text")
            if key in out:
                raise YamlError(key_node.start_mark.line + 1, f"duplicate key '{key}'")
            out[key] = _build(value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    if node.tag not in _PLAIN_TAGS:
        raise YamlError(node.start_mark.line + 1, f"unsupported YAML tag {node.tag}")
    value = yaml.SafeLoader.construct_object(_CONSTRUCTOR, node)
    if isinstance(value, (dt.date, dt.datetime)):
        raise YamlError(node.start_mark.line + 1, f"write the date {node.value} in quotes, e.g. '{node.value}'")
    return value


_CONSTRUCTOR = yaml.SafeLoader("")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same nodes, faster
