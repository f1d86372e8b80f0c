"""``stances fmt [--check] [FILE ...]``: rewrite the data YAML in its one canonical layout.

The layout is the one the shipped files were written in, made exact, so that formatting
them changes as little as possible:

- Keys in the order the models in ``schema.py`` declare their fields (a record's own key
  first: ``iso3`` or ``id``, ``name``, then ``notes``, ``events``); in each event, source,
  article, seed, alliance and member too. A key the model does not know keeps its place
  (``stances check`` reports it).
- Two spaces of indentation; list items indented under their key (``  - id: ...``).
- One blank line between the items of ``events``, ``articles`` and ``alliances``, and before
  a top-level key that follows a list; no other blank lines.
- A list of plain values is written on one line: ``lines: [6, 25]``,
  ``continued: [[119, 145]]``, ``articles: [a, b]``; so is each alliance member,
  ``{iso3: GBR, joined: '1946-03-05'}``. Every other list and mapping is a block.
- ``quote`` is always in double quotes, as copied from the seed.
- Prose (``summary``, ``notes``, ``note``, ``date_note``, ``reason``, ``origin``) stays on
  its key's line when that line is at most 109 characters long; a longer one is written
  ``>-`` and folded at 95 characters (a word longer than that gets a line of its own).
- A date is in single quotes: '2019-01-17', '2019-01', '2019'. Any other text is plain
  where YAML reads it back as the same text; else in single quotes ('"Friday" in ...',
  'Updated: 1-17-2019'), or in double quotes when it holds an apostrophe or a character
  that must be escaped.
- A no-break space, or any other invisible or control character, is written escaped in
  double quotes (``\\u00a0``); such text is never folded.
- Comments are kept: a comment on a line of its own stays above the key or list item it
  was above, indented like it; a comment at the end of a line stays at the end of that
  key's (first) line. Comments above the first key stay at the top of the file; those
  below the last entry go to its end.
- Text over several lines (a ``|`` block) is written in double quotes with ``\\n``; a byte
  order mark and Windows line ends are dropped.

Formatting never changes the data: the result is read back and compared with the input
before anything is written.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, FoldedScalarString, SingleQuotedScalarString

from .schema import (
    AlliancesFile,
    ArticleIndex,
    CountryRecord,
    Member,
    MentionsFile,
    NamesFile,
    OrganisationRecord,
)
from .yamlio import YamlError, read_yaml

FOLD_WIDTH = 95  # folded prose lines end by this column
INLINE_WIDTH = 109  # prose stays on its key's line up to this length (fewest changes to the files)
PROSE_KEYS = {"summary", "notes", "note", "date_note", "reason", "origin"}
DOUBLE_QUOTED_KEYS = {"quote"}
SPACED_LISTS = {"events", "articles", "alliances"}  # top-level lists with a blank line between items
FLOW_MODELS: set[type[BaseModel]] = {Member}
FILE_MODELS: dict[str, type[BaseModel]] = {
    "articles.yaml": ArticleIndex,
    "mentions.yaml": MentionsFile,
    "alliances.yaml": AlliancesFile,
    "country_names.yaml": NamesFile,
}
FOLDER_MODELS: dict[str, type[BaseModel]] = {"countries": CountryRecord, "organisations": OrganisationRecord}

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_DATE_LIKE = re.compile(r"\d{4}(-\d{2}){0,2}")  # '2019', '2019-01', '2019-01-17'
_WORDS = re.compile(r"\S+( \S+)*")
_BLOCK_HEADER = re.compile(r"[>|][-+0-9]*\s+(#.*)$")
_COMMENT = re.compile(r"(?:^|\s)(#.*)$")

Path_ = tuple  # a path of keys and list indexes, e.g. ("events", 0, "sources")


class FormatError(Exception):
    """A file that cannot be formatted, with the 1-based line where it goes wrong."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


# --- the command -------------------------------------------------------------------------


def register(sub, common: argparse.ArgumentParser) -> None:
    """Add the ``fmt`` subcommand to the CLI's subparsers."""
    parser = sub.add_parser("fmt", parents=[common], help="rewrite the data YAML in its canonical layout")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="files to format (default: all of --data)")
    parser.add_argument("--check", action="store_true", help="only list the files not in the layout; exit 1 if any")
    parser.set_defaults(run=run, needs_data=False)


def run(args: argparse.Namespace) -> int:
    """Format the files (or check them); return 0, 1 (``--check`` found some) or 2 (errors)."""
    if args.files:
        paths = [(path, str(path)) for path in args.files]
    else:
        paths = [(path, _shown(path, args.data)) for path in data_files(args.data)]
    changed, errors = 0, 0
    for path, shown in paths:
        try:
            before = _read_text(path)
            after = format_text(before, model_for(path))
        except FormatError as exc:
            print(f"{shown}:{exc.line}: {exc.message}", file=sys.stderr)
            errors += 1
            continue
        if after == before:
            continue
        changed += 1
        if args.check:
            line, found, expected = first_difference(before, after)
            print(f"{shown}:{line}: not in the canonical layout\n  found:    {found}\n  expected: {expected}")
        else:
            path.write_text(after, encoding="utf-8")
            print(f"reformatted {shown}")
    _summary(len(paths), changed, errors, args.check)
    if errors:
        return 2
    return 1 if args.check and changed else 0


def _summary(total: int, changed: int, errors: int, check: bool) -> None:
    verb = "would be reformatted" if check else "reformatted"
    text = f"{changed} of {total} file(s) {verb}"
    if errors:
        text += f"; {errors} could not be read"
    if check and changed:
        text += "; run python -m stances fmt"
    print(text, file=sys.stderr)


def data_files(data_dir: Path) -> list[Path]:
    """Every data YAML file of ``data_dir``: the index files, then the records."""
    return [
        *sorted(data_dir.glob("*.yaml")),
        *(path for folder in FOLDER_MODELS for path in sorted((data_dir / folder).glob("*.yaml"))),
    ]


def model_for(path: Path) -> type[BaseModel]:
    """The model of a data file, from its name or the folder it sits in."""
    if path.parent.name in FOLDER_MODELS:
        return FOLDER_MODELS[path.parent.name]
    if path.name in FILE_MODELS:
        return FILE_MODELS[path.name]
    known = ", ".join([*FILE_MODELS, *(f"{folder}/*.yaml" for folder in FOLDER_MODELS)])
    raise FormatError(1, f"not a data file; fmt knows {known}")


def _shown(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)


def _read_text(path: Path) -> str:
    """The file's text, once the project's reader has accepted it as plain YAML data."""
    try:
        read_yaml(path)
    except YamlError as exc:
        raise FormatError(exc.line, exc.message) from None
    except OSError as exc:
        raise FormatError(1, f"cannot read: {exc.strerror}") from None
    return path.read_text(encoding="utf-8")


def first_difference(before: str, after: str) -> tuple[int, str, str]:
    """The 1-based number of the first line that differs, the line found and the one expected."""
    old, new = before.split("\n"), after.split("\n")
    for number, (found, expected) in enumerate(zip(old, new), 1):
        if found != expected:
            return number, found, expected
    number = min(len(old), len(new)) + 1
    return number, _line(old, number), _line(new, number)


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if number <= len(lines) else "(end of file)"


# --- formatting --------------------------------------------------------------------------


def format_text(text: str, model: type[BaseModel] | None = None) -> str:
    """The canonical layout of ``text``, a YAML file of ``model``; raise FormatError if it
    cannot be read, or (a bug) if the layout would change the data."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    try:
        data = yaml.load(text, Loader=_LOADER)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FormatError(mark.line + 1 if mark else 1, f"malformed YAML: {exc}") from None
    if node is None:
        raise FormatError(1, "file holds no data")
    comments = _comments(text, node)
    tree = _styled(data, model, 0, ())
    result = _place(_dump(tree), tree, comments)
    if yaml.load(result, Loader=_LOADER) != data:
        raise FormatError(1, "the canonical layout would change the data; please report this file")
    return result


# Styles: a ruamel round-trip tree whose nodes say how they are written.


def _styled(value: object, model: type[BaseModel] | None, indent: int, path: Path_) -> object:
    if isinstance(value, dict):
        return _mapping(value, model, indent, path)
    if isinstance(value, list):
        return _sequence(value, model, indent, path)
    return value


def _mapping(value: dict, model: type[BaseModel] | None, indent: int, path: Path_) -> CommentedMap:
    out = CommentedMap()
    flow = model in FLOW_MODELS
    for key in key_order(list(value), model):
        item = value[key]
        child = _child_model(model, key)
        name = _text(key, None, indent, True) if isinstance(key, str) else key
        if isinstance(item, str):
            out[name] = _text(item, key, indent, flow)
        else:
            out[name] = _styled(item, child, indent + 2, (*path, key))
    if flow or not value:
        out.fa.set_flow_style()
    return out


def _sequence(value: list, model: type[BaseModel] | None, indent: int, path: Path_) -> CommentedSeq:
    out = CommentedSeq(
        _text(item, None, indent, True) if isinstance(item, str) else _styled(item, model, indent + 2, (*path, i))
        for i, item in enumerate(value)
    )
    if all(_is_plain_list(item) or not isinstance(item, (dict, list)) for item in value):
        out.fa.set_flow_style()
    return out


def _is_plain_list(value: object) -> bool:
    return isinstance(value, list) and not any(isinstance(item, (dict, list)) for item in value)


def _text(value: str, key: object, indent: int, flow: bool) -> str:
    """``value`` as a string type that tells ruamel how to write it (see the module's rules)."""
    if key in DOUBLE_QUOTED_KEYS or _needs_escape(value):
        return DoubleQuotedScalarString(value)
    if key in PROSE_KEYS and not flow and indent + len(str(key)) + 2 + len(value) > INLINE_WIDTH:
        if _WORDS.fullmatch(value):
            return _folded(value, indent + 2)
    if _DATE_LIKE.fullmatch(value) or not _plain_reads_back(value):
        return SingleQuotedScalarString(value)  # ruamel turns to double quotes if it must
    return value


def _needs_escape(value: str) -> bool:
    """Whether ``value`` holds a no-break space or another invisible or control character."""
    return any(ch != " " and unicodedata.category(ch) in _INVISIBLE for ch in value)


_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Co", "Cs", "Cn"}


def _plain_reads_back(value: str) -> bool:
    """Whether PyYAML (YAML 1.1, as the project reads) takes ``value`` unquoted as text.
    ruamel (YAML 1.2) checks the same for itself: text must pass both."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG


def _folded(value: str, indent: int) -> FoldedScalarString:
    """``value`` as ``>-`` prose, broken before a word that would pass FOLD_WIDTH."""
    folds, column = [], indent
    for match in re.finditer(r"\S+", value):
        start, word = match.start(), match.group()
        if column > indent and column + 1 + len(word) > FOLD_WIDTH:
            folds.append(start - 1)
            column = indent + len(word)
        else:
            column += (1 if column > indent else 0) + len(word)
    out = FoldedScalarString(value)
    out.fold_pos = folds
    return out


def key_order(keys: list, model: type[BaseModel] | None) -> list:
    """``keys`` in the order ``model`` declares its fields; unknown keys keep their place."""
    order = field_order(model) if model else []
    known = sorted((k for k in keys if k in order), key=order.index)
    slots = iter(known)
    return [next(slots) if key in order else key for key in keys]


def field_order(model: type[BaseModel]) -> list[str]:
    """The fields of ``model`` as its class declares them, its own before inherited ones
    (pydantic's own order puts inherited fields first: ``notes`` before ``iso3``)."""
    out: list[str] = []
    for cls in model.__mro__:
        for name in getattr(cls, "__annotations__", {}):
            if name in model.model_fields and name not in out:
                out.append(name)
    return out


def _child_model(model: type[BaseModel] | None, key: object) -> type[BaseModel] | None:
    """The model of the mapping (or of the items of the list) under ``key``, if any."""
    if model is None or key not in model.model_fields:
        return None
    return _model_in(model.model_fields[str(key)].annotation)


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _dumper() -> YAML:
    out = YAML(typ="rt")
    out.indent(mapping=2, sequence=4, offset=2)
    out.width = 1_000_000  # never wrap; prose is folded by _folded
    out.allow_unicode = True
    out.representer.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return out


def _dump(tree: object) -> str:
    """``tree`` as YAML, with invisible characters escaped as the files write them."""
    stream = io.StringIO()
    _dumper().dump(tree, stream)
    text = stream.getvalue()
    # Text holding one is always double-quoted (see _text), and ruamel writes it as is; in
    # double quotes "\u00a0" reads back as the same character.
    return text.translate({ord(ch): f"\\u{ord(ch):04x}" for ch in set(text) if ch not in " \n" and _needs_escape(ch)})


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Comments and blank lines: where they sit in the input, and where they go in the output.
# ruamel.yaml ties a comment to the value before it, so reordering keys would carry it into
# the middle of an event; here a comment is tied to the entry it sits above instead.


@dataclass
class _Comments:
    head: list[str] = field(default_factory=list)  # above the first key
    above: dict[Path_, list[str]] = field(default_factory=dict)  # above an entry
    after: dict[Path_, list[str]] = field(default_factory=dict)  # at the end of an entry's line
    tail: list[str] = field(default_factory=list)  # below the last entry


def _entry_lines(root: yaml.Node) -> dict[int, list[Path_]]:
    """Map each 0-based line to the entries (mapping keys, list items) that start on it,
    outermost first; the whole document, ``()``, starts on its first line."""
    out: dict[int, list[Path_]] = {root.start_mark.line: [()]}
    _entries(root, (), out)
    return out


def _entries(node: yaml.Node, path: Path_, out: dict[int, list[Path_]]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            entry = (*path, _key(key_node))
            out.setdefault(key_node.start_mark.line, []).append(entry)
            _entries(value_node, entry, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out.setdefault(item.start_mark.line, []).append((*path, i))
            _entries(item, (*path, i), out)


def _key(node: yaml.Node) -> object:
    return node.value if node.tag == _STR_TAG else _CONSTRUCTOR.construct_object(node)


_CONSTRUCTOR = yaml.SafeLoader("")


def _scalars(node: yaml.Node) -> list[yaml.Node]:
    """Every scalar and flow collection under ``node``."""
    out: list[yaml.Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode) or getattr(current, "flow_style", False):
            out.append(current)
        if isinstance(current, yaml.MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return out


def _comments(text: str, root: yaml.Node) -> _Comments:
    """The comments of ``text``, each tied to the entry it sits above or at the end of."""
    lines = text.split("\n")
    starts = _entry_lines(root)
    inside: set[int] = set()  # lines of a scalar that spans several lines
    ends: dict[int, int] = {}  # line -> the column after the last value that ends on it
    header: dict[int, str] = {}  # line of a block scalar's '>-' -> the comment after it
    for node in _scalars(root):
        first, last = node.start_mark.line, node.end_mark.line
        if isinstance(node, yaml.ScalarNode) and node.style in (">", "|"):
            inside.update(range(first, last if node.end_mark.column == 0 else last + 1))
            found = _BLOCK_HEADER.match(lines[first][node.start_mark.column :])
            if found:
                header[first] = found.group(1)
            continue
        if isinstance(node, yaml.ScalarNode):
            inside.update(range(first, last))  # a plain or quoted value over several lines
        ends[last] = max(ends.get(last, 0), node.end_mark.column)
    out = _Comments()
    waiting: list[str] = []
    first_entry = min(starts)
    for number, line in enumerate(lines):
        if number in starts and waiting:
            target = out.head if number == first_entry else out.above.setdefault(starts[number][0], [])
            target.extend(waiting)
            waiting = []
        if number in header:
            out.after.setdefault(_last_entry(starts, number), []).append(header[number])
        if number in inside:
            continue
        if line.strip().startswith("#"):
            waiting.append(line.strip())
        elif number in ends:
            found = _COMMENT.search(line[ends[number] :])
            if found:
                out.after.setdefault(_last_entry(starts, number), []).append(found.group(1))
    out.tail.extend(waiting)
    return out


def _place(body: str, tree: object, comments: _Comments) -> str:
    """``body`` (the dumped tree) with the comments put back and the blank lines added."""
    lines = body.rstrip("\n").split("\n")
    root = yaml.compose(body, Loader=_LOADER)
    if root is None:
        raise FormatError(1, "file holds no data")
    starts = _entry_lines(root)
    line_of: dict[Path_, int] = {}
    for number in sorted(starts):
        for entry in starts[number]:
            line_of.setdefault(entry, number)
    before: dict[int, list[str]] = {line_of[entry]: [""] for entry in _spaced(tree)}
    for entry, texts in comments.above.items():
        number = line_of[entry]
        indent = " " * (len(lines[number]) - len(lines[number].lstrip(" ")))
        before.setdefault(number, []).extend(indent + text for text in texts)
    for entry, texts in comments.after.items():
        lines[line_of[entry]] += "".join("  " + text for text in texts)
    out = list(comments.head)
    for number, line in enumerate(lines):
        out.extend(before.get(number, []))
        out.append(line)
    return "\n".join([*out, *comments.tail]) + "\n"


def _spaced(tree: object) -> list[Path_]:
    """The entries with a blank line above: items after the first of a spaced list, and
    top-level keys that follow a list."""
    if not isinstance(tree, CommentedMap):
        return []
    out: list[Path_] = []
    previous = None
    for key, value in tree.items():
        if isinstance(previous, CommentedSeq) and not previous.fa.flow_style():
            out.append((key,))
        if key in SPACED_LISTS and isinstance(value, CommentedSeq) and not value.fa.flow_style():
            out.extend((key, i) for i in range(1, len(value)))
        previous = value
    return out


def _last_entry(starts: dict[int, list[Path_]], number: int) -> Path_:
    """The innermost entry that starts on line ``number``, or else on the nearest line above."""
    line = max(n for n in starts if n <= number)
    return starts[line][-1]
